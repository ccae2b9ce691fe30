"""The answer store: one private SQLite file holding every exercise run.

:func:`open_store` gives an :class:`AnswerStore`; :mod:`.runs` connects it to
the exercise engine; :mod:`.claims` makes a run being answered belong to one live process; :mod:`.export` writes JSON (byte-exact) and Markdown.
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
from peeragogy_tui.core.store.claims import (
    HEARTBEAT_SECONDS,
    LEASE_SECONDS,
    Claimant,
    ClaimHolder,
    RunClaimedError,
)
from peeragogy_tui.core.store.database import DB_NAME, MIGRATIONS, CorruptStoreError
from peeragogy_tui.core.store.export import display_value, export_json, export_markdown
from peeragogy_tui.core.store.records import scale_of
from peeragogy_tui.core.store.runs import Opened, record_step, save_as_new_run, start_new, start_or_resume

__all__ = [
    "DB_NAME",
    "HEARTBEAT_SECONDS",
    "LEASE_SECONDS",
    "MIGRATIONS",
    "AnswerStore",
    "ClaimHolder",
    "Claimant",
    "CorruptStoreError",
    "Opened",
    "RunClaimedError",
    "StoredAnswer",
    "StoredRun",
    "default_store_path",
    "display_value",
    "export_json",
    "export_markdown",
    "open_store",
    "record_step",
    "save_as_new_run",
    "scale_of",
    "start_new",
    "start_or_resume",
]
