"""The SQLite files behind the search indexes: private, versioned, disposable.

An index is a cache of files that stay on disk, so unlike the answer store
it may simply be thrown away: a file that is not SQLite, is someone else's,
or has another schema version is deleted and rebuilt. Files are created
0600 in a 0700 ``search/`` folder of the private data dir, with a WAL
journal so one window can search while another updates the index.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from peeragogy_tui.errors import PeeragogyError

__all__ = ["APPLICATION_ID", "BUSY_TIMEOUT_MS", "open_cache_db", "search_dir"]

APPLICATION_ID = 0x50454753
"""``PRAGMA application_id`` of search index files ("PEGS")."""
BUSY_TIMEOUT_MS = 10_000
_SIDE_FILES = ("-wal", "-shm", "-journal")

Schema = Callable[[sqlite3.Connection], None]


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


def open_cache_db(path: Path, schema: Schema, version: int) -> sqlite3.Connection:
    """Open the index file at ``path``, creating or rebuilding it when it is not usable.

    Raises:
        PeeragogyError: the file cannot be created or written.
    """
    for attempt in (1, 2):
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(path)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA cache_size = -32768")  # 32 MB: a first build writes faster
            if not _is_current(conn, version):
                _create(conn, schema, version)
            return conn
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
