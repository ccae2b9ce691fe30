"""The SQLite file under the answer store: opening, migrating, writing, failing well.

* One file, ``answers.sqlite3`` in the private data dir: the directory is
  0700, the database and its ``-wal``/``-shm`` files 0600.
* WAL journal, ``synchronous=FULL`` (an acknowledged answer survives a crash),
  a 10 s ``busy_timeout``, and every write in ``BEGIN IMMEDIATE`` retried on
  SQLITE_BUSY, so several app windows can save at once.
* The schema version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` is
  the ordered list of steps that bring a file up to date. ``PRAGMA
  application_id`` marks the file as ours.
* A file that is not SQLite, or is someone else's SQLite, is never
  overwritten or emptied: it is copied aside to ``<name>.corrupt-<timestamp>``
  and the user is told. Read-only or full disks become a
  :class:`~peeragogy_tui.errors.PeeragogyError` with a fix, never a traceback.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from peeragogy_tui.errors import PeeragogyError

__all__ = [
    "APPLICATION_ID",
    "BUSY_TIMEOUT_MS",
    "DB_NAME",
    "MIGRATIONS",
    "CorruptStoreError",
    "Database",
    "open_database",
]

T = TypeVar("T")

DB_NAME = "answers.sqlite3"
APPLICATION_ID = 0x50454752
"""``PRAGMA application_id`` of our files ("PEGR")."""
BUSY_TIMEOUT_MS = 10_000
_BUSY_RETRIES = 5
_SQLITE_HEADER = b"SQLite format 3\x00"
_TABLES = {
    "runs",
    "answers",
    "drafts",
    "sessions",
    "session_steps",
    "session_groups",
    "session_entries",
    "bookmarks",
    "reading_log",
}


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            exercise_id TEXT NOT NULL,
            exercise_title TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('new', 'in_progress', 'done')),
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            finished_at TEXT,
            current_step INTEGER NOT NULL DEFAULT 0
        )"""
    )
    conn.execute("CREATE INDEX runs_by_exercise ON runs (exercise_id, started_at, id)")
    conn.execute(
        """CREATE TABLE answers (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step_key TEXT NOT NULL,
            step_index INTEGER NOT NULL,
            step_type TEXT NOT NULL,
            prompt TEXT NOT NULL,
            value_json TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (run_id, step_key)
        )"""
    )
    conn.execute(
        """CREATE TABLE drafts (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step_key TEXT NOT NULL,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (run_id, step_key)
        )"""
    )


def _v2(conn: sqlite3.Connection) -> None:
    """Facilitated group sessions (see :mod:`peeragogy_tui.core.sessions`).

    The agenda is copied into ``session_steps`` when a session is created, so
    a session can be resumed or reported without the exercise file. Each step
    keeps its countdown as wall-clock fields (started, paused at, paused
    seconds) so that a reopened session recomputes the remaining time.
    ``revision`` goes up on every change; other processes poll it.
    """
    conn.execute(
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            exercise_id TEXT NOT NULL,
            exercise_title TEXT NOT NULL,
            title TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            finished_at TEXT,
            participants_json TEXT NOT NULL DEFAULT '[]',
            group_size INTEGER CHECK (group_size IS NULL OR group_size >= 2),
            current_index INTEGER NOT NULL DEFAULT 0,
            revision INTEGER NOT NULL DEFAULT 0,
            facilitator_notes TEXT,
            seed INTEGER NOT NULL DEFAULT 0
        )"""
    )
    conn.execute("CREATE INDEX sessions_by_date ON sessions (created_at, id)")
    conn.execute(
        """CREATE TABLE session_steps (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            step_index INTEGER NOT NULL,
            step_key TEXT NOT NULL,
            step_type TEXT NOT NULL,
            prompt TEXT NOT NULL,
            hint TEXT,
            facilitator TEXT,
            regroup INTEGER NOT NULL DEFAULT 0,
            planned_seconds INTEGER NOT NULL DEFAULT 0,
            adjust_seconds INTEGER NOT NULL DEFAULT 0,
            timer_started_at TEXT,
            paused_at TEXT,
            paused_seconds REAL NOT NULL DEFAULT 0,
            started_at TEXT,
            ended_at TEXT,
            opened_at TEXT,
            active_seconds REAL NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (session_id, step_index)
        )"""
    )
    conn.execute(
        """CREATE TABLE session_groups (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            step_index INTEGER NOT NULL,
            groups_json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (session_id, step_index)
        )"""
    )
    conn.execute(
        """CREATE TABLE session_entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            step_key TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('note', 'question', 'action')),
            text TEXT NOT NULL,
            participant TEXT,
            group_name TEXT,
            owner TEXT,
            private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX session_entries_by_session ON session_entries (session_id, id)")


