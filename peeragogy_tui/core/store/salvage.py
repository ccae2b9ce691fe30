"""Set a damaged answers file aside and put a rebuilt one in its place, without losing a write.

:func:`salvage` is what the store does when SQLite says a page is damaged,
``PRAGMA quick_check`` finds a problem, or a row cannot be decoded:

1. take an exclusive ``flock`` on the data dir, so two processes never
   salvage at once (the second finds the file already replaced and stops);
2. hold SQLite's write lock on the damaged file, so no other window commits
   to it meanwhile (their next write sees the new file: see
   :meth:`~.database.Database.write`);
3. give it (and its ``-wal``) a second name, ``answers.sqlite3.corrupt-<time>``
   (a hard link: no space needed, the file is never opened; a copy across
   file systems); nothing writes to it again, and it is what the user is told about;
4. :func:`~.rebuild.rebuild` a fresh file from the copy, keeping every
   readable row;
5. remove the old ``-wal``/``-shm`` (they belong to the damaged file) and
   atomically rename the new file into place.

Connections still open on the old file notice the rename (SQLite sees the
file has moved and neither checkpoints nor deletes the new file's WAL).
"""

from __future__ import annotations

import contextlib
import fcntl
import filecmp
import os
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from peeragogy_tui.core.store.data_files import companions, copy_private, create_private
from peeragogy_tui.core.store.failures import CorruptStoreError
from peeragogy_tui.core.store.rebuild import Rebuilt, rebuild

__all__ = ["SalvageReport", "copy_aside", "salvage"]

_LOCK_TIMEOUT_S = 10.0
_LABELS = {
    "runs": ("run", "runs"),
    "answers": ("answer", "answers"),
    "drafts": ("draft", "drafts"),
    "sessions": ("session", "sessions"),
    "session_entries": ("session note", "session notes"),
}


@dataclass(frozen=True)
class SalvageReport:
    """What happened to a damaged store: why, where the damaged copy is, what was kept."""

    path: Path
    reason: str
    damaged_copy: Path
    rebuilt: Rebuilt

    def message(self) -> str:
        """One paragraph for the user (what was kept, where the damaged copy is)."""
        kept = ", ".join(
            f"{count} {_LABELS[table][count != 1]}"
            for table, count in self.rebuilt.kept.items()
            if table in _LABELS
        )
        text = (
            f"The answers database was damaged ({self.reason}). It was set aside as "
            f"{self.damaged_copy} (never modified) and rebuilt, keeping {kept or 'nothing'}."
        )
        if self.rebuilt.damaged_spots:
            text += " Rows in damaged pages could not be read; the damaged copy still holds them."
        if self.rebuilt.notes:
            shown = self.rebuilt.notes[:5]
            more = len(self.rebuilt.notes) - len(shown)
            text += " Changed: " + "; ".join(shown) + (f"; and {more} more" if more else "") + "."
        return text


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _same_regular_file(one: Path, other: Path) -> bool:
    try:
        if not stat.S_ISREG(os.lstat(other).st_mode):
            return False
        return filecmp.cmp(one, other, shallow=False)
    except OSError:
        return False


def copy_aside(path: Path, now: datetime | None = None) -> Path:
    """Copy ``path`` (and its -wal) to ``<name>.corrupt-<timestamp>`` (0600); return the copy.

    The original is never modified. An identical earlier copy (with no WAL
    pending) is reused rather than multiplied.

    Raises:
        OSError: the copy cannot be made (``path`` is not a regular file, disk full, …).
    """
    wal = path.with_name(path.name + "-wal")
    has_wal = os.path.lexists(wal) and os.path.getsize(wal) > 0
    if not has_wal:
        for earlier in sorted(path.parent.glob(f"{path.name}.corrupt-*")):
            if not earlier.name.endswith(("-wal", "-shm")) and _same_regular_file(path, earlier):
                return earlier
    base = path.with_name(f"{path.name}.corrupt-{_stamp(now or datetime.now(UTC))}")
    target, number = base, 1
    while os.path.lexists(target):
        target = base.with_name(f"{base.name}-{number}")
        number += 1
    copy_private(path, target)
    if has_wal:
        copy_private(wal, target.with_name(target.name + "-wal"))
    return target


def _link_aside(path: Path) -> Path:
    """Give the damaged file (and its -wal) a second name, ``<name>.corrupt-<time>``.

    A hard link costs no space (a full disk is a common reason for damage) and
    never opens the file: closing a descriptor would drop the POSIX locks that
    SQLite holds on it in this process. Across file systems it falls back to
    :func:`copy_aside`.
    """
    base = path.with_name(f"{path.name}.corrupt-{_stamp(datetime.now(UTC))}")
    target, number = base, 1
    while os.path.lexists(target):
        target = base.with_name(f"{base.name}-{number}")
        number += 1
    wal = path.with_name(path.name + "-wal")
    try:
        os.link(path, target)
    except OSError:
        return copy_aside(path)
    if os.path.lexists(wal) and os.path.getsize(wal) > 0:
        try:
            os.link(wal, target.with_name(target.name + "-wal"))
        except OSError:
            copy_private(wal, target.with_name(target.name + "-wal"))
    return target


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive ``flock`` on the data dir: one salvage at a time across processes."""
    import time

    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        deadline = time.monotonic() + _LOCK_TIMEOUT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)


def _hold_writers(path: Path) -> sqlite3.Connection | None:
    """SQLite's write lock on the damaged file (best effort: it may be too damaged to lock)."""
    try:
        conn = sqlite3.connect(str(path), timeout=_LOCK_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error:
        conn.close()
        return None
    return conn


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def salvage(path: Path, reason: str, *, inode: int | None = None) -> SalvageReport | None:
    """Replace the damaged store at ``path`` by a rebuilt one; ``None`` if already replaced.

    ``inode`` is the file the caller found damaged: if another process has
    replaced it since, there is nothing to do.

    Raises:
        CorruptStoreError: the damaged file could not be copied aside or rebuilt;
            it was left untouched.
    """
    try:
        with _folder_lock(path.parent):
            try:
                if inode is not None and os.stat(path).st_ino != inode:
                    return None
            except FileNotFoundError:
                return None
            holder = _hold_writers(path)
            temp = path.with_name(f".{path.name}.salvage-{os.getpid()}")
            try:
                copy = _link_aside(path)
                for leftover in (temp, *companions(temp)):
                    _remove(leftover)
                create_private(temp)
                create_private(companions(copy)[1])  # the -shm SQLite makes to read the copy: 0600
                try:
                    rebuilt = rebuild(copy, temp)
                finally:
                    _remove(companions(copy)[1])
                    with contextlib.suppress(OSError):
                        if os.path.getsize(companions(copy)[0]) == 0:
                            _remove(companions(copy)[0])
                for companion in companions(path):
                    _remove(companion)
                os.replace(temp, path)
                folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
                try:
                    os.fsync(folder)
                finally:
                    os.close(folder)
            except BaseException:
                for leftover in (temp, *companions(temp)):
                    _remove(leftover)
                raise
            finally:
                if holder is not None:
                    with contextlib.suppress(sqlite3.Error):
                        holder.close()
    except (OSError, sqlite3.Error) as error:
        raise CorruptStoreError(
            f"the answers database is damaged ({reason}) and could not be set aside or rebuilt "
            f"({getattr(error, 'strerror', None) or error}); it was left untouched",
            path=path,
            hint="free some disk space or make the folder writable, then run peeragogy again; "
            "or move the file somewhere safe to start a new, empty answer store",
        ) from None
    return SalvageReport(path=path, reason=reason, damaged_copy=copy, rebuilt=rebuilt)
