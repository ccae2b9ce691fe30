"""Remember what each frontmatter block YAML parsed, so an unchanged handbook opens without YAML.

Importing PyYAML and parsing every file's frontmatter was the largest part of
start-up left after Textual itself. This cache is one file per handbook
(language folder), kept by :mod:`~peeragogy_tui.core.cache_files` (0600 in a
0700 folder of the data dir). It maps the exact text of each frontmatter
block to what :func:`~peeragogy_tui.core.handbook.markdown_file.parse_yaml_frontmatter`
made of it: the mapping, or the problem (line, message, hint), so a broken
file is reported exactly as without the cache.

Simple blocks are not kept: :mod:`~peeragogy_tui.core.handbook.quick_frontmatter`
reads them without YAML about as fast as an entry is looked up, so the file
holds only the blocks that need YAML (usually none, or a few broken ones).

Keyed by the text itself, an entry cannot go stale: an edited block is a miss,
and only that block is parsed again (there is no hash, so no collision either).
Files are still read every time, since chapters keep their bodies.

The cache is disposable. A missing, corrupt, foreign or older file is ignored
and rebuilt; an entry of the wrong shape is a miss; a cache that cannot be
written (read-only or full disk) is skipped. Loading never fails because of
it. Only mappings that survive a JSON round trip unchanged are stored (a YAML
date, say, is not: such a block is parsed on every load).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from peeragogy_tui.core.cache_files import (
    cache_path,
    handbook_key,
    read_cache,
    source_fingerprint,
    write_cache,
)
from peeragogy_tui.core.handbook import markdown_file
from peeragogy_tui.core.handbook.markdown_file import Frontmatter, parse_yaml_frontmatter
from peeragogy_tui.core.handbook.quick_frontmatter import quick_meta

__all__ = ["FrontmatterCache"]

_FORMAT = 2


class FrontmatterCache:
    """A ``ParseFrontmatter`` that remembers; :meth:`save` writes it back if this load changed it.

    Use one instance for one load: entries the load did not use are dropped on
    save, so the file stays the size of the handbook.
    """

    def __init__(self, path: Path, key: str, entries: dict[str, Any] | None = None) -> None:
        self.path = path
        """The cache file."""
        self._key = key
        self._known: dict[str, Any] = entries or {}
        self._used: dict[str, Any] = {}
        self._changed = False
        self.hits = 0
        """Blocks answered from the cache in this load."""
        self.misses = 0
        """Blocks parsed with YAML in this load."""

    @classmethod
    def open(cls, lang_root: Path, lang: str | None) -> FrontmatterCache:
        """The cache of the handbook in ``lang_root`` (empty if there is no usable file)."""
        key = handbook_key(lang_root, lang)
        path = cache_path("frontmatter", key)
        entries = read_cache(path, key, _fingerprint())
        return cls(path, key, entries if isinstance(entries, dict) else None)

    def __call__(self, front: str, end: int) -> Frontmatter:
        quick = quick_meta(front)
        if quick is not None:
            return Frontmatter(meta=quick)  # as cheap as a cache entry: not kept in the file
        entry = self._used.get(front, self._known.get(front))
        parsed = _from_entry(entry, end, copy=front in self._used) if entry is not None else None
        if parsed is not None:
            self.hits += 1
        else:
            self.misses += 1
            parsed = parse_yaml_frontmatter(front, end)
            entry = _to_entry(parsed, end)
            if entry is None:
                return parsed
            self._changed = True
        self._used[front] = entry
        return parsed

    @property
    def changed(self) -> bool:
        """True when :meth:`save` has something to write (new entries, or unused ones to drop)."""
        return self._changed or len(self._used) != len(self._known)

    def save(self) -> None:
        """Write the cache if this load changed it; a failure is ignored (it is only a cache)."""
        if self.changed and write_cache(self.path, self._key, _fingerprint(), self._used):
            self._known, self._changed = dict(self._used), False


def _fingerprint() -> str:
    return source_fingerprint(_FORMAT, markdown_file)


def _to_entry(parsed: Frontmatter, end: int) -> dict[str, Any] | None:
    """The JSON form of ``parsed``, or ``None`` when JSON would not give it back unchanged."""
    if not parsed.ok:
        return {"end": end, "line": parsed.line, "message": parsed.message, "hint": parsed.hint}
    try:
        text = json.dumps(parsed.meta, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None  # dates, sets, binary, NaN: not JSON
    if json.loads(text) != parsed.meta:
        return None  # e.g. a nested mapping with number keys would come back with string keys
    return {"end": end, "meta": json.loads(text)}


def _from_entry(entry: Any, end: int, *, copy: bool) -> Frontmatter | None:
    """The :class:`Frontmatter` an entry stands for, or ``None`` if it is not a valid entry for ``end``."""
    if not isinstance(entry, dict) or entry.get("end") != end:
        return None
    if "meta" in entry:
        meta = entry["meta"]
        if not isinstance(meta, dict):
            return None
        # A second block with the same text must not share the first one's objects.
        return Frontmatter(meta=json.loads(json.dumps(meta)) if copy else meta)
    line, message, hint = entry.get("line"), entry.get("message"), entry.get("hint")
    if line is not None and (not isinstance(line, int) or isinstance(line, bool)):
        return None
    if not isinstance(message, str) or not message or not isinstance(hint, str):
        return None
    return Frontmatter(line=line, message=message, hint=hint)
