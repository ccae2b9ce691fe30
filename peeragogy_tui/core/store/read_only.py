"""Open the answers file for reading only, when it cannot be opened for writing.

On a full disk SQLite cannot even open a WAL database the usual way (it must
grow the ``-shm`` index first), so the exercise screen would lose track of
where a run stopped. :func:`open_store_read_only` tries ``mode=ro``, then,
only when no write-ahead log holds data that the main file lacks,
``immutable=1``, which reads the main file alone. Writes through the result
fail with a :class:`~peeragogy_tui.errors.PeeragogyError`; the caller keeps
telling the user why saving is impossible.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from peeragogy_tui.core.store.answers import AnswerStore
from peeragogy_tui.core.store.database import APPLICATION_ID, Database, storage_error
from peeragogy_tui.errors import PeeragogyError

__all__ = ["open_store_read_only"]


def _wal_is_empty(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    try:
        return not wal.exists() or wal.stat().st_size == 0
    except OSError:
        return False


def _connect(path: Path, flags: str) -> sqlite3.Connection:
    conn = sqlite3.connect(
        f"file:{quote(str(path))}?{flags}", uri=True, isolation_level=None, check_same_thread=False
    )
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise PeeragogyError("this is not a peeragogy answers database", path=path)
    except BaseException:
        conn.close()
        raise
    conn.row_factory = sqlite3.Row
    return conn


def open_store_read_only(path: Path) -> AnswerStore:
    """An :class:`AnswerStore` on ``path`` that can read but never writes.

    Raises:
        PeeragogyError: the file is missing, not ours, or cannot be read either.
    """
    if not path.is_file():
        raise PeeragogyError("there is no answers database yet", path=path)
    attempts = ["mode=ro"] + (["mode=ro&immutable=1"] if _wal_is_empty(path) else [])
    last: sqlite3.Error | None = None
    for flags in attempts:
        try:
            return AnswerStore(Database(path, _connect(path, flags)))
        except sqlite3.Error as error:
            last = error
    assert last is not None
    raise storage_error(last, path) from None