def _v3(conn: sqlite3.Connection) -> None:
    """Bookmarks and reading progress, keyed by the handbook's identity (not its path)."""
    conn.execute(
        """CREATE TABLE bookmarks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uuid TEXT NOT NULL UNIQUE,
            handbook TEXT NOT NULL,
            chapter_id TEXT NOT NULL,
            chapter_title TEXT NOT NULL,
            block INTEGER NOT NULL DEFAULT 0,
            line INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX bookmarks_by_handbook ON bookmarks (handbook, id)")
    conn.execute(
        """CREATE TABLE reading_log (
            handbook TEXT NOT NULL,
            chapter_id TEXT NOT NULL,
            seconds REAL NOT NULL DEFAULT 0,
            furthest REAL NOT NULL DEFAULT 0 CHECK (furthest BETWEEN 0 AND 1),
            first_read_at TEXT NOT NULL,
            last_read_at TEXT NOT NULL,
            PRIMARY KEY (handbook, chapter_id)
        )"""
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3]
"""Schema steps in order; after step ``n`` (1-based) ``user_version`` is ``n``. Only ever append."""


class CorruptStoreError(PeeragogyError):
    """The file is not an answer store; it was copied aside and left untouched."""


def _is_busy(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _is_corrupt(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return True
    text = str(error).lower()
    return "not a database" in text or "malformed" in text


def storage_error(error: BaseException, path: Path) -> PeeragogyError:
    """A user-facing error for an OS or SQLite failure while using ``path``."""
    text = str(error).lower()
    folder = path.parent
    if isinstance(error, sqlite3.Error) and _is_busy(error):
        return PeeragogyError(
            "the answers database stayed busy (another peeragogy process is writing)",
            path=path,
            hint="wait a moment and try again; close other peeragogy windows if it persists",
        )
    if "readonly" in text or "read-only" in text or "permission denied" in text:
        return PeeragogyError(
            "cannot write the answers database: it or its folder is read-only",
            path=path,
            hint=f"run: chmod u+w '{folder}' '{path}'  (or set PEERAGOGY_HOME to a writable folder)",
        )
    if "full" in text or "no space" in text:
        return PeeragogyError(
            "cannot save answers: the disk is full",
            path=path,
            hint="free some disk space, then try again; nothing saved earlier was lost",
        )
    if "disk i/o" in text or "unable to open" in text or isinstance(error, OSError):
        return PeeragogyError(
            f"cannot use the answers database: {getattr(error, 'strerror', None) or error}",
            path=path,
            hint=f"check that '{folder}' exists, is writable and has free space (or set PEERAGOGY_HOME)",
        )
    return PeeragogyError(
        f"answers database error: {error}", path=path, hint="try again; report it if it persists"
    )


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def copy_aside(path: Path, now: datetime | None = None) -> Path:
    """Copy ``path`` (and its -wal) to ``<name>.corrupt-<timestamp>``; return the copy.

    The original is never modified. An identical earlier copy is reused.
    """
    for earlier in sorted(path.parent.glob(f"{path.name}.corrupt-*")):
        if earlier.name.endswith(("-wal", "-shm")):
            continue
        try:
            if filecmp.cmp(path, earlier, shallow=False):
                return earlier
        except OSError:
            continue
    base = path.with_name(f"{path.name}.corrupt-{_stamp(now or datetime.now(UTC))}")
    target, number = base, 1
    while target.exists():
        target = base.with_name(f"{base.name}-{number}")
        number += 1
    shutil.copyfile(path, target)
    os.chmod(target, 0o600)
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + "-wal"))
        os.chmod(target.with_name(target.name + "-wal"), 0o600)
    return target


def _corrupt(path: Path, why: str) -> CorruptStoreError:
    try:
        copy = copy_aside(path)
    except OSError as error:
        return CorruptStoreError(
            f"{why}; it could not be copied aside ({error.strerror or error}) and was left untouched",
            path=path,
            hint="move the file somewhere safe; peeragogy will then start a new, empty answer store",
        )
    return CorruptStoreError(
        f"{why}; it was copied aside to {copy.name} and left untouched",
        path=path,
        hint=f"move '{path}' out of the way (the copy keeps its content) and run peeragogy again "
        "to start a new, empty answer store",
    )


class Database:
    """One connection to the answers file, safe to share between threads."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self._lock = threading.RLock()

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            self.conn.close()

    def _guard(self, action: Callable[[], T]) -> T:
        for attempt in range(_BUSY_RETRIES):
            try:
                with self._lock:
                    return action()
            except sqlite3.Error as error:
                if _is_busy(error) and attempt + 1 < _BUSY_RETRIES:
                    time.sleep(0.05 * (attempt + 1))
                    continue
                if _is_corrupt(error):
                    raise _corrupt(self.path, "the answers database is damaged") from None
                raise storage_error(error, self.path) from None
            except OSError as error:
                raise storage_error(error, self.path) from None
        raise AssertionError("unreachable")

    def read(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Run a query and return all rows."""
        return self._guard(lambda: self.conn.execute(sql, params).fetchall())

    def snapshot(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run several reads in one transaction, so they see one consistent state."""

        def attempt() -> T:
            self.conn.execute("BEGIN")
            try:
                return work(self.conn)
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")

        return self._guard(attempt)

    def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` inside ``BEGIN IMMEDIATE`` … ``COMMIT``, retrying when busy."""

        def attempt() -> T:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(self.conn)
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            return result

        result = self._guard(attempt)
        _private(self.path)
        return result


def _private(path: Path) -> None:
    """Make the database and its companion files 0600 (best effort)."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if candidate.exists() and (candidate.stat().st_mode & 0o777) != 0o600:
                os.chmod(candidate, 0o600)
        except OSError:
            pass


def _create(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)
    except OSError as error:
        raise storage_error(error, path) from None
    _private(path)


def _sniff(path: Path) -> None:
    if path.is_dir():
        raise PeeragogyError(
            "is a directory, not an answers database", path=path, hint="move it out of the way"
        )
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
    except OSError as error:
        raise storage_error(error, path) from None
    if head and head != _SQLITE_HEADER:
        raise _corrupt(path, "this is not an answers database (not an SQLite file)")


def _inspect(db: Database) -> bool:
    """Check, without writing anything, that the file is ours; True if it needs migrating."""
    app_id = db.read("PRAGMA application_id")[0][0]
    version = db.read("PRAGMA user_version")[0][0]
    tables = {row[0] for row in db.read("SELECT name FROM sqlite_master WHERE type = 'table'")}
    tables = {name for name in tables if not name.startswith("sqlite_")}
    if (
        app_id not in (0, APPLICATION_ID)
        or (version == 0 and tables)
        or (version > 0 and app_id != APPLICATION_ID)
    ):
        raise _corrupt(db.path, "this SQLite file is not a peeragogy answers database")
    if version > len(MIGRATIONS):
        raise PeeragogyError(
            f"the answers database was made by a newer version of peeragogy (schema {version})",
            path=db.path,
            hint="upgrade peeragogy (your answers are untouched)",
        )
    if version == len(MIGRATIONS) and not _TABLES <= tables:
        raise _corrupt(db.path, "the answers database is missing tables")
    return bool(version < len(MIGRATIONS))


def _migrate(db: Database) -> None:
    def migrate(conn: sqlite3.Connection) -> None:
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        for number in range(current, len(MIGRATIONS)):
            MIGRATIONS[number](conn)
            conn.execute(f"PRAGMA user_version = {number + 1}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    db.write(migrate)


def open_database(path: Path) -> Database:
    """Open (creating and migrating if needed) the answers database at ``path``."""
    if path.exists():
        _sniff(path)
    else:
        _create(path)
    _private(path)
    try:
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as error:
        raise storage_error(error, path) from None
    conn.row_factory = sqlite3.Row
    db = Database(path, conn)
    try:
        db.read(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        needs_migration = _inspect(db)
        db.read("PRAGMA journal_mode = WAL")
        db.read("PRAGMA synchronous = FULL")
        db.read("PRAGMA foreign_keys = ON")
        if needs_migration:
            _migrate(db)
    except BaseException:
        conn.close()
        raise
    _private(path)
    return db
