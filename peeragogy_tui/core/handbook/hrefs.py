"""Which local file a relative link names, the way mdBook, GitBook and Jekyll write them.

mdBook writes links to the pages it will build: ``foo.html`` is ``foo.md``,
and ``dir/index.html`` (or ``dir/``) is ``dir/README.md`` or ``dir/index.md``.
A link without a suffix (``foo``) is ``foo.md`` when there is one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from peeragogy_tui.core.handbook.markdown_file import resolve_path

__all__ = ["SCHEME", "file_candidates", "local_file", "split_href"]

SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
"""``https:``, ``mailto:``: a link with a scheme (a Windows drive ``C:\\`` is told apart by the caller)."""

_MARKDOWN = (".md", ".markdown")
_PAGES = (".html", ".htm")
_FOLDER_PAGES = ("README.md", "readme.md", "index.md", "_index.md")


def split_href(href: str) -> tuple[str, str | None]:
    """``"a/b.md#x%20y"`` → ``("a/b.md", "x y")``: the path (still quoted) and the anchor."""
    path, _, anchor = href.strip().partition("#")
    return path, (unquote(anchor) or None)


def file_candidates(target: Path, *, folder: bool = False) -> list[Path]:
    """The Markdown files ``target`` may mean, most likely first.

    ``folder``: the link ended in ``/`` (or named a directory).
    """
    name = target.name.lower()
    if folder:
        return [target / page for page in _FOLDER_PAGES]
    if name in ("index.html", "index.htm"):
        return [target.parent / page for page in _FOLDER_PAGES]
    if name.endswith(_PAGES):
        stem = target.with_suffix("")
        return [stem.with_suffix(".md"), stem.with_suffix(".markdown")]
    if name.endswith(_MARKDOWN):
        return [target]
    return [target, target.with_name(target.name + ".md"), *(target / page for page in _FOLDER_PAGES)]


def local_file(href: str, base: Path, exists: Callable[[Path], bool]) -> Path | None:
    """The (resolved) Markdown file a relative ``href`` in a file of folder ``base`` names.

    Returns the first candidate that ``exists``; else, for a link that plainly
    names a page (``.md``, ``.html``), the file it would be, so that the caller
    can report it missing; else ``None`` (a scheme, an absolute path, an image).
    """
    path, _ = split_href(href)
    if not path or SCHEME.match(path) or path.startswith(("/", "\\")):
        return None
    unquoted = unquote(path)
    folder = unquoted.endswith("/")
    # ``base`` is resolved: without symbolic links on the way, normalising gives the resolved
    # path, and resolving (one lstat per path component) is only needed when that finds nothing.
    quick = file_candidates(Path(os.path.normpath(base / unquoted)), folder=folder)
    for candidate in quick:
        if exists(candidate):
            return candidate
    target = resolve_path(base / unquoted)
    candidates = file_candidates(target, folder=folder)
    for candidate in candidates:
        if candidate not in quick and exists(candidate):
            return candidate
    lowered = unquoted.lower()
    if lowered.endswith(_MARKDOWN + _PAGES) or unquoted.endswith("/"):
        return candidates[0]
    return None
