"""The loaded handbook's tree, kept so that the next start shows it before loading anything.

Loading a 5,000-chapter handbook (walking the folder, reading every file,
building the tree) took over a second, and the reader showed nothing until it
was done. So the reader keeps what it loaded in a snapshot: every chapter's
id, file, title, order, frontmatter, problem and place in the tree, the tree
itself and the handbook's problems, but not the chapters' bodies. The next
start decodes the snapshot (a few tens of milliseconds), shows it at once,
and loads the real handbook in the background; if the two differ, the real
one is swapped in (see :mod:`peeragogy_tui.tui.live_reload`).

A chapter from a snapshot reads its body from its file when first asked for
it; its path (and the handbook's path index) are made from text on first use,
since 5,000 ``Path`` objects cost more than the rest of the snapshot.

One snapshot per handbook and language, a :mod:`~peeragogy_tui.core.cache_files`
file (0600 in a 0700 folder of the data dir), checked against the loader's own
source (an edit to the loader is a new format). A missing, corrupt, foreign or
old snapshot is no snapshot: the handbook is loaded as before, and the snapshot
written again. A handbook whose frontmatter JSON cannot hold unchanged (a YAML
date, say) gets no snapshot.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from peeragogy_tui.core.cache_files import (
    cache_path,
    decode_rest,
    encode_rest,
    handbook_key,
    read_cache_head,
    source_fingerprint,
    write_cache,
)
from peeragogy_tui.core.handbook import (
    chapters,
    fallback,
    folder_walk,
    frontmatter_cache,
    hrefs,
    languages,
    loading,
    markdown_file,
    models,
    quick_frontmatter,
    site_urls,
    summary,
    titles,
    toc,
)
from peeragogy_tui.core.handbook.chapters import meta_fields
from peeragogy_tui.core.handbook.folder_walk import SkippedEntry, follow_symlinks_default
from peeragogy_tui.core.handbook.markdown_file import FileProblem, Frontmatter, read_markdown_file
from peeragogy_tui.core.handbook.models import (
    Chapter,
    Handbook,
    LazyField,
    LazyIndex,
    TocNode,
    normalise_permalink,
)
from peeragogy_tui.core.handbook.site_urls import FolderUrls
from peeragogy_tui.core.sanitize import strip_control

__all__ = ["SnapshotChapter", "SnapshotHandbook", "encode_handbook", "read_snapshot", "snapshot_path", "write_snapshot"]

_FORMAT = 1


def _fingerprint() -> str:
    # Every module whose code decides what load_handbook returns, and this one.
    import sys

    return source_fingerprint(
        _FORMAT,
        sys.modules[__name__],
        loading,
        toc,
        chapters,
        models,
        summary,
        fallback,
        titles,
        markdown_file,
        quick_frontmatter,
        frontmatter_cache,
        folder_walk,
        site_urls,
        hrefs,
        languages,
    )


def _key(lang_root: Path, lang: str | None) -> str:
    """The handbook and language, and whether links out of the folder are followed (it changes the walk)."""
    return handbook_key(lang_root, lang) + ("\0follow" if follow_symlinks_default() else "")


def snapshot_path(lang_root: Path, lang: str | None) -> Path:
    """The snapshot file of the handbook in ``lang_root``."""
    return cache_path("tree", _key(lang_root, lang))


# ------------------------------------------------------------------ encoding


def _problem(problem: FileProblem | None) -> list[Any] | None:
    if problem is None:
        return None
    return [str(problem.path), problem.line, problem.message, problem.hint]


def _chapter(chapter: Chapter, resolved: Path, root: str) -> list[Any]:
    """``[id, title, path, resolved path, depth, problem, fallback]``: what start-up needs.

    The path is left out (``None``) when it is ``<root>/<id>.md``, the resolved
    path when it is the path.
    """
    path = str(chapter.path)
    return [
        chapter.id,
        chapter.title,
        None if path == f"{root}/{chapter.id}.md" else path,
        None if str(resolved) == path else str(resolved),
        chapter.depth,
        _problem(chapter.problem),
        chapter.fallback,
    ]


def _details(chapter: Chapter, lang: str) -> list[Any]:
    """``[body line, meta, overrides]``: the rest, decoded when first asked for.

    The fields the frontmatter decides are made from ``meta`` again, so only
    those that loading changed afterwards are kept (a fallback chapter's
    translated part, its language).
    """
    derived = meta_fields(chapter.meta, lang)
    overrides = {name: getattr(chapter, name) for name in derived if getattr(chapter, name) != derived[name]}
    return [chapter.body_line, chapter.meta, overrides or None]


def _urls(handbook: Handbook) -> list[Any] | None:
    """The repository URLs: the folder, what was learnt, and how its files differ from the chapters'."""
    urls = handbook.folder_urls
    if urls is None:
        return None
    derived = FolderUrls.of(urls.root, handbook.by_path).files
    extra = sorted(relative for relative, path in urls.files.items() if derived.get(relative) != path)
    missing = sorted(relative for relative in derived if relative not in urls.files)
    return [str(urls.root), sorted(list(base) for base in urls.bases), extra, missing]


