"""The handbook's data: chapters, tree nodes and a loaded handbook.

Every other module of the handbook package imports these types from here, and
this module imports only the two leaf modules (:mod:`.markdown_file`,
:mod:`.site_urls`) that import nothing of the package, so no module imports its caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

from peeragogy_tui.core.handbook.folder_walk import SkippedEntry
from peeragogy_tui.core.handbook.markdown_file import FileProblem, resolve_path
from peeragogy_tui.core.handbook.site_urls import FolderUrls
from peeragogy_tui.core.sanitize import strip_control

__all__ = ["Chapter", "Handbook", "LazyField", "LazyIndex", "TocKind", "TocNode", "normalise_permalink"]

TocKind = Literal["chapter", "part", "draft", "separator", "external"]
"""A tree node: a chapter; a part or folder grouping some; a draft (a title with no file
yet); a ``---`` separator; or a contents link that leaves the handbook."""


def normalise_permalink(link: str) -> str:
    """``/chapters/en/x/``, ``/chapters/en/x.html`` and ``chapters/en/x`` compare equal."""
    link = unquote(link.split("#", 1)[0]).strip().strip("/")
    for suffix in ("/index.html", ".html", ".md"):
        link = link.removesuffix(suffix)
    return "/" + link.strip("/")


@dataclass
class TocNode:
    """A node of the chapter tree: a chapter, or a part/folder that groups some (see :data:`TocKind`)."""

    title: str
    chapter: Chapter | None = None
    children: list[TocNode] = field(default_factory=list)
    kind: TocKind = "part"
    """``"chapter"`` whenever ``chapter`` is set; otherwise what the title-only node is."""

    def __post_init__(self) -> None:
        if self.chapter is not None:
            self.kind = "chapter"
        # folder names and contents-file link text are untrusted: a label never carries controls
        self.title = strip_control(self.title).replace("\n", " ")

    @property
    def openable(self) -> bool:
        """True when choosing the node opens a chapter."""
        return self.chapter is not None


@dataclass
class Chapter:
    """One Markdown file of the handbook, ready to show (or shown as broken)."""

    id: str
    path: Path
    title: str
    lang: str
    body: str = ""
    body_line: int = 1
    order: float | None = None
    permalink: str | None = None
    summary: str = ""
    part: str | None = None
    tags: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    depth: int = 0
    problem: FileProblem | None = None
    index: int = 0
    """Position in reading order."""
    fallback: bool = False
    """An English chapter shown in a translation that has no version of it yet."""

    @property
    def broken(self) -> bool:
        """True when the file could not be read or its frontmatter is wrong."""
        return self.problem is not None


@dataclass
class Handbook:
    """A loaded handbook in one language."""

    root: Path
    lang: str
    languages: list[str]
    tree: list[TocNode]
    chapters: list[Chapter]
    problems: list[FileProblem] = field(default_factory=list)
    by_id: dict[str, Chapter] = field(default_factory=dict)
    by_path: dict[Path, Chapter] = field(default_factory=dict)
    by_permalink: dict[str, Chapter] = field(default_factory=dict)
    folder_urls: FolderUrls | None = None
    """Repository URLs that mean this folder (learnt from the contents file)."""
    site_host: str | None = None
    """The site's host from a Jekyll ``_config.yml`` (permalink URLs elsewhere are external)."""
    skipped: list[SkippedEntry] = field(default_factory=list)
    """Symbolic links out of the folder that were not followed (``--follow-symlinks`` follows them)."""
    fallback_root: Path | None = None
    """The English folder untranslated chapters come from (a translation only)."""

    def get(self, chapter_id: str) -> Chapter | None:
        """The chapter with this id, or ``None``."""
        return self.by_id.get(chapter_id)

    def next(self, chapter: Chapter) -> Chapter | None:
        """The chapter after ``chapter`` in reading order."""
        index = chapter.index + 1
        return self.chapters[index] if index < len(self.chapters) else None

    def previous(self, chapter: Chapter) -> Chapter | None:
        """The chapter before ``chapter`` in reading order."""
        return self.chapters[chapter.index - 1] if chapter.index > 0 else None

    def find(self, reference: str) -> Chapter | None:
        """A chapter by id, by file path, or by permalink."""
        if reference in self.by_id:
            return self.by_id[reference]
        stripped = reference.removesuffix(".md").removesuffix(".markdown").strip("/")
        if stripped in self.by_id:
            return self.by_id[stripped]
        for candidate in (Path(reference), self.root / reference):
            resolved = resolve_path(candidate)
            if resolved in self.by_path:
                return self.by_path[resolved]
        return self.by_permalink.get(normalise_permalink(reference))


class LazyIndex:
    """A :class:`Handbook` index (``by_path``, ``by_permalink``, …) that a subclass builds when first used.

    For handbooks made without loading every chapter (a tree snapshot, a
    provisional first start), where building an index at once would cost more
    than the rest of start-up. The subclass defines ``_make_<name>()``; an
    assigned value replaces the index (an empty one: built again when used).
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name, self.slot = name, f"_lazy_{name}"

    def __get__(self, handbook: Handbook | None, owner: type | None = None) -> Any:
        if handbook is None:
            return self
        value = handbook.__dict__.get(self.slot)
        if value is None:
            value = getattr(handbook, f"_make_{self.name}")()
            handbook.__dict__[self.slot] = value
        return value

    def __set__(self, handbook: Handbook, value: Any) -> None:
        handbook.__dict__[self.slot] = value or None


class LazyField:
    """A :class:`Chapter` field a subclass makes when first read, by its ``_make(name)`` (a data descriptor over the instance's dict).

    For chapters whose details are not at hand at start-up: from a tree
    snapshot, or a file a provisional first start has not read yet.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, chapter: Chapter | None, owner: type | None = None) -> Any:
        if chapter is None:
            return self
        values = chapter.__dict__
        if self.name not in values:
            chapter._make(self.name)  # type: ignore[attr-defined]
        return values[self.name]

    def __set__(self, chapter: Chapter, value: Any) -> None:
        chapter.__dict__[self.name] = value
