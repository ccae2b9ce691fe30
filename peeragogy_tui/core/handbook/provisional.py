"""A first start of a large handbook: the top of its tree read exactly, the rest of the files read later.

With no tree snapshot (the first start, or after an upgrade), loading a
5,000-chapter handbook read every file before the first frame: over a
second, three at 20,000. Yet the reader shows only the top of the tree
(the lazy tree widget builds about :data:`EAGER_NODES` nodes) and one
chapter. So, for a handbook whose tree comes from its folders (no
contents file, no translation), this reads only the folders the tree
shows first, in the widget's own order, and builds those levels with the
full load's code (:func:`~.toc.folder_level`), so they are what the full
load gives. Every other folder is a branch whose one child says
"loading…", and its files are chapters read from their file when first
used (:class:`PendingChapter`). The app then loads the real handbook in the
background and swaps it in (see :mod:`peeragogy_tui.tui.live_reload`),
keeping the highlighted chapter where it is on screen.

What is exact before the swap: the nodes of every level read (titles, order,
parts, broken-file markers), the folders and which files are under each, the
number of chapters, the first chapter (the one a full load opens) and any
chapter's id. What is not: the order inside a folder not read yet (its
chapters' positions in reading order, so "next chapter" from one of them),
and permalinks of files not read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peeragogy_tui.core.handbook.chapters import FolderCachedResolve, chapter_id_for, make_chapter
from peeragogy_tui.core.handbook.fallback import fallback_folder
from peeragogy_tui.core.handbook.folder_walk import FolderWalk, walk_markdown
from peeragogy_tui.core.handbook.markdown_file import FileProblem, read_markdown_file, resolve_path
from peeragogy_tui.core.handbook.models import (
    Chapter,
    Handbook,
    LazyField,
    LazyIndex,
    TocNode,
    normalise_permalink,
)
from peeragogy_tui.core.handbook.site_urls import FolderUrls, jekyll_site_host
from peeragogy_tui.core.handbook.toc import folder_level, index_chapter

__all__ = ["CHUNK", "EAGER_NODES", "LOADING", "PROVISIONAL_FROM", "PendingChapter", "ProvisionalHandbook", "changed_files", "load_provisional"]

EAGER_NODES = 200
"""About how many nodes the lazy tree widget builds (and expands) before its first frame."""
CHUNK = 200
"""Siblings the lazy tree widget builds at a time."""
PROVISIONAL_FROM = 500
"""Handbooks with at least this many files start provisionally (the tree widget is lazy from 400 chapters)."""
LOADING = "loading…"
"""The title of the one child of a folder not read yet."""


_FILE_FIELDS = ("title", "body", "body_line", "lang", "order", "permalink", "summary", "part", "tags", "meta", "problem")


class PendingChapter(Chapter):
    """A chapter whose file is not read yet: its id comes from its path, the rest from the file when first used.

    Built without the dataclass's ``__init__`` (see :func:`_pending`).
    """

    title = LazyField()  # type: ignore[assignment]
    body = LazyField()  # type: ignore[assignment]
    body_line = LazyField()  # type: ignore[assignment]
    lang = LazyField()  # type: ignore[assignment]
    order = LazyField()  # type: ignore[assignment]
    permalink = LazyField()  # type: ignore[assignment]
    summary = LazyField()  # type: ignore[assignment]
    part = LazyField()  # type: ignore[assignment]
    tags = LazyField()  # type: ignore[assignment]
    meta = LazyField()  # type: ignore[assignment]
    problem = LazyField()  # type: ignore[assignment]

    _reader: _FolderReader

    @property  # type: ignore[override]
    def id(self) -> str:
        values = self.__dict__
        if "id" not in values:
            values["id"] = chapter_id_for(self.path, self._reader.lang_root, self._reader.resolve)
        return values["id"]  # type: ignore[no-any-return]

    @id.setter
    def id(self, value: str) -> None:
        self.__dict__["id"] = value

    @property
    def read(self) -> bool:
        """True once the file has been read."""
        return "body" in self.__dict__

    def _make(self, name: str) -> None:
        """Any field the file decides: read the file, and take them all."""
        found = make_chapter(read_markdown_file(self.path), self._reader.lang_root, self._reader.lang, self._reader.resolve)
        values = self.__dict__
        for field_name in _FILE_FIELDS:
            values.setdefault(field_name, found.__dict__[field_name])


def _pending(path: Path, index: int, depth: int, reader: _FolderReader) -> PendingChapter:
    chapter = object.__new__(PendingChapter)
    chapter.__dict__.update(path=path, index=index, depth=depth, fallback=False, _reader=reader)
    return chapter


class ProvisionalHandbook(Handbook):
    """A handbook whose top levels are read and the rest pending; its indexes are built when first used."""

    by_id = LazyIndex()  # type: ignore[assignment]
    by_path = LazyIndex()  # type: ignore[assignment]
    by_permalink = LazyIndex()  # type: ignore[assignment]
    folder_urls = LazyIndex()  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._resolve = FolderCachedResolve()
        super().__init__(*args, **kwargs)

    def get(self, chapter_id: str) -> Chapter | None:
        """The chapter with this id: a read one without making every pending chapter's id (a lstat each).

        Exact unless a pending file shares a read one's id (``index.md`` beside
        ``index.markdown``); :func:`_index` then turns this shortcut off.
        """
        if self.__dict__.get("_lazy_by_id") is None and self.read_ids is not None:
            found = self.read_ids.get(chapter_id)
            if found is not None:
                return found
        return self.by_id.get(chapter_id)

    read_ids: dict[str, Chapter] | None = None
    """The read chapters by id (``None``: look in :attr:`by_id`)."""

    def _make_by_id(self) -> dict[str, Chapter]:
        return {chapter.id: chapter for chapter in self.chapters}  # the last of a repeated id wins, as in loading

    def _make_by_path(self) -> dict[Path, Chapter]:
        return {self._resolve(chapter.path): chapter for chapter in self.chapters}

    def _make_by_permalink(self) -> dict[str, Chapter]:
        """Of the chapters read so far (a pending one's permalink would mean reading its file)."""
        found: dict[str, Chapter] = {}
        for chapter in self.chapters:
            if not isinstance(chapter, PendingChapter) and chapter.permalink:
                found.setdefault(normalise_permalink(chapter.permalink), chapter)
        return found

    def _make_folder_urls(self) -> FolderUrls:
        return FolderUrls.of(resolve_path(self.root), self.by_path)


class _FolderReader:
    """One handbook folder's walk, grouped by folder, and its files read a folder at a time."""

    def __init__(self, lang_root: Path, lang: str | None, walk: FolderWalk) -> None:
        from peeragogy_tui.core.handbook.frontmatter_cache import FrontmatterCache

        self.lang_root, self.lang = lang_root, lang
        self.resolve = FolderCachedResolve()
        self.frontmatter = FrontmatterCache.open(lang_root, lang)
        self.files: dict[Path, list[Path]] = walk.by_folder
        if not self.files:  # a walk made by hand
            for path in walk.files:
                self.files.setdefault(path.parent, []).append(path)
        self.subfolders: dict[Path, list[Path]] = {}
        seen: set[Path] = set()
        depth, root_parts = len(lang_root.parts), lang_root.parts
        for folder in list(self.files):
            while folder not in seen and len(folder.parts) > depth and folder.parts[:depth] == root_parts:
                seen.add(folder)
                self.subfolders.setdefault(folder.parent, []).append(folder)
                folder = folder.parent
        for subs in self.subfolders.values():
            subs.sort()
        self._chapters: dict[Path, Chapter] = {}
        self.unread: dict[int, tuple[Path, Chapter | None]] = {}
        """``id()`` of a "loading…" node -> the folder it stands for and that folder's index chapter."""

    def chapter(self, path: Path) -> Chapter:
        """The chapter of ``path``, read as the full load reads it (once)."""
        found = self._chapters.get(path)
        if found is None:
            found = self._chapters[path] = make_chapter(
                read_markdown_file(path, self.frontmatter), self.lang_root, self.lang, self.resolve
            )
        return found

    def level(self, folder: Path) -> list[TocNode]:
        """``folder``'s nodes, exact; each subfolder's children a "loading…" node until :meth:`expand`."""
        subfolders = []
        for sub in self.subfolders.get(folder, ()):
            index = self._index_of(sub)
            placeholder = TocNode(LOADING, kind="draft")
            self.unread[id(placeholder)] = (sub, index)
            subfolders.append((sub, index, [placeholder]))
        return folder_level([self.chapter(path) for path in self.files.get(folder, ())], subfolders)

    def _index_of(self, folder: Path) -> Chapter | None:
        names = [path for path in self.files.get(folder, ()) if path.name.lower() in ("index.md", "readme.md", "_index.md")]
        return index_chapter([self.chapter(path) for path in names]) if names else None

    def unread_folder(self, node: TocNode) -> tuple[Path, Chapter | None] | None:
        """The folder ``node`` stands for, if its files are not read yet."""
        if len(node.children) == 1 and id(node.children[0]) in self.unread:
            return self.unread[id(node.children[0])]
        return None

    def expand(self, node: TocNode) -> None:
        """Read the folder ``node`` stands for (no-op for a node whose children are known)."""
        found = self.unread_folder(node)
        if found is not None:
            del self.unread[id(node.children[0])]
            folder, index = found
            children = self.level(folder)
            node.children = children if index is None else [child for child in children if child.chapter is not index]

    def read_ahead(self, tree: list[TocNode]) -> None:
        """Read the folders the lazy tree widget expands before its first frame, and the way to the first chapter.

        The same walk as the widget's (``ChapterTree._expand_eagerly``): the
        first :data:`CHUNK` nodes of the top, then branches in reading order
        until about :data:`EAGER_NODES` nodes are built.
        """
        built = min(len(tree), CHUNK)
        queue = list(tree[:CHUNK])
        while queue and built < EAGER_NODES:
            node = queue.pop(0)
            if node.children:
                self.expand(node)
                batch = node.children[:CHUNK]
                built += len(batch)
                queue[:0] = batch
        nodes = tree
        while nodes and nodes[0].chapter is None:  # the chapter a full load opens: the first in reading order
            self.expand(nodes[0])
            nodes = nodes[0].children

    def files_under(self, folder: Path) -> list[Path]:
        """Every file under ``folder``, in walk order, folder by folder."""
        found = list(self.files.get(folder, ()))
        for sub in self.subfolders.get(folder, ()):
            found.extend(self.files_under(sub))
        return found


def _index(tree: list[TocNode], reader: _FolderReader) -> tuple[list[Chapter], list[FileProblem], bool]:
    """Chapters in reading order (a folder not read: its files in walk order) with index and depth, their problems,
    and whether a pending file has the id of a read index file.

    As the full load's ``_index`` and ``_set_depths`` do: depth counts chapters above, not parts.
    """
    chapters: list[Chapter] = []
    problems: list[FileProblem] = []

    def visit(nodes: list[TocNode], depth: int) -> None:
        for node in nodes:
            if node.chapter is not None:
                node.chapter.index, node.chapter.depth = len(chapters), depth
                chapters.append(node.chapter)
                if node.chapter.problem is not None:
                    problems.append(node.chapter.problem)
            below = depth + 1 if node.chapter is not None else depth
            unread = reader.unread_folder(node)
            if unread is None:
                visit(node.children, below)
                continue
            folder, index = unread
            for path in reader.files_under(folder):
                if index is None or path != index.path:
                    chapters.append(_pending(path, len(chapters), below, reader))
                    if index is not None and path.parent == index.path.parent and path.stem == index.path.stem:
                        clash[0] = True

    clash = [False]
    visit(tree, 0)
    return chapters, problems, clash[0]


def _has_contents_file(reader: _FolderReader) -> bool:
    """True when a file in the language folder is a contents file (SUMMARY.md, a README that is a list)."""
    from peeragogy_tui.core.handbook.loading import CONTENTS_NAMES, _find_toc_file

    names = [path for path in reader.files.get(reader.lang_root, ()) if path.name.lower() in CONTENTS_NAMES]
    if not names:
        return False
    # Whether a file is the contents depends on its list, not on where its links go: the full load agrees.
    return _find_toc_file(reader.lang_root, [read_markdown_file(path) for path in names]) is not None


def load_provisional(root: Path, lang: str | None = None) -> ProvisionalHandbook | None:
    """The handbook in ``root`` with only its first folders read, or ``None`` where a full load is needed.

    ``None``: fewer than :data:`PROVISIONAL_FROM` files (a full load is quick),
    a contents file (its tree needs every file), a translation (its English
    fallback chapters), or no Markdown at all (the full load says so).

    Raises:
        PeeragogyError: ``root`` is missing or not a directory (as loading says).
    """
    from peeragogy_tui.core.handbook.loading import resolve_language

    lang_root, lang, languages = resolve_language(root, lang)
    if fallback_folder(lang_root, lang, languages) is not None:
        return None
    walk = walk_markdown(lang_root)
    if len(walk.files) < PROVISIONAL_FROM:
        return None
    reader = _FolderReader(lang_root, lang, walk)
    if _has_contents_file(reader):
        return None
    tree = reader.level(lang_root)
    reader.read_ahead(tree)
    chapters, problems, clash = _index(tree, reader)
    walked = [FileProblem(entry.path, None, entry.reason, entry.hint) for entry in walk.skipped if entry.kind != "outside"]
    handbook = ProvisionalHandbook(lang_root, lang or "en", languages, tree, chapters, walked + problems)
    if not clash:
        handbook.read_ids = {chapter.id: chapter for chapter in chapters if not isinstance(chapter, PendingChapter)}
    handbook.site_host = jekyll_site_host(lang_root)
    handbook.skipped = [entry for entry in walk.skipped if entry.kind == "outside"]
    return handbook


def changed_files(shown: ProvisionalHandbook, real: Handbook) -> tuple[set[Path], set[Path], set[Path]]:
    """The files ``(added, modified, deleted)`` between ``shown`` and the full load ``real``.

    Modified: a chapter ``shown`` had read (at start-up, or since) that the
    full load found different (edited in between), so that a document made
    from it is made again. A pending chapter never read cannot be stale.
    """
    before = {chapter.path: chapter for chapter in shown.chapters}
    after = {chapter.path: chapter for chapter in real.chapters}
    modified = set()
    for path, mine in before.items():
        theirs = after.get(path)
        if theirs is None or (isinstance(mine, PendingChapter) and not mine.read):
            continue
        if any(getattr(mine, name) != getattr(theirs, name) for name in _FILE_FIELDS):
            modified.add(path)
    return set(after) - set(before), modified, set(before) - set(after)
