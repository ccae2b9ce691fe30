"""Small JSON caches in ``<data dir>/cache``: private, disposable, tied to the code that wrote them.

A cache file holds ``{"key", "fingerprint", "data"}``. It is read back only
if both match: the key of what it is about (a handbook and language), and
the fingerprint of the code that produced the data (a format number, the
package version, and the size and mtime of the source files whose output it
caches, so a development edit invalidates it). Anything else (missing,
corrupt, foreign, old) reads as "no cache". Writing is best effort:
a read-only or full disk just means no cache. The folder is 0700, files 0600.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any

from peeragogy_tui.core.handbook.markdown_file import resolve_path
from peeragogy_tui.errors import PeeragogyError
from peeragogy_tui.paths import data_dir, ensure_data_dir, write_private_file

__all__ = ["CACHE_FOLDER", "cache_path", "handbook_key", "read_cache", "source_fingerprint", "write_cache"]

CACHE_FOLDER = "cache"
"""The folder of the data dir that holds the cache files."""


def handbook_key(lang_root: Path, lang: str | None) -> str:
    """What a handbook cache is about: the resolved language folder and the language."""
    return f"{resolve_path(lang_root)}\0{lang or ''}"


def cache_path(kind: str, key: str) -> Path:
    """``<data dir>/cache/<kind>-<crc32 of key>.json`` (the key itself is checked on reading)."""
    return data_dir() / CACHE_FOLDER / f"{kind}-{zlib.crc32(key.encode('utf-8', 'surrogateescape')):08x}.json"


def source_fingerprint(format_version: int, *modules: ModuleType) -> str:
    """The format, the package version, and each module's source size and mtime."""
    from peeragogy_tui import __version__

    parts = [str(format_version), __version__]
    for module in modules:
        try:
            stat = os.stat(module.__file__ or "")
            parts.append(f"{stat.st_size}.{stat.st_mtime_ns}")
        except (OSError, TypeError):
            parts.append("?")
    return "/".join(parts)


def read_cache(path: Path, key: str, fingerprint: str) -> Any:
    """The data stored at ``path`` for ``key`` by code with ``fingerprint``, else ``None``."""
    try:
        stored = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if (
        not isinstance(stored, dict)
        or stored.get("key") != key
        or stored.get("fingerprint") != fingerprint
        or "data" not in stored
    ):
        return None
    return stored["data"]


def write_cache(path: Path, key: str, fingerprint: str, data: Any) -> bool:
    """Store ``data`` (JSON-able); ``False`` if it could not be written (it is only a cache)."""
    try:
        payload = json.dumps({"key": key, "fingerprint": fingerprint, "data": data}, separators=(",", ":"))
        folder = ensure_data_dir() / CACHE_FOLDER
        folder.mkdir(exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
        write_private_file(path, payload)
    except (PeeragogyError, OSError, TypeError, ValueError, RecursionError):
        return False
    return True