def encode_handbook(handbook: Handbook) -> tuple[dict[str, Any], list[Any]]:
    """The snapshot of ``handbook``, JSON-able, everything but the bodies: ``(what start-up needs, the details)``."""
    position = {id(chapter): index for index, chapter in enumerate(handbook.chapters)}
    resolved = {id(chapter): path for path, chapter in handbook.by_path.items()}

    def tree(nodes: list[TocNode]) -> list[Any]:
        # A chapter with no children, titled as its chapter (most of them): its index alone.
        return [
            position[id(node.chapter)]
            if node.chapter is not None and not node.children and node.title == node.chapter.title
            else [node.title, node.kind, position[id(node.chapter)] if node.chapter is not None else None, tree(node.children)]
            for node in nodes
        ]

    root = str(handbook.root)
    return {
        "root": root,
        "lang": handbook.lang,
        "languages": handbook.languages,
        "chapters": [_chapter(c, resolved.get(id(c), c.path), root) for c in handbook.chapters],
        "tree": tree(handbook.tree),
        "problems": [_problem(p) for p in handbook.problems],
        "urls": _urls(handbook),
        "site_host": handbook.site_host,
        "skipped": [[str(s.path), s.kind, s.reason, s.hint] for s in handbook.skipped],
        "fallback_root": None if handbook.fallback_root is None else str(handbook.fallback_root),
    }, [_details(c, handbook.lang) for c in handbook.chapters]


def write_snapshot(lang_root: Path, lang: str | None, handbook: Handbook) -> Any:
    """Store ``handbook``'s snapshot; its encoded form (see :func:`encode_handbook`), or ``None``.

    ``None``: JSON would not give it back unchanged (a YAML date in a
    frontmatter, say). Then an older snapshot is removed, as it would only be
    swapped out at every start. Best effort, as every cache: a disk that
    cannot be written means no snapshot.
    """
    path = snapshot_path(lang_root, lang)
    encoded = encode_handbook(handbook)
    try:
        kept = json.loads(json.dumps(encoded, allow_nan=False)) == list(encoded)
    except (TypeError, ValueError, RecursionError):
        kept = False
    if not kept:
        try:
            os.unlink(path)
        except OSError:
            pass
        return None
    write_cache(path, _key(lang_root, lang), _fingerprint(), encoded[0], encoded[1])
    return encoded


# ------------------------------------------------------------------ decoding


class _Details:
    """The details of every chapter of one snapshot (the file's second part), decoded once, when first needed."""

    def __init__(self, rest: bytes, lang: str) -> None:
        self._rest: bytes | None = rest
        self._items: list[Any] | None = None
        self.lang = lang

    def of(self, index: int) -> list[Any]:
        """``[body line, meta, overrides]`` of the chapter at ``index`` (empty ones if the part is damaged)."""
        if self._items is None:
            items = decode_rest(self._rest or b"")
            self._items, self._rest = (items if isinstance(items, list) else []), None
        try:
            body_line, meta, overrides = self._items[index]
            if isinstance(meta, dict) and isinstance(body_line, int) and isinstance(overrides, (dict, type(None))):
                return [body_line, meta, overrides]
        except (IndexError, TypeError, ValueError):
            pass
        return [1, {}, None]  # shown until the real load, which follows at once, replaces it


_DETAIL_FIELDS = ("body_line", "lang", "order", "permalink", "summary", "part", "tags", "meta")


