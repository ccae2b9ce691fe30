"""The handbook model: chapters, their tree, and how a folder becomes one.

A handbook is a directory of Markdown files, optionally one subdirectory per
language (``handbook/en/...``). The tree comes from the first of these:

1. ``SUMMARY.md`` (mdBook, GitBook);
2. a ``README.md`` or ``index.md`` whose body is mostly a nested list of links;
3. frontmatter ``order`` (or Jekyll's ``nav_order``, Hugo's ``weight``) and ``part``;
4. folders and file names.

Whatever the source, a file it does not list is still in the tree, in a
"Not in the contents" group at the end. A contents file is not a chapter
itself (``SUMMARY.md`` never is; a README is one unless it is only a list).
Loading never stops at a bad file: it becomes a chapter marked broken.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from peeragogy_tui.core.handbook.chapters import FolderCachedResolve, Resolve, make_chapter
from peeragogy_tui.core.handbook.fallback import FALLBACK_LANG, fallback_chapters, fallback_folder, mark_fallbacks
from peeragogy_tui.core.handbook.folder_walk import walk_markdown
from peeragogy_tui.core.handbook.hrefs import local_file
from peeragogy_tui.core.handbook.languages import pick_language_folder
from peeragogy_tui.core.handbook.markdown_file import (
    FileProblem,
    MarkdownFile,
    read_markdown_file,
    resolve_path,
)
from peeragogy_tui.core.handbook.models import Chapter, Handbook, TocNode, normalise_permalink
from peeragogy_tui.core.handbook.site_urls import FolderUrls, jekyll_site_host
from peeragogy_tui.core.handbook.summary import Contents, SummaryEntry, parse_summary
from peeragogy_tui.core.handbook.toc import tree_from_folders, tree_from_summary, walk_tree
from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.errors import PeeragogyError

__all__ = [
    "contents_titles",
    "is_contents_file",
    "is_summary_toc",
    "load_handbook",
    "resolve_language",
]

CONTENTS_NAMES = ("summary.md", "readme.md", "index.md")
"""Files (in the language folder) that may hold the contents, in the order they are tried."""
NOT_IN_CONTENTS = "Not in the contents"
"""The group at the end of the tree for files the contents file does not list."""


def is_contents_file(file: MarkdownFile, lang_root: Path) -> bool:
    """True when ``file`` is the contents file that defines the tree and is not a chapter itself.

    That is ``SUMMARY.md`` with a link in it, or (when there is no ``SUMMARY.md``)
    a ``README.md``/``index.md`` that is nothing but a list of links.
    """
    name = file.path.name.lower()
    if name not in CONTENTS_NAMES or resolve_path(file.path.parent) != resolve_path(lang_root):
        return False
    if name != "summary.md" and any((lang_root / n).is_file() for n in ("SUMMARY.md", "summary.md")):
        return False
    toc = _find_toc_file(lang_root, [file])
    return toc is not None and toc[0] is file and not _is_chapter(toc[0], toc[1])


def contents_titles(lang_root: Path) -> dict[Path, str]:
    """``resolved file -> title`` for the chapters the contents file names with link text.

    The loader gives those chapters these titles; other indexes (search) use
    this to name them the same way without loading the handbook.
    """
    files = [
        read_markdown_file(lang_root / name)
        for name in ("SUMMARY.md", "summary.md", "README.md", "readme.md", "index.md")
        if (lang_root / name).is_file()
    ]
    toc = _find_toc_file(lang_root, files)
    titles: dict[Path, str] = {}
    if toc is None:
        return titles

    def visit(entries: list[SummaryEntry]) -> None:
        for entry in entries:
            if entry.kind == "chapter" and entry.target is not None and entry.target not in titles:
                titles[entry.target] = strip_control(entry.title) if entry.title else ""
            visit(entry.children)

    visit(toc[1].entries)
    return {path: title for path, title in titles.items() if title}


is_summary_toc = is_contents_file
"""The older name of :func:`is_contents_file`."""


def _is_chapter(file: MarkdownFile, contents: Contents) -> bool:
    """A README with text besides its list is a chapter; SUMMARY.md and a bare list are not."""
    return file.path.name.lower() != "summary.md" and not contents.is_only_a_list


_URL_IN_TEXT = re.compile(r"""(?:\]\(|href\s*=\s*["']?)\s*<?(https?://[^\s)"'<>]+)""")


class _ContentsLinks:
    """Where a contents file's links go: relative paths, this folder's repository URLs, permalinks."""

    def __init__(self, lang_root: Path, exists: Callable[[Path], bool], files: Iterable[Path]) -> None:
        self.exists = exists
        self.urls = FolderUrls.of(resolve_path(lang_root), files)
        self.permalinks: dict[str, Path] = {}
        self.site_host: str | None = None
        """Only URLs on this host (when known) may be permalinks of this site."""

    def __call__(self, href: str, folder: Path) -> Path | None:
        if href.startswith(("http://", "https://")):
            local = self.urls.locate(href)
            if local is not None:
                return local
            parts = urlsplit(href)
            if self.site_host is None or parts.hostname == self.site_host:
                return self.permalinks.get(normalise_permalink(parts.path)) if parts.path.strip("/") else None
            return None
        if href.startswith("/"):
            return self.permalinks.get(normalise_permalink(href))
        return local_file(href, folder, self.exists)


def _find_toc_file(
    lang_root: Path, files: list[MarkdownFile], links: _ContentsLinks | None = None
) -> tuple[MarkdownFile, Contents] | None:
    """The contents file and its entries: ``SUMMARY.md`` with a link, else a README/index that is mostly a list.

    ``links`` resolves the links (default: relative paths to files on disk).
    """
    by_name = {f.path.name.lower(): f for f in files if f.path.parent == lang_root}
    base = resolve_path(lang_root)
    if links is None:
        links = _ContentsLinks(lang_root, lambda path: path.is_file(), (resolve_path(f.path) for f in files))
    for name in CONTENTS_NAMES:
        candidate = by_name.get(name)
        if candidate is None or candidate.problem is not None:
            continue
        links.urls.learn(_URL_IN_TEXT.findall(candidate.body))
        folder = resolve_path(candidate.path.parent) if candidate.path.parent != lang_root else base
        contents = parse_summary(candidate.body, lambda href: links(href, folder))
        if name == "summary.md":
            if contents.list_links or any(e.target is not None for e in contents.entries):
                return candidate, contents
        elif contents.is_mostly_a_list:
            return candidate, contents
        links.urls.bases.clear()  # not the contents after all: it teaches nothing
    return None


def mdbook_source(root: Path) -> Path:
    """``root`` itself, or the ``src`` folder its mdBook ``book.toml`` names (``[book] src``, default ``src``)."""
    config = root / "book.toml"
    if not config.is_file():
        return root
    source = "src"
    try:
        import tomllib

        book = tomllib.loads(config.read_text("utf-8", errors="replace")).get("book", {})
        if isinstance(book, dict) and isinstance(book.get("src"), str) and book["src"].strip():
            source = book["src"].strip()
    except (OSError, ValueError):
        pass  # an unreadable book.toml: mdBook's default folder
    candidate = root / source
    return candidate if candidate.is_dir() and resolve_path(candidate).is_relative_to(resolve_path(root)) else root


def resolve_language(root: Path, lang: str | None = None) -> tuple[Path, str | None, list[str]]:
    """``(lang folder, lang, languages)``: ``root`` or ``root/<lang>``, as loading picks it.

    An mdBook folder (with ``book.toml``) is read from its ``src`` folder.

    Raises:
        PeeragogyError: ``root`` is missing or not a directory, or has no ``lang`` folder.
    """
    if not root.exists():
        raise PeeragogyError("handbook directory not found", path=root, hint="check the path given to --handbook")
    if not root.is_dir():
        raise PeeragogyError("not a directory", path=root, hint="--handbook takes a folder of Markdown files")
    return pick_language_folder(mdbook_source(root), lang, missing="this handbook has no '{lang}' translation")


def load_handbook(root: Path, lang: str | None = None, *, cache: bool = True) -> Handbook:
    """Load every Markdown file under ``root`` into a :class:`Handbook`.

    With ``cache`` (the default), frontmatter that is unchanged since the last
    load comes from the :mod:`~peeragogy_tui.core.handbook.frontmatter_cache` instead of
    being parsed again; the result is the same either way.

    Raises:
        PeeragogyError: ``root`` is missing, not a directory, or holds no Markdown.
    """
    lang_root, lang, languages = resolve_language(root, lang)
    walk = walk_markdown(lang_root)
    paths = walk.files
    if not paths:
        raise PeeragogyError(
            "no Markdown files here",
            path=lang_root,
            hint="point --handbook at a folder that contains .md files"
            + ("; its links out of the folder were not followed (--follow-symlinks follows them)"
               if walk.skipped else ""),
        )
    files = _read_files(paths, lang_root, lang, cache)
    problems = [
        FileProblem(entry.path, None, entry.reason, entry.hint) for entry in walk.skipped if entry.kind != "outside"
    ]
    resolve = FolderCachedResolve()
    all_paths = {resolve(f.path) for f in files}
    links = _ContentsLinks(lang_root, all_paths.__contains__, all_paths)
    links.site_host = jekyll_site_host(lang_root)
    chapters = [make_chapter(f, lang_root, lang, resolve) for f in files]
    links.permalinks = {normalise_permalink(c.permalink): resolve(c.path) for c in chapters if c.permalink}
    toc = _find_toc_file(lang_root, files, links)
    contents_file = toc[0] if toc is not None and not _is_chapter(*toc) else None
    if contents_file is not None:
        chapters = [c for c in chapters if c.path != contents_file.path]
    fallback_root = fallback_folder(lang_root, lang, languages)
    fallbacks: list[Chapter] = []
    if fallback_root is not None:
        english = _read_files(walk_markdown(fallback_root).files, fallback_root, FALLBACK_LANG, cache)
        fallbacks = fallback_chapters(
            chapters, fallback_root, english, resolve, lambda f: is_contents_file(f, fallback_root)
        )
    if toc is not None:
        resolved = {resolve(c.path): c for c in chapters}
        skip = {resolve(contents_file.path)} if contents_file is not None else set()
        tree, used = tree_from_summary(toc[1].entries, toc[0].path, resolved, problems, skip)
        if contents_file is None:
            own = resolved[resolve(toc[0].path)]
            if resolve(own.path) not in used:  # a README with an introduction is the first chapter
                tree.insert(0, TocNode(own.title, own))
                used.add(resolve(own.path))
        leftovers = [c for c in chapters if resolve(c.path) not in used] + fallbacks
        if leftovers:
            tree.append(TocNode(NOT_IN_CONTENTS, None, tree_from_folders(leftovers, lang_root, _place(lang_root, fallback_root))))
    else:
        tree = tree_from_folders(chapters + fallbacks, lang_root, _place(lang_root, fallback_root))
    mark_fallbacks(tree)
    handbook = Handbook(lang_root, lang or "en", languages, tree, [], problems)
    handbook.folder_urls, handbook.site_host = links.urls, links.site_host
    handbook.skipped = [entry for entry in walk.skipped if entry.kind == "outside"]
    handbook.fallback_root = fallback_root
    return _index(handbook, resolve)


def _read_files(paths: list[Path], lang_root: Path, lang: str | None, cache: bool) -> list[MarkdownFile]:
    """Read ``paths`` of one language folder, with that folder's frontmatter cache unless ``cache`` is off."""
    if not cache:
        return [read_markdown_file(path) for path in paths]
    from peeragogy_tui.core.handbook.frontmatter_cache import FrontmatterCache

    frontmatter = FrontmatterCache.open(lang_root, lang)
    files = [read_markdown_file(path, frontmatter) for path in paths]
    frontmatter.save()
    return files


def _place(lang_root: Path, fallback_root: Path | None) -> Callable[[Chapter], Path] | None:
    """Where a chapter sits in the tree: a fallback chapter where its translation would be."""
    if fallback_root is None:
        return None

    def folder_of(chapter: Chapter) -> Path:
        if chapter.fallback:
            return lang_root / chapter.path.parent.relative_to(fallback_root)
        return chapter.path.parent

    return folder_of


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
