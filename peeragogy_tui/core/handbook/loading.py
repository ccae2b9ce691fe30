"""The handbook model: chapters, their tree, and how a folder becomes one.

A handbook is a directory of Markdown files, optionally one subdirectory per
language (``handbook/en/...``). The tree comes from ``SUMMARY.md`` (or a
``README.md`` holding a nested list of links) when there is one; otherwise
from directories, frontmatter ``part`` and ``order``, then file names.
Loading never stops at a bad file: it becomes a chapter marked broken.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from peeragogy_tui.core.handbook.languages import pick_language_folder
from peeragogy_tui.core.handbook.markdown_file import (
    FileProblem,
    MarkdownFile,
    read_markdown_file,
    resolve_path,
    walk_markdown,
)
from peeragogy_tui.core.handbook.models import Chapter, Handbook, TocNode, normalise_permalink
from peeragogy_tui.core.handbook.summary import SummaryEntry, parse_summary, summary_links
from peeragogy_tui.core.handbook.toc import tree_from_folders, tree_from_summary, walk_tree
from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.errors import PeeragogyError

__all__ = [
    "FolderCachedResolve",
    "chapter_id_for",
    "chapter_title",
    "is_summary_toc",
    "load_handbook",
    "resolve_language",
]

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _title_from(file: MarkdownFile) -> str:
    title = file.meta.get("title")
    if isinstance(title, (str, int, float)) and not isinstance(title, bool) and str(title).strip():
        return str(title).strip()
    match = _HEADING.search(file.body)
    if match:
        return re.sub(r"[*_`]", "", match.group(1)).strip() or file.path.stem
    return file.path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or file.path.name


def _key_line(file: MarkdownFile, key: str) -> int:
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    try:
        lines = file.path.read_text("utf-8-sig", errors="replace").splitlines()
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
    files in deep folders that dominated loading. A file that is not itself a
    symbolic link resolves to its resolved folder plus its name. Answers are
    remembered, so use one instance for one load only.
    """

    def __init__(self) -> None:
        self._folders: dict[Path, Path] = {}
        self._seen: dict[Path, Path] = {}

    def __call__(self, path: Path) -> Path:
        known = self._seen.get(path)
        if known is not None:
            return known
        if path.name in ("", ".", "..") or os.path.islink(path):
            resolved = resolve_path(path)
        else:
            folder = self._folders.get(path.parent)
            if folder is None:
                folder = self._folders[path.parent] = resolve_path(path.parent)
            resolved = folder / path.name
        self._seen[path] = resolved
        return resolved


Resolve = Callable[[Path], Path]


def chapter_id_for(path: Path, lang_root: Path, resolve: Resolve = resolve_path) -> str:
    """The id the loader gives the chapter at ``path``: its path below ``lang_root``, no suffix.

    Public so that other indexes (search) name chapters exactly as the loader does.
    """
    try:
        relative = resolve(path).relative_to(resolve(lang_root))
    except (ValueError, OSError):
        relative = Path(path.name)
    return relative.with_suffix("").as_posix()


def chapter_title(file: MarkdownFile) -> str:
    """The title the loader shows for ``file``: frontmatter, first heading, or file name."""
    return strip_control(_title_from(file)).replace("\n", " ")


def is_summary_toc(file: MarkdownFile, lang_root: Path) -> bool:
    """True when ``file`` is the ``SUMMARY.md`` that defines the tree (so it is not a chapter)."""
    if file.path.name.lower() != "summary.md":
        return False
    toc = _find_toc_file(lang_root, [file])
    return toc is not None and toc[0] is file


def _make_chapter(
    file: MarkdownFile, lang_root: Path, lang: str | None, resolve: Resolve = resolve_path
) -> Chapter:
    meta = file.meta
    problem = file.problem or _check_meta(file)
    chapter_id = chapter_id_for(file.path, lang_root, resolve)
    order = meta.get("order")
    tags = meta.get("tags") or []
    return Chapter(
        id=chapter_id,
        path=file.path,
        title=chapter_title(file),
        lang=str(meta.get("lang") or lang or "en"),
        body=file.body,
        body_line=file.body_line,
        order=float(order) if isinstance(order, (int, float)) and not isinstance(order, bool) else None,
        permalink=meta["permalink"] if isinstance(meta.get("permalink"), str) else None,
        summary=strip_control(meta["summary"]) if isinstance(meta.get("summary"), str) else "",
        part=strip_control(meta["part"]) if isinstance(meta.get("part"), str) else None,
        tags=[str(t) for t in tags] if isinstance(tags, list) else [str(tags)],
        meta=meta,
        problem=problem,
    )


