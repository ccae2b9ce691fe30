"""The SQLite file under the answer store: opening, migrating, writing, repairing, failing well.

* One file, ``answers.sqlite3`` in the private data dir: the directory is
  0700, the database and its ``-wal``/``-shm`` files 0600, and none of them
  may be a FIFO, a device or (for ``-wal``/``-shm``) a symlink
  (:mod:`.data_files`).
* WAL journal, ``synchronous=FULL`` (an acknowledged answer survives a crash),
  a 10 s ``busy_timeout``, and every write in ``BEGIN IMMEDIATE`` retried on
  SQLITE_BUSY, so several app windows can save at once.
* The schema is in :mod:`.schema`; :data:`MIGRATIONS` bring a file up to date.
* A file that is not SQLite, or is someone else's SQLite, is never
  overwritten or emptied: it is copied aside to ``<name>.corrupt-<timestamp>``
  and the user is told.
* Our own file, damaged (``PRAGMA quick_check`` at open, SQLITE_CORRUPT at any
  time, or a row the stores cannot decode), is :func:`~.salvage.salvage`\\ d:
  set aside, rebuilt with every readable row, and reopened; the
  :class:`~.salvage.SalvageReport` goes to :attr:`Database.on_salvage`.
* ``read_only=True`` opens with ``mode=ro``: nothing is created, migrated or
  chmod-ed, so listing and exporting work on a read-only data dir.
* Read-only or full disks become a :class:`~peeragogy_tui.errors.PeeragogyError`
  with a fix, never a traceback.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from peeragogy_tui.core.store.data_files import (
    check_store_files,
    companions,
    create_private,
    make_private,
)
from peeragogy_tui.core.store.failures import (
    CorruptStoreError,
    is_busy,
    is_corrupt,
    storage_error,
)
from peeragogy_tui.core.store.salvage import SalvageReport, copy_aside, salvage
from peeragogy_tui.core.store.schema import APPLICATION_ID, MIGRATIONS, TABLES
from peeragogy_tui.errors import PeeragogyError

__all__ = [
    "APPLICATION_ID",
    "BUSY_TIMEOUT_MS",
    "DB_NAME",
    "MIGRATIONS",
    "CorruptStoreError",
    "Database",
    "copy_aside",
    "open_database",
    "storage_error",
]

T = TypeVar("T")

DB_NAME = "answers.sqlite3"
BUSY_TIMEOUT_MS = 10_000
_BUSY_RETRIES = 5
_SQLITE_HEADER = b"SQLite format 3\x00"


class _Moved(Exception):
    """The file at our path is no longer the one we have open (a salvage replaced it)."""


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


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


_open_files: Counter[tuple[int, int]] = Counter()
"""``(st_dev, st_ino)`` of every answers file this process has a connection to."""
_open_files_lock = threading.Lock()


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _track(file_id: tuple[int, int] | None, change: int) -> None:
    if file_id is None:
        return
    with _open_files_lock:
        _open_files[file_id] += change
        if _open_files[file_id] <= 0:
            del _open_files[file_id]


class Database:
    """One connection to the answers file, safe to share between threads."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._lock = threading.RLock()
        self._on_salvage: Callable[[SalvageReport], None] | None = None
        self.salvaged: list[SalvageReport] = []
        """Every repair so far (oldest first), whether or not anyone was listening."""
        self._unannounced: list[SalvageReport] = []
        self._inode: int | None = None
        self._file: tuple[int, int] | None = None
        self.schema_current = True
        """False when the file needs migrating (a read-only open leaves it as it is)."""
        self.conn = self._connect()

    # -- connection ----------------------------------------------------------

    def _targets(self) -> list[tuple[str, bool]]:
        """How to open the file: as is, or read-only (``mode=ro``, then ``immutable=1``).

        A full disk or a read-only folder can stop SQLite from making the
        ``-shm`` index that ``mode=ro`` needs; ``immutable=1`` reads the main
        file alone, so it is tried only when no ``-wal`` holds data.
        """
        if not self.read_only:
            return [(str(self.path), False)]
        base = f"file:{quote(str(self.path))}?mode=ro"
        targets = [(base, True)]
        wal = companions(self.path)[0]
        if not os.path.lexists(wal) or os.path.getsize(wal) == 0:
            targets.append((base + "&immutable=1", True))
        return targets

    def _connect(self) -> sqlite3.Connection:
        failure: sqlite3.Error | None = None
        for target, uri in self._targets():
            try:
                conn = sqlite3.connect(
                    target,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                    isolation_level=None,
                    check_same_thread=False,
                    uri=uri,
                )
            except sqlite3.Error as error:
                failure = error
                continue
            try:
                conn.row_factory = sqlite3.Row
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                conn.execute("PRAGMA schema_version").fetchone()  # opens the file for real
            except sqlite3.Error as error:
                if is_corrupt(error):
                    break  # the file opens but is damaged: the guard repairs it on first use
                conn.close()
                failure = error
                continue
            break
        else:
            assert failure is not None
            raise storage_error(failure, self.path) from None
        self._file = _file_id(self.path)
        self._inode = self._file[1] if self._file else None
        _track(self._file, +1)
        return conn

    def _disconnect(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass
        _track(self._file, -1)
        self._file = None

    def _settle(self) -> None:
        """Journal and safety settings, once the file is known to be ours."""
        if not self.read_only:
            self.read("PRAGMA journal_mode = WAL")
        self.read("PRAGMA synchronous = FULL")
        self.read("PRAGMA foreign_keys = ON")

    def _moved(self) -> bool:
        current = _inode(self.path)
        return current is not None and current != self._inode

    def _reconnect(self) -> None:
        with self._lock:
            self._disconnect()
            self.conn = self._connect()
            self._settle()

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            self._disconnect()

    # -- repair --------------------------------------------------------------

    @property
    def on_salvage(self) -> Callable[[SalvageReport], None] | None:
        """Called with each :class:`SalvageReport`; setting it first delivers earlier ones."""
        return self._on_salvage

    @on_salvage.setter
    def on_salvage(self, listener: Callable[[SalvageReport], None] | None) -> None:
        self._on_salvage = listener
        if listener is not None:
            pending, self._unannounced = self._unannounced, []
            for report in pending:
                listener(report)

    def repair(self, reason: str) -> None:
        """Set the damaged file aside, rebuild it with every readable row, and reopen it.

        Raises:
            CorruptStoreError: it could not be set aside; the file is untouched.
        """
        with self._lock:
            inode = self._inode
            self._disconnect()
            try:
                report = salvage(self.path, reason, inode=inode)
            finally:
                self.conn = self._connect()
            self._settle()
        if report is not None:
            self.salvaged.append(report)
            if self._on_salvage is not None:
                self._on_salvage(report)
            else:
                self._unannounced.append(report)

    # -- running statements --------------------------------------------------

    def _guard(self, action: Callable[[], T]) -> T:
        repaired = False
        attempt = 0
        while True:
            try:
                with self._lock:
                    if self._moved():
                        self._reconnect()
                    return action()
            except _Moved:
                self._reconnect()
                continue
            except json.JSONDecodeError as error:  # we only ever store valid JSON: damage
                if repaired:
                    raise CorruptStoreError(
                        f"a stored value is still not valid JSON after a rebuild ({error})",
                        path=self.path,
                        hint="move the file somewhere safe and run peeragogy again",
                    ) from None
                repaired = True
                self.repair(f"a stored value is not valid JSON: {error}")
                continue
            except sqlite3.Error as error:
                attempt += 1
                if is_busy(error) and attempt < _BUSY_RETRIES:
                    time.sleep(0.05 * attempt)
                    continue
                if is_corrupt(error) and not repaired:
                    repaired = True
                    self.repair(f"SQLite: {error}")
                    continue
                if is_corrupt(error):
                    raise CorruptStoreError(
                        "the answers database is still damaged after a rebuild",
                        path=self.path,
                        hint="move it somewhere safe and run peeragogy again",
                    ) from None
                raise storage_error(error, self.path) from None
            except OSError as error:
                raise storage_error(error, self.path) from None
            except UnicodeEncodeError:  # a lone surrogate the store did not replace
                raise PeeragogyError(
                    "this text cannot be stored: it is not valid Unicode (a lone surrogate)",
                    path=self.path,
                    hint="paste the text again; report it if it came from peeragogy itself",
                ) from None
            except OverflowError:  # a Python int past SQLite's 64-bit INTEGER
                raise PeeragogyError(
                    "a number is too large for the answers database (the largest is 2**63 - 1)",
                    path=self.path,
                    hint="check the number you typed",
                ) from None

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
        """Run ``work`` inside ``BEGIN IMMEDIATE`` … ``COMMIT``, retrying when busy.

        The file's identity is checked once the write lock is held: a salvage
        in another process replaces the file while holding that lock, so a
        write never lands in a file that has just been set aside.
        """

        def attempt() -> T:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if self._moved():
                    raise _Moved
                result = work(self.conn)
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            return result

        return self._guard(attempt)


def _sniff(path: Path) -> None:
    """Refuse a file that does not start like SQLite (a foreign file is never rebuilt).

    Skipped for a file this process already uses: opening and closing it here
    would drop the POSIX locks SQLite holds on it.
    """
    if _file_id(path) in _open_files:
        return
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            head = os.read(fd, len(_SQLITE_HEADER))
        finally:
            os.close(fd)
    except OSError as error:
        raise storage_error(error, path) from None
    if head and head != _SQLITE_HEADER:
        raise _corrupt(path, "this is not an answers database (not an SQLite file)")


def _inspect(db: Database) -> bool:
    """Check, without writing anything, that the file is ours; True if it needs migrating.

    The three reads share one read transaction: read one by one, another
    process creating the schema between them made a new, valid file look
    foreign (version 0 with tables) and it was set aside as corrupt.
    """

    def identity(conn: sqlite3.Connection) -> tuple[int, int, set[str]]:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return app_id, version, {name for name in names if not name.startswith("sqlite_")}

    app_id, version, tables = db.snapshot(identity)
    if version < 0:  # we only ever write 1, 2, 3, …
        if app_id != APPLICATION_ID:
            raise _corrupt(db.path, "this SQLite file is not a peeragogy answers database")
        db.repair(f"the schema version in its header is {version}")  # our file, header damaged
        return _inspect(db)
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
    if version == len(MIGRATIONS) and not set(TABLES) <= tables:
        raise _corrupt(db.path, "the answers database is missing tables")
    return bool(version < len(MIGRATIONS))


def _check_pages(db: Database) -> None:
    """``PRAGMA quick_check``: a damaged page found at open is repaired at once."""
    rows = db.read("PRAGMA quick_check(1)")
    verdict = " ".join(str(rows[0][0]).split()) if rows else "no answer"
    if verdict != "ok":
        db.repair(f"PRAGMA quick_check: {verdict[:200]}")


def _migrate(db: Database) -> None:
    def migrate(conn: sqlite3.Connection) -> None:
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        for number in range(current, len(MIGRATIONS)):
            MIGRATIONS[number](conn)
            conn.execute(f"PRAGMA user_version = {number + 1}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    db.write(migrate)


def open_database(path: Path, *, read_only: bool = False) -> Database:
    """Open (creating and migrating if needed, unless ``read_only``) the answers database at ``path``.

    Raises:
        PeeragogyError: the file is not ours (copied aside), is a FIFO/device/link,
            cannot be created, or (``read_only``) does not exist.
    """
    if check_store_files(path):
        _sniff(path)
    elif read_only:
        raise PeeragogyError("there is no answers database yet", path=path)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            create_private(path)
        except OSError as error:
            raise storage_error(error, path) from None
    if not read_only:
        make_private(path)
    db = Database(path, read_only=read_only)
    try:
        needs_migration = _inspect(db)
        db.schema_current = not needs_migration
        _check_pages(db)
        db._settle()
        if needs_migration and not read_only:
            _migrate(db)
    except BaseException:
        db.close()
        raise
    if not read_only:
        for file in (path, *companions(path)):
            make_private(file)
    return db
