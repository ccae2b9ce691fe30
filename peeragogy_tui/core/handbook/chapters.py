"""One Markdown file as a chapter: its id, title, order and checked frontmatter.

Titles: frontmatter ``title``, else the first H1 (else H2) of the body
(:mod:`.titles`), else one made from the file name; the contents file's link
text, when there is one, is applied later by :mod:`.toc`. Order: ``order``,
else Jekyll's ``nav_order``, else Hugo's ``weight``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peeragogy_tui.core.handbook.folder_walk import read_regular_file
from peeragogy_tui.core.handbook.markdown_file import FileProblem, MarkdownFile, resolve_path
from peeragogy_tui.core.handbook.models import Chapter
from peeragogy_tui.core.handbook.titles import heading_title, title_from_file_name
from peeragogy_tui.core.sanitize import strip_control

__all__ = ["ORDER_KEYS", "FolderCachedResolve", "Resolve", "chapter_id_for", "chapter_title", "make_chapter", "meta_fields"]

ORDER_KEYS = ("order", "nav_order", "weight")
"""Frontmatter keys that place a chapter, the first one present wins (ours, Jekyll's, Hugo's)."""


def _title_from(file: MarkdownFile) -> str:
    title = file.meta.get("title")
    if isinstance(title, (str, int, float)) and not isinstance(title, bool) and str(title).strip():
        return str(title).strip()
    return heading_title(file.body) or title_from_file_name(file.path.stem) or file.path.name


def _order_of(meta: dict[str, object]) -> float | None:
    for key in ORDER_KEYS:
        value = meta.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                continue
    return None


def _key_line(file: MarkdownFile, key: str) -> int:
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    try:
        lines = read_regular_file(file.path).decode("utf-8-sig", errors="replace").splitlines()
    except OSError:
        return 2
    for number, line in enumerate(lines[: max(file.body_line - 1, 1)], start=1):
        if pattern.match(line):
            return number
    return 2


def _check_meta(file: MarkdownFile) -> FileProblem | None:
    meta = file.meta
    expectations: list[tuple[str, tuple[type, ...], str]] = [
        ("title", (str, int, float), "a piece of text"),
        ("order", (int, float), "a number, e.g. 'order: 3'"),
        ("lang", (str,), "a language code, e.g. 'lang: en'"),
        ("permalink", (str,), "a path, e.g. 'permalink: /chapters/en/intro/'"),
        ("summary", (str,), "one sentence of text"),
        ("part", (str,), "the name of a part, as text"),
        ("tags", (list, str), "a list, e.g. 'tags: [a, b]'"),
    ]
    for key, types, wanted in expectations:
        if key in meta and meta[key] is not None:
            value = meta[key]
            if isinstance(value, bool) or not isinstance(value, types):
                return FileProblem(
                    file.path,
                    _key_line(file, key),
                    f"'{key}' should be {wanted}, not {type(value).__name__}",
                    f"change the '{key}:' line",
                )
    return None


class FolderCachedResolve:
    """:func:`resolve_path` for many files in few folders: each folder is resolved once.

    ``realpath`` costs one ``lstat`` per path component; for thousands of
    files in deep folders that dominated loading. A file (or folder) that is
    not itself a symbolic link resolves to its resolved folder plus its name.
    Answers are remembered, so use one instance for one load only.
    """

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}
        """Resolved folders, as text: ``Path`` hashing and ``.parent`` cost more than the rest of it."""
        self._seen: dict[Path, Path] = {}

    def __call__(self, path: Path) -> Path:
        known = self._seen.get(path)
        if known is not None:
            return known
        text = str(path)
        parent, _, name = text.rpartition(os.sep)
        if name in ("", ".", "..") or not parent or os.path.islink(text):
            resolved = resolve_path(path)
        else:
            folder = self._folder(parent)
            # A folder that is its own resolved path (no links on the way): the path is resolved already.
            resolved = path if folder == parent else Path(folder, name)
        self._seen[path] = resolved
        return resolved

    def _folder(self, folder: str) -> str:
        """``folder`` resolved: its resolved parent plus its name unless it is a link (one ``lstat``, not one per part)."""
        known = self._folders.get(folder)
        if known is None:
            parent, _, name = folder.rpartition(os.sep)
            if name in ("", ".", "..") or not parent or not os.path.isabs(folder) or os.path.islink(folder):
                known = str(resolve_path(Path(folder)))
            else:
                above = self._folder(parent)
                known = folder if above == parent else os.path.join(above, name)
            self._folders[folder] = known
        return known


Resolve = Callable[[Path], Path]


def chapter_id_for(path: Path, lang_root: Path, resolve: Resolve = resolve_path) -> str:
    """The id the loader gives the chapter at ``path``: its path below ``lang_root``, no suffix.

    Public so that other indexes (search) name chapters exactly as the loader does.
    """
    try:
        file, folder = str(resolve(path)), str(resolve(lang_root))
    except OSError:
        file, folder = path.name, ""
    inside = folder if folder.endswith(os.sep) else folder + os.sep
    # Text, not PurePath.relative_to/with_suffix (the same answer for resolved paths, at a tenth of the cost).
    relative = file[len(inside) :] if folder and file.startswith(inside) else path.name
    name = relative.rsplit(os.sep, 1)[-1]
    dot = name.rfind(".")
    if 0 < dot < len(name) - 1:
        relative = relative[: len(relative) - len(name) + dot]
    return relative if os.sep == "/" else relative.replace(os.sep, "/")


def chapter_title(file: MarkdownFile) -> str:
    """The title the loader shows for ``file``: frontmatter, first heading, or file name."""
    return strip_control(_title_from(file)).replace("\n", " ")


def make_chapter(
    file: MarkdownFile, lang_root: Path, lang: str | None, resolve: Resolve = resolve_path
) -> Chapter:
    """The chapter for ``file`` in the language folder ``lang_root`` (broken when its frontmatter is wrong)."""
    problem = file.problem or _check_meta(file)
    return Chapter(
        id=chapter_id_for(file.path, lang_root, resolve),
        path=file.path,
        title=chapter_title(file),
        body=file.body,
        body_line=file.body_line,
        problem=problem,
        **meta_fields(file.meta, lang),
    )


def meta_fields(meta: dict[str, Any], lang: str | None) -> dict[str, Any]:
    """The :class:`Chapter` fields its frontmatter decides: language, order, permalink, summary, part, tags, meta.

    Public so that the tree snapshot makes them exactly as loading does.
    """
    tags = meta.get("tags") or []
    return {
        "lang": str(meta.get("lang") or lang or "en"),
        "order": _order_of(meta),
        "permalink": meta["permalink"] if isinstance(meta.get("permalink"), str) else None,
        "summary": strip_control(meta["summary"]) if isinstance(meta.get("summary"), str) else "",
        "part": strip_control(meta["part"]) if isinstance(meta.get("part"), str) else None,
        "tags": [str(t) for t in tags] if isinstance(tags, list) else [str(tags)],
        "meta": meta,
    }
