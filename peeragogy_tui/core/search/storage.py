"""The SQLite files behind the search indexes: private, versioned, disposable.

An index is a cache of files that stay on disk, so unlike the answer store
it may simply be thrown away: a file that is not SQLite, is someone else's,
or has another schema version is deleted and rebuilt. Files are created
0600 in a 0700 ``search/`` folder of the private data dir, with a WAL
journal so one window can search while another updates the index.

A missing index is built whole (:func:`open_or_build_cache_db`): in a
temporary file next to it, without a journal, flushed to disk once and then
hard-linked into place, so a crash mid-build leaves no file that later looks
complete, and two processes building at once never swap a file under each
other's open connection.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from peeragogy_tui.errors import PeeragogyError

__all__ = [
    "APPLICATION_ID",
    "BUILD_PRAGMAS",
    "BUSY_TIMEOUT_MS",
    "open_cache_db",
    "open_or_build_cache_db",
    "search_dir",
]

APPLICATION_ID = 0x50454753
"""``PRAGMA application_id`` of search index files ("PEGS")."""
BUSY_TIMEOUT_MS = 10_000
_SIDE_FILES = ("-wal", "-shm", "-journal")

_BUILD_SUFFIX = ".build-"
_STALE_BUILD_SECONDS = 3600
BUILD_PRAGMAS = ["page_size = 65536", "journal_mode = OFF", "synchronous = OFF", "cache_size = -8192"]
"""While a new file is built: 64 KB pages (set before the first table; FTS5 writes fewer, larger
leaves, see ``pgsz`` in :mod:`.sync`), no journal, no syncing (the file is not in place yet). A
small cache (8 MB) writes pages out as the build goes instead of all at the commit, which
measured ~20 % faster than 64 MB (FTS5 keeps its pending terms in its own memory anyway)."""

T = TypeVar("T")
Schema = Callable[[sqlite3.Connection], None]
Fill = Callable[[sqlite3.Connection], T]


def search_dir(data_dir: Path | None = None) -> Path:
    """``<data dir>/search``, created with mode 0700."""
    from peeragogy_tui.paths import ensure_data_dir

    base = data_dir if data_dir is not None else ensure_data_dir()
    folder = base / "search"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
    except OSError as error:
        raise _unwritable(folder, error) from None
    return folder


def _unwritable(path: Path, error: BaseException) -> PeeragogyError:
    reason = getattr(error, "strerror", None) or str(error)
    return PeeragogyError(
        f"cannot write the search index: {reason}",
        path=path,
        hint="check the data directory's permissions and free space, or set PEERAGOGY_HOME",
    )


def _remove(path: Path) -> None:
    for suffix in ("", *_SIDE_FILES):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass


def _connect(path: Path) -> sqlite3.Connection:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _is_current(conn: sqlite3.Connection, version: int) -> bool:
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    user = conn.execute("PRAGMA user_version").fetchone()[0]
    if app == APPLICATION_ID and user == version:
        return True
    if (
        app == 0
        and user == 0
        and not conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
    ):
        return False
    raise sqlite3.DatabaseError("another schema")


def _create(conn: sqlite3.Connection, schema: Schema, version: int) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] != version:
            schema(conn)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {int(version)}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _remove_stale_builds(path: Path) -> None:
    """Delete temporary build files of ``path`` left by a build that crashed (an hour old or more)."""
    cutoff = time.time() - _STALE_BUILD_SECONDS
    for leftover in path.parent.glob(f"{path.name}{_BUILD_SUFFIX}*"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
            pass


def _publish(temp: Path, path: Path) -> bool:
    """Move the finished ``temp`` to ``path`` unless a file is there already; ``True`` if it moved.

    A hard link never replaces an existing file, so two processes that build at
    once cannot swap a database under the other's open connection (and its WAL).
    """
    try:
        os.link(temp, path)
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links
        if os.path.exists(path):
            return False
        os.replace(temp, path)
    return True


def _build(path: Path, schema: Schema, version: int, fill: Fill[T]) -> T | None:
    """Build a complete file in a temporary file, then move it to ``path``; ``fill``'s result.

    No journal and no syncing while writing: a crash leaves only the temporary
    file (never at ``path``, and without the version stamp that marks a file
    complete), which a later build deletes. The file is flushed to disk once,
    before it is moved into place. ``None`` when another process put its own
    build at ``path`` first.
    """
    _remove_stale_builds(path)
    temp = path.with_name(f"{path.name}{_BUILD_SUFFIX}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        conn = _connect(temp)
        try:
            for pragma in BUILD_PRAGMAS:
                conn.execute(f"PRAGMA {pragma}")
            conn.execute("BEGIN")
            schema(conn)
            conn.execute("COMMIT")
            result = fill(conn)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {int(version)}")
        finally:
            conn.close()
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return result if _publish(temp, path) else None
    finally:
        _remove(temp)


def _open(
    path: Path, schema: Schema, version: int, fill: Fill[T] | None
) -> tuple[sqlite3.Connection, T | None]:
    for attempt in (1, 2):
        conn: sqlite3.Connection | None = None
        try:
            built = (
                _build(path, schema, version, fill)
                if fill is not None and not path.exists()
                else None
            )
            conn = _connect(path)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA cache_size = -32768")  # 32 MB: large updates write faster
            if not _is_current(conn, version):
                _create(conn, schema, version)
            return conn, built
        except sqlite3.DatabaseError as error:
            if conn is not None:
                conn.close()
            locked = isinstance(error, sqlite3.OperationalError) and "locked" in str(error)
            if attempt == 2 or locked or "readonly" in str(error) or "disk" in str(error):
                raise _unwritable(path, error) from None
            _remove(path)
        except OSError as error:
            raise _unwritable(path, error) from None
    raise AssertionError("unreachable")  # pragma: no cover


def open_cache_db(path: Path, schema: Schema, version: int) -> sqlite3.Connection:
    """Open the index file at ``path``, creating or rebuilding it when it is not usable.

    Raises:
        PeeragogyError: the file cannot be created or written.
    """
    return _open(path, schema, version, None)[0]


def open_or_build_cache_db(
    path: Path, schema: Schema, version: int, fill: Fill[T]
) -> tuple[sqlite3.Connection, T | None]:
    """:func:`open_cache_db`, but a missing or unusable file is first built whole by ``fill``.

    ``fill(conn)`` gets a connection to a new file that has the schema, in a
    temporary file that is moved to ``path`` when ``fill`` returns (see
    :func:`_build`). Returns the open file and ``fill``'s result, or ``None``
    in its place when no build was needed (or another process's build won).

    Raises:
        PeeragogyError: the file cannot be created or written.
    """
    return _open(path, schema, version, fill)
