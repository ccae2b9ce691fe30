"""The answer store: one private SQLite file holding every exercise run.

:func:`open_store` gives an :class:`AnswerStore`; :mod:`.runs` connects it to
the exercise engine; :mod:`.export` writes JSON (byte-exact) and Markdown.
Uses only the standard library's ``sqlite3``; never imports textual.
"""

from __future__ import annotations

from peeragogy_tui.core.store.answers import (
    AnswerStore,
    StoredAnswer,
    StoredRun,
    default_store_path,
    open_store,
)
from peeragogy_tui.core.store.database import DB_NAME, MIGRATIONS, CorruptStoreError
from peeragogy_tui.core.store.export import display_value, export_json, export_markdown
from peeragogy_tui.core.store.runs import record_step, start_or_resume

__all__ = [
    "DB_NAME",
    "MIGRATIONS",
    "AnswerStore",
    "CorruptStoreError",
    "StoredAnswer",
    "StoredRun",
    "default_store_path",
    "display_value",
    "export_json",
    "export_markdown",
    "open_store",
    "record_step",
    "start_or_resume",
]
