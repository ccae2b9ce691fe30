"""The chapter tree: nodes, walking them, and building them from folders or a summary.

Folders nest; within a folder, frontmatter ``part`` groups chapters and
``order`` then the file name sorts them. A ``SUMMARY.md`` (see
:mod:`peeragogy_tui.core.handbook.summary`) overrides all that with its own nesting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from peeragogy_tui.core.handbook.markdown_file import FileProblem
from peeragogy_tui.core.handbook.models import Chapter, TocNode
from peeragogy_tui.core.handbook.summary import SummaryEntry
from peeragogy_tui.core.sanitize import strip_control

__all__ = [
    "INDEX_NAMES",
    "TocNode",
    "folder_level",
    "folder_title",
    "index_chapter",
    "tree_from_folders",
    "tree_from_summary",
    "walk_tree",
]

INDEX_NAMES = ("index.md", "readme.md", "_index.md")
"""A file with one of these names titles its folder's node in the tree."""


def walk_tree(nodes: list[TocNode], depth: int = 0) -> Iterator[tuple[TocNode, int]]:
    """Every node with its depth, in reading order."""
    for node in nodes:
        yield node, depth
        yield from walk_tree(node.children, depth + 1)


def _sort_key(chapter: Chapter) -> tuple[bool, float, str]:
    return (chapter.order is None, chapter.order or 0.0, chapter.path.name.lower())


def tree_from_folders(
    chapters: list[Chapter], lang_root: Path, folder_of: Callable[[Chapter], Path] | None = None
) -> list[TocNode]:
    """Directories nest; within one, ``part`` groups and ``order`` then name sort.

    ``folder_of`` says which folder under ``lang_root`` a chapter sits in (default:
    its file's; an English fallback chapter sits where its translation would).
    """
    by_dir: dict[Path, list[Chapter]] = {}
    for chapter in chapters:
        by_dir.setdefault(folder_of(chapter) if folder_of else chapter.path.parent, []).append(chapter)
    # Every folder between lang_root and a chapter, so that folders holding only
    # subfolders still appear (and their chapters are not lost).
    folders: set[Path] = set()
    root_parts = lang_root.parts
    depth = len(root_parts)
    for directory in by_dir:
        # ``lang_root in directory.parents``, by comparing parts (the same, at a tenth of the cost)
        while directory not in folders and len(directory.parts) > depth and directory.parts[:depth] == root_parts:
            folders.add(directory)
            directory = directory.parent
    subfolders: dict[Path, list[Path]] = {}
    for folder in folders:
        subfolders.setdefault(folder.parent, []).append(folder)

    def build(directory: Path) -> list[TocNode]:
        subdirs = [
            (sub, index_chapter(by_dir.get(sub, [])), build(sub)) for sub in sorted(subfolders.get(directory, ()))
        ]
        return folder_level(by_dir.get(directory, []), subdirs)

    return build(lang_root)


def index_chapter(chapters: list[Chapter]) -> Chapter | None:
    """The chapter (of one folder's own, in walk order) that titles the folder's node, if any."""
    return next((c for c in chapters if c.path.name.lower() in INDEX_NAMES), None)


def folder_title(folder: Path) -> str:
    """A folder's node title when no index file names it: ``getting-started`` → "Getting started"."""
    return folder.name.replace("-", " ").replace("_", " ").capitalize()


def folder_level(
    chapters: list[Chapter], subfolders: list[tuple[Path, Chapter | None, list[TocNode]]]
) -> list[TocNode]:
    """One folder's nodes: its own ``chapters`` and its ``subfolders`` (sorted; each with its index and nodes).

    Within the folder, ``part`` groups chapters, and ``order`` then the file
    name sorts them; a subfolder sorts by its index chapter, else by name
    after every chapter that has an order. Shared by the full load and the
    provisional tree (:mod:`.provisional`), so that both place a folder's nodes alike.
    """
    entries: list[tuple[tuple[bool, float, str], TocNode]] = []
    for sub, index, children in subfolders:
        if index is not None:
            node = TocNode(index.title, index, [n for n in children if n.chapter is not index])
            key = _sort_key(index)
        else:
            node = TocNode(folder_title(sub), None, children)
            key = (True, 0.0, sub.name.lower())
        entries.append((key, node))
    parts: dict[str, TocNode] = {}
    for chapter in sorted(chapters, key=_sort_key):
        node = TocNode(chapter.title, chapter)
        if chapter.part:
            if chapter.part not in parts:
                parts[chapter.part] = TocNode(chapter.part)
                entries.append((_sort_key(chapter), parts[chapter.part]))
            parts[chapter.part].children.append(node)
        else:
            entries.append((_sort_key(chapter), node))
    entries.sort(key=lambda item: item[0])
    return [node for _, node in entries]


def tree_from_summary(
    entries: list[SummaryEntry],
    summary_path: Path,
    files: dict[Path, Chapter],
    problems: list[FileProblem],
    skip: set[Path] | frozenset[Path] = frozenset(),
) -> tuple[list[TocNode], set[Path]]:
    """The tree a contents file describes, and the (resolved) files it placed.

    A link's text titles its chapter (mdBook's sidebar title wins over the
    file's own). A link to a missing file is a problem and shows as a draft; a
    file listed twice is a chapter the first time only; links to files in
    ``skip`` (the contents file itself) are left out.
    """
    used: set[Path] = set()

    def build(items: list[SummaryEntry]) -> list[TocNode]:
        nodes = []
        for entry in items:
            children = build(entry.children)
            if entry.kind != "chapter" or entry.target is None:
                nodes.append(TocNode(entry.title, None, children, kind=entry.kind))
                continue
            if entry.target in skip:
                nodes.extend(children)
                continue
            chapter = files.get(entry.target)
            if chapter is None:
                problems.append(
                    FileProblem(
                        summary_path,
                        entry.line,
                        f"links to {entry.href or entry.target.name}, which does not exist",
                        "fix the link or create the file",
                    )
                )
                nodes.append(TocNode(entry.title or entry.target.stem, None, children, kind="draft"))
            elif entry.target in used:  # ``files`` is keyed by resolved path, as targets are
                nodes.append(TocNode(entry.title or chapter.title, None, children, kind="part"))
            else:
                used.add(entry.target)
                if entry.title:
                    chapter.title = strip_control(entry.title)
                nodes.append(TocNode(chapter.title, chapter, children))
        return nodes

    return build(entries), used