class SnapshotChapter(Chapter):
    """A chapter from a snapshot: its path, body and details are made when first used.

    The body is read from the file (split from its frontmatter as loading does);
    the path is made from its text; the rest comes from the snapshot's details.
    Built without the dataclass's ``__init__`` (see :func:`_decode_chapters`).
    """

    path = LazyField()  # type: ignore[assignment]
    body = LazyField()  # type: ignore[assignment]
    body_line = LazyField()  # type: ignore[assignment]
    lang = LazyField()  # type: ignore[assignment]
    order = LazyField()  # type: ignore[assignment]
    permalink = LazyField()  # type: ignore[assignment]
    summary = LazyField()  # type: ignore[assignment]
    part = LazyField()  # type: ignore[assignment]
    tags = LazyField()  # type: ignore[assignment]
    meta = LazyField()  # type: ignore[assignment]

    _path_text: str
    _details: _Details

    def _make(self, name: str) -> None:
        values = self.__dict__
        if name == "path":
            values["path"] = Path(self._path_text)
        elif name == "body":
            values["body"] = read_markdown_file(self.path, _no_frontmatter).body
        else:
            body_line, meta, overrides = self._details.of(self.index)
            fields = {"body_line": body_line, **meta_fields(meta, self._details.lang), **(overrides or {})}
            for field_name in _DETAIL_FIELDS:
                values.setdefault(field_name, fields[field_name])


def _no_frontmatter(front: str, end: int) -> Frontmatter:
    """The frontmatter of a snapshot's chapter is known already: only its body is read."""
    return Frontmatter()


class SnapshotHandbook(Handbook):
    """A handbook decoded from a snapshot; its path and permalink indexes and repository URLs are built when first used."""

    def __init__(
        self,
        *args: Any,
        resolved: dict[int, str] | None = None,
        urls: list[Any] | None = None,
        stored: tuple[dict[str, Any], bytes] = ({}, b""),
        **kwargs: Any,
    ) -> None:
        self.stored = stored
        """The snapshot as read: its first part decoded, the details as bytes (see :func:`differences`)."""
        self._resolved = resolved or {}
        self._urls = urls
        super().__init__(*args, **kwargs)

    by_path = LazyIndex()  # type: ignore[assignment]
    by_permalink = LazyIndex()  # type: ignore[assignment]
    folder_urls = LazyIndex()  # type: ignore[assignment]

    def _make_by_permalink(self) -> dict[str, Chapter]:
        found: dict[str, Chapter] = {}
        for chapter in self.chapters:
            if chapter.permalink:
                found.setdefault(normalise_permalink(chapter.permalink), chapter)
        return found

    def _make_by_path(self) -> dict[Path, Chapter]:
        found: dict[Path, Chapter] = {}
        for chapter in self.chapters:
            resolved = self._resolved.get(chapter.index)
            found[Path(resolved) if resolved is not None else chapter.path] = chapter
        return found

    def _make_folder_urls(self) -> FolderUrls | None:
        if self._urls is None:
            return None
        root, bases, extra, missing = self._urls
        urls = FolderUrls.of(Path(root), self.by_path)
        for relative in missing:
            urls.files.pop(relative, None)
        urls.files.update((relative, urls.root / relative) for relative in extra)
        urls.bases = {(str(a), str(b)) for a, b in bases}
        return urls


def _decode_problem(item: list[Any]) -> FileProblem:
    path, line, message, hint = item
    return FileProblem(Path(path), line, message, hint)


def _decode_chapters(
    items: list[Any], root: str, details: _Details, problems: dict[tuple[Any, ...], FileProblem]
) -> tuple[list[Chapter], dict[int, str]]:
    found: list[Chapter] = []
    resolved: dict[int, str] = {}
    new = object.__new__
    for index, (chapter_id, title, path, real, depth, problem, is_fallback) in enumerate(items):
        chapter = new(SnapshotChapter)
        chapter.__dict__.update(
            id=chapter_id,
            title=_clean(title),
            _path_text=path if path is not None else f"{root}/{chapter_id}.md",
            depth=depth,
            problem=problems[tuple(problem)] if problem is not None else None,
            index=index,
            fallback=is_fallback,
            _details=details,
        )
        if real is not None:
            resolved[index] = real
        found.append(chapter)
    return found, resolved


