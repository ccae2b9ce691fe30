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

__all__ = [
    "CACHE_FOLDER",
    "cache_path",
    "decode_rest",
    "encode_rest",
    "handbook_key",
    "read_cache",
    "read_cache_head",
    "source_fingerprint",
    "write_cache",
]

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
    found = read_cache_head(path, key, fingerprint)
    return None if found is None or found[1] else found[0]


def read_cache_head(path: Path, key: str, fingerprint: str) -> tuple[Any, bytes] | None:
    """``(data, rest)``: the first line's data as :func:`read_cache` reads it, and the bytes after that line.

    A cache written with ``rest`` (:func:`write_cache`) keeps there what is seldom
    needed, for the caller to decode (:func:`decode_rest`) only when it is.
    """
    try:
        raw = path.read_bytes()
        head, _newline, rest = raw.partition(b"\n")
        stored = json.loads(head)
    except (OSError, ValueError, RecursionError):
        return None
    if (
        not isinstance(stored, dict)
        or stored.get("key") != key
        or stored.get("fingerprint") != fingerprint
        or "data" not in stored
    ):
        return None
    return stored["data"], rest


def encode_rest(rest: Any) -> bytes:
    """The bytes :func:`write_cache` stores for ``rest`` (so a caller can compare them with what it read)."""
    return json.dumps(rest, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def decode_rest(rest: bytes) -> Any:
    """The data of a cache's ``rest`` (see :func:`read_cache_head`), or ``None`` if it is damaged."""
    try:
        return json.loads(rest)
    except (ValueError, RecursionError):
        return None


def write_cache(path: Path, key: str, fingerprint: str, data: Any, rest: Any = None) -> bool:
    """Store ``data`` (JSON-able), and ``rest`` on a line of its own if given; ``False`` if it could not be written.

    It is only a cache: a failure is no error.
    """
    try:
        payload = json.dumps({"key": key, "fingerprint": fingerprint, "data": data}, separators=(",", ":"))
        if rest is not None:  # JSON text never holds a raw newline: the first one ends the first part
            payload += "\n" + encode_rest(rest).decode("utf-8")
        folder = ensure_data_dir() / CACHE_FOLDER
        folder.mkdir(exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
        write_private_file(path, payload)
    except (PeeragogyError, OSError, TypeError, ValueError, RecursionError):
        return False
    return True
