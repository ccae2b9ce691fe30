"""Watch a handbook folder for the authoring loop: change sets from watchfiles, and what they mean.

:func:`watch_changes` blocks in the caller's thread and yields a
:class:`ChangeSet` for each burst of edits (an editor's save is often
several events: a temp file, a rename, a chmod). watchfiles uses the
operating system's notifications (inotify, FSEvents, ReadDirectoryChangesW),
so an idle watcher costs next to nothing; see ``benchmarks/bench_authoring.py``.
The rest is pure: which paths count (not ``.git``, editor swap and backup
files), whether a chapter's document is stale, where a renamed chapter went.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from peeragogy_tui.core.handbook.models import Chapter, Handbook
from peeragogy_tui.errors import PeeragogyError

__all__ = ["MARKDOWN_SUFFIXES", "ChangeSet", "HandbookSource", "counts", "moved_chapter", "watch_changes"]

MARKDOWN_SUFFIXES = (".md", ".markdown")

_IGNORED_PARTS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", ".idea", "book"})
"""Folders whose changes never matter to the reader (``book`` is mdBook's build output)."""


_READY_TIMEOUT_MS = 1000
"""How long watchfiles waits before returning with no changes (only the first such return is used)."""


def counts(path: Path, folder: Path) -> bool:
    """True when a change to ``path`` (inside the watched ``folder``) can change what the reader shows.

    Hidden files and folders, editor swap/backup/lock files (``.x.swp``, ``x~``,
    ``#x#``, vim's ``4913`` probe) and build output are left out. Only the part
    of the path below ``folder`` is looked at: a handbook may itself live in a hidden folder.
    """
    name = path.name
    if not name or name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".swo", ".tmp")):
        return False
    if name == "4913" or name.startswith("flycheck_"):
        return False
    try:
        parts = path.relative_to(folder).parts[:-1]
    except ValueError:
        return False
    return not any(part in _IGNORED_PARTS or part.startswith(".") for part in parts)


@dataclass(frozen=True)
class ChangeSet:
    """What changed in one burst: files added, modified and deleted (a rename is a deletion and an addition)."""

    added: frozenset[Path] = frozenset()
    modified: frozenset[Path] = frozenset()
    deleted: frozenset[Path] = frozenset()

    @property
    def paths(self) -> frozenset[Path]:
        """Every path that changed."""
        return self.added | self.modified | self.deleted

    def __bool__(self) -> bool:
        return bool(self.added or self.modified or self.deleted)

    def merged(self, later: ChangeSet) -> ChangeSet:
        """This change set followed by ``later``, as one."""
        added = (self.added - later.deleted) | later.added
        deleted = (self.deleted - later.added) | later.deleted
        modified = (self.modified | later.modified) - deleted - added
        return ChangeSet(frozenset(added), frozenset(modified), frozenset(deleted))

    def touches(self, paths: Iterable[Path | str]) -> bool:
        """True when any of ``paths`` changed."""
        changed = {str(path) for path in self.paths}
        return any(str(path) in changed for path in paths)

    @classmethod
    def from_watchfiles(cls, raw: Iterable[tuple[int, str]], folder: Path) -> ChangeSet:
        """A change set from watchfiles' ``{(Change, path)}`` (1 added, 2 modified, 3 deleted), filtered by :func:`counts`."""
        sets: dict[int, set[Path]] = {1: set(), 2: set(), 3: set()}
        for change, name in raw:
            path = Path(name)
            if int(change) in sets and counts(path, folder):
                sets[int(change)].add(path)
        added, deleted = sets[1] - sets[3], sets[3] - sets[1]
        modified = sets[2] | (sets[1] & sets[3])  # written and replaced in one burst: an edit
        return cls(frozenset(added), frozenset(modified - added - deleted), frozenset(deleted))