_KINDS = frozenset(("chapter", "part", "draft", "separator", "external"))


def _decode_tree(items: list[Any], found: list[Chapter]) -> list[TocNode]:
    """The tree's nodes, made without ``TocNode.__post_init__``: titles are cleaned here (once per chapter)."""
    nodes = []
    new = object.__new__
    for item in items:
        node = new(TocNode)
        chapter: Chapter | None
        if isinstance(item, int):
            chapter = found[item]
            node.__dict__.update(title=chapter.title, chapter=chapter, children=[], kind="chapter")
        else:
            title, kind, index, children = item
            chapter = found[index] if index is not None else None
            if kind not in _KINDS or (chapter is not None) != (kind == "chapter"):
                raise ValueError(f"a tree node of kind {kind!r}")
            node.__dict__.update(
                title=_clean(title), chapter=chapter, children=_decode_tree(children, found), kind=kind
            )
        nodes.append(node)
    return nodes


def _clean(title: str) -> str:
    """A title as :class:`TocNode` keeps it: no control characters, one line."""
    return strip_control(title).replace("\n", " ")


def decode_handbook(data: dict[str, Any], rest: bytes = b"") -> SnapshotHandbook:
    """The handbook a snapshot describes (raises on a snapshot of the wrong shape)."""
    problems: dict[tuple[Any, ...], FileProblem] = {}
    for item in [*data["problems"], *(chapter[5] for chapter in data["chapters"] if chapter[5] is not None)]:
        if tuple(item) not in problems:
            problems[tuple(item)] = _decode_problem(item)
    details = _Details(rest, data["lang"])
    found, resolved = _decode_chapters(data["chapters"], data["root"], details, problems)  # type: ignore[arg-type]
    handbook = SnapshotHandbook(
        Path(data["root"]),
        data["lang"],
        list(data["languages"]),
        _decode_tree(data["tree"], found),
        found,
        [problems[tuple(item)] for item in data["problems"]],  # type: ignore[misc]
        resolved=resolved,
        urls=data["urls"],
        stored=(data, rest),
    )
    handbook.by_id = {chapter.id: chapter for chapter in found}  # the last of a repeated id wins, as in loading
    handbook.site_host = data["site_host"]
    handbook.skipped = [SkippedEntry(Path(path), kind, reason, hint) for path, kind, reason, hint in data["skipped"]]
    handbook.fallback_root = Path(data["fallback_root"]) if data["fallback_root"] is not None else None
    return handbook


def read_snapshot(lang_root: Path, lang: str | None) -> SnapshotHandbook | None:
    """The handbook the snapshot of ``lang_root`` describes, or ``None`` (none, corrupt or old)."""
    found = read_cache_head(snapshot_path(lang_root, lang), _key(lang_root, lang), _fingerprint())
    if found is None or not isinstance(found[0], dict):
        return None
    try:
        return decode_handbook(*found)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None  # the right fingerprint but not the shape this code writes: a damaged file



def _files(data: dict[str, Any], details: list[Any]) -> dict[str, tuple[Any, ...]]:
    """Each chapter's file and everything the snapshot says of it."""
    root = data["root"]
    files = {}
    for index, item in enumerate(data["chapters"]):
        path = item[2] if item[2] is not None else f"{root}/{item[0]}.md"
        files[path] = (index, *item, *(details[index] if index < len(details) else ()))
    return files


def differences(shown: SnapshotHandbook, real: Handbook) -> tuple[set[str], set[str], set[str]] | None:
    """``None`` when ``real`` is what ``shown`` (read from its snapshot) says, else the files ``(added, modified, deleted)``.

    A chapter that moved in the tree, or any other change (the tree's shape,
    the handbook's problems) with no file of its own, counts as no file at all:
    the caller shows ``real`` either way.
    """
    data, rest = shown.stored
    core, details = encode_handbook(real)
    if core == data and encode_rest(details) == rest:
        return None
    before = _files(data, decode_rest(rest) or [])
    after = _files(json.loads(json.dumps(core)), json.loads(json.dumps(details)))
    added = set(after) - set(before)
    deleted = set(before) - set(after)
    modified = {path for path in set(before) & set(after) if before[path] != after[path]}
    return added, modified, deleted