def _find_toc_file(lang_root: Path, files: list[MarkdownFile]) -> tuple[MarkdownFile, list[SummaryEntry]] | None:
    by_name = {f.path.name.lower(): f for f in files if f.path.parent == lang_root}
    for name in ("summary.md", "readme.md"):
        candidate = by_name.get(name)
        if candidate is None or candidate.problem is not None:
            continue
        entries = parse_summary(candidate.body, resolve_path(lang_root))
        if summary_links(entries) >= (1 if name == "summary.md" else 2):
            return candidate, entries
    return None


def resolve_language(root: Path, lang: str | None = None) -> tuple[Path, str | None, list[str]]:
    """``(lang folder, lang, languages)``: ``root`` or ``root/<lang>``, as loading picks it.

    Raises:
        PeeragogyError: ``root`` is missing or not a directory, or has no ``lang`` folder.
    """
    if not root.exists():
        raise PeeragogyError("handbook directory not found", path=root, hint="check the path given to --handbook")
    if not root.is_dir():
        raise PeeragogyError("not a directory", path=root, hint="--handbook takes a folder of Markdown files")
    return pick_language_folder(root, lang, missing="this handbook has no '{lang}' translation")


def load_handbook(root: Path, lang: str | None = None, *, cache: bool = True) -> Handbook:
    """Load every Markdown file under ``root`` into a :class:`Handbook`.

    With ``cache`` (the default), frontmatter that is unchanged since the last
    load comes from the :mod:`~peeragogy_tui.core.handbook.frontmatter_cache` instead of
    being parsed again; the result is the same either way.

    Raises:
        PeeragogyError: ``root`` is missing, not a directory, or holds no Markdown.
    """
    lang_root, lang, languages = resolve_language(root, lang)
    paths = walk_markdown(lang_root)
    if not paths:
        raise PeeragogyError(
            "no Markdown files here",
            path=lang_root,
            hint="point --handbook at a folder that contains .md files",
        )
    if cache:
        from peeragogy_tui.core.handbook.frontmatter_cache import FrontmatterCache

        frontmatter = FrontmatterCache.open(lang_root, lang)
        files = [read_markdown_file(path, frontmatter) for path in paths]
        frontmatter.save()
    else:
        files = [read_markdown_file(path) for path in paths]
    problems: list[FileProblem] = []
    toc = _find_toc_file(lang_root, files)
    chapter_files = [f for f in files if toc is None or f is not toc[0] or toc[0].path.name.lower() != "summary.md"]
    resolve = FolderCachedResolve()
    chapters = [_make_chapter(f, lang_root, lang, resolve) for f in chapter_files]
    if toc is not None:
        resolved = {resolve(c.path): c for c in chapters}
        tree, used = tree_from_summary(toc[1], toc[0].path, resolved, problems)
        if toc[0].path.name.lower() == "readme.md":
            readme = resolved[resolve(toc[0].path)]
            if resolve(readme.path) not in used:
                tree.insert(0, TocNode(readme.title, readme))
                used.add(resolve(readme.path))
        leftovers = [c for c in chapters if resolve(c.path) not in used]
        if leftovers:
            tree.append(
                TocNode(f"Not in {toc[0].path.name}", None, tree_from_folders(leftovers, lang_root))
            )
    else:
        tree = tree_from_folders(chapters, lang_root)
    return _index(Handbook(lang_root, lang or "en", languages, tree, [], problems), resolve)


def _index(handbook: Handbook, resolve: Resolve = resolve_path) -> Handbook:
    depth_of_chapter = 0
    for node, _depth in walk_tree(handbook.tree):
        if node.chapter is None:
            continue
        chapter = node.chapter
        chapter.index = len(handbook.chapters)
        handbook.chapters.append(chapter)
        handbook.by_id[chapter.id] = chapter
        handbook.by_path[resolve(chapter.path)] = chapter
        if chapter.permalink:
            handbook.by_permalink.setdefault(normalise_permalink(chapter.permalink), chapter)
        if chapter.problem is not None:
            handbook.problems.append(chapter.problem)
    _set_depths(handbook.tree, depth_of_chapter)
    return handbook


def _set_depths(nodes: list[TocNode], depth: int) -> None:
    """Depth counts chapters above a chapter, not the parts that group them."""
    for node in nodes:
        if node.chapter is not None:
            node.chapter.depth = depth
            _set_depths(node.children, depth + 1)
        else:
            _set_depths(node.children, depth)