@dataclass(frozen=True)
class HandbookSource:
    """Where a handbook was loaded from, so it can be loaded again the same way."""

    root: Path
    lang: str | None = None
    watched: Path = field(default=Path())
    """The folder to watch (default: ``root``)."""

    @property
    def folder(self) -> Path:
        return self.watched if self.watched != Path() else self.root

    def load(self) -> Handbook:
        """Load the handbook again (the frontmatter cache makes unchanged files cheap).

        Raises:
            PeeragogyError: the folder is gone or holds no Markdown any more.
        """
        from peeragogy_tui.core import (
            handbook,  # the package's name, looked up now (tests replace it)
        )

        return handbook.load_handbook(self.root, self.lang)

    def load_snapshot(self) -> Handbook | None:
        """The handbook as it was last loaded, from its tree snapshot (bodies read when needed), or ``None``.

        Raises:
            PeeragogyError: the folder is gone (as :meth:`load` would say).
        """
        from peeragogy_tui.core.handbook.tree_snapshot import read_snapshot

        return read_snapshot(*self._language())

    def load_provisional(self) -> Handbook | None:
        """A large handbook with only the top of its tree read (see :mod:`.provisional`), or ``None``.

        Raises:
            PeeragogyError: the folder is gone (as :meth:`load` would say).
        """
        from peeragogy_tui.core.handbook.provisional import load_provisional

        return load_provisional(self.root, self.lang)

    def keep_snapshot(self, handbook: Handbook) -> None:
        """Store ``handbook`` (loaded from here) as the tree snapshot for the next start (best effort)."""
        from peeragogy_tui.core.handbook.tree_snapshot import write_snapshot

        try:
            write_snapshot(*self._language(), handbook)
        except PeeragogyError:
            pass  # the folder went away meanwhile: nothing to start with next time

    def _language(self) -> tuple[Path, str | None]:
        """The language folder and language, as loading picks them (the snapshot's key)."""
        from peeragogy_tui.core.handbook.loading import resolve_language

        lang_root, lang, _languages = resolve_language(self.root, self.lang)
        return lang_root, lang

    def snapshot_changes(self, shown: Handbook, real: Handbook) -> ChangeSet | None:
        """What differs between ``shown`` (from :meth:`load_snapshot` or :meth:`load_provisional`) and ``real``; ``None`` if nothing does.

        When something does, the snapshot is stored again. The change set names
        the files whose chapters differ (none when only the tree's shape did).
        Call it once: ``shown`` lets go of the snapshot's text afterwards.
        """
        from peeragogy_tui.core.handbook.provisional import ProvisionalHandbook, changed_files
        from peeragogy_tui.core.handbook.tree_snapshot import SnapshotHandbook, differences

        if isinstance(shown, ProvisionalHandbook):  # only partly read: always shown instead, and kept for next time
            self.keep_snapshot(real)
            added, modified, deleted = changed_files(shown, real)
            return ChangeSet(frozenset(added), frozenset(modified), frozenset(deleted))
        if not isinstance(shown, SnapshotHandbook):
            return ChangeSet()
        found = differences(shown, real)
        shown.stored = ({}, b"")  # compared once, at start-up: its memory can go
        if found is None:
            return None
        self.keep_snapshot(real)
        added, modified, deleted = ({Path(path) for path in paths} for paths in found)
        return ChangeSet(frozenset(added), frozenset(modified), frozenset(deleted))


def moved_chapter(old: Chapter, changes: ChangeSet, handbook: Handbook) -> Chapter | None:
    """Where ``old`` is now: the same id, else (it was renamed) the one new Markdown file of this burst."""
    same = handbook.get(old.id)
    if same is not None:
        return same
    if old.path.resolve() not in {path.resolve() for path in changes.deleted}:
        return None
    added = [path for path in changes.added if path.suffix.lower() in MARKDOWN_SUFFIXES]
    return handbook.by_path.get(added[0].resolve()) if len(added) == 1 else None


def watch_changes(
    folder: Path,
    stop: threading.Event,
    *,
    quiet_ms: int = 50,
    longest_ms: int = 400,
    on_ready: Callable[[], None] | None = None,
) -> Iterator[ChangeSet]:
    """Block and yield a :class:`ChangeSet` for each burst of changes under ``folder`` until ``stop`` is set.

    A burst ends after ``quiet_ms`` without events, or at ``longest_ms``, so a
    save shows well within a second. Bursts with nothing that :func:`counts`
    are skipped. ``on_ready`` is called once the operating system's watches
    are in place (watchfiles says so only by returning: its first one-second
    timeout, or the first changes, whichever comes first).
    """
    from watchfiles import watch

    folder = folder.resolve()
    ready = on_ready
    for raw in watch(
        folder,
        watch_filter=None,
        debounce=longest_ms,
        step=quiet_ms,
        stop_event=stop,
        rust_timeout=_READY_TIMEOUT_MS,
        yield_on_timeout=True,
        raise_interrupt=False,
    ):
        if ready is not None:
            ready()
            ready = None
        changes = ChangeSet.from_watchfiles(raw, folder)
        if changes:
            yield changes
        if stop.is_set():
            return
