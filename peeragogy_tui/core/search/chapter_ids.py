"""Chapter ids for every file of a handbook, named exactly as the loader names them.

:func:`~peeragogy_tui.core.handbook.chapter_id_for` resolves each path and
makes a few ``Path`` objects; over thousands of files in deep folders that
took as long as indexing their text. :class:`ChapterIds` does the same with
string work per file: each folder is resolved once, as its parent's
resolved path plus its name unless the folder itself is a symbolic link.
A file that is a link goes through ``chapter_id_for`` itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from peeragogy_tui.core.handbook import FolderCachedResolve, chapter_id_for
from peeragogy_tui.core.handbook.markdown_file import resolve_path

__all__ = ["ChapterIds"]


def _stem(name: str) -> str:
    """``Path(name).with_suffix("")``, as text."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


class ChapterIds:
    """``chapter_id_for(path, lang_root)`` for many paths under ``lang_root``; use one per sync."""

    def __init__(self, lang_root: Path) -> None:
        self._root = str(lang_root)
        self._resolved_root = str(resolve_path(lang_root))
        self._resolve = FolderCachedResolve()
        self._resolved: dict[str, str] = {}
        """Folder -> its resolved path."""
        self._relative: dict[str, str | None] = {}
        """Folder -> its resolved path below the resolved root, "/"-separated
        ("" for the root itself; ``None`` when it resolves outside)."""

    def _resolved_folder(self, folder: str) -> str:
        known = self._resolved.get(folder)
        if known is not None:
            return known
        parent, name = os.path.split(folder)
        if parent != folder and name not in ("", ".", "..") and not os.path.islink(folder):
            resolved = os.path.join(self._resolved_folder(parent), name)
        else:
            resolved = str(resolve_path(Path(folder)))
        self._resolved[folder] = resolved
        return resolved

    def _folder(self, folder: str) -> str | None:
        known = self._relative.get(folder, ...)
        if known is not ...:
            return known
        resolved, root = self._resolved_folder(folder), self._resolved_root
        prefix = root if root.endswith(os.sep) else root + os.sep
        relative: str | None = None
        if resolved == root:
            relative = ""
        elif resolved.startswith(prefix):
            relative = resolved[len(prefix) :].replace(os.sep, "/")
        self._relative[folder] = relative
        return relative

    def __call__(self, path: str) -> str:
        """The id of the chapter file at ``path``."""
        folder, name = os.path.split(path)
        if name in ("", ".", "..") or os.path.islink(path):
            return chapter_id_for(Path(path), Path(self._root), self._resolve)
        relative = self._folder(folder)
        stem = _stem(name)
        return f"{relative}/{stem}" if relative else stem
