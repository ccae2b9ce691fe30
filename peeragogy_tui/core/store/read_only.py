"""Open the answers file for reading only, when it cannot (or must not) be opened for writing.

On a full disk SQLite cannot even open a WAL database the usual way (it must
grow the ``-shm`` index first), so the exercise screen would lose track of
where a run stopped; and ``answers list``/``show``/``export`` must work on a
read-only data dir. :func:`open_store_read_only` opens with ``mode=ro``, then,
only when no write-ahead log holds data that the main file lacks,
``immutable=1``, which reads the main file alone (see
:meth:`~peeragogy_tui.core.store.database.Database._targets`). Nothing is
created, migrated or chmod-ed; writes through the result fail with a
:class:`~peeragogy_tui.errors.PeeragogyError`.
"""

from __future__ import annotations

from pathlib import Path

from peeragogy_tui.core.store.answers import AnswerStore, open_store

__all__ = ["open_store_read_only"]


def open_store_read_only(path: Path) -> AnswerStore:
    """An :class:`AnswerStore` on ``path`` that can read but never writes.

    Raises:
        PeeragogyError: the file is missing, not ours, or cannot be read either.
    """
    return open_store(path, read_only=True)
