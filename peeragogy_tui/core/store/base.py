"""What every store on the answers file shares: its database, its clock, closing it.

:class:`~.answers.AnswerStore` and
:class:`~peeragogy_tui.core.sessions.SessionStore` both sit on one
:class:`~.database.Database` and take an injectable clock, so tests never
depend on real time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from peeragogy_tui.core.store.database import Database

__all__ = ["Clock", "StoreBase", "storable", "utc_now"]

Clock = Callable[[], datetime]
"""Returns "now" as an aware UTC datetime."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` unchanged unless it holds lone surrogates (SQLite takes UTF-8 only): they become U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


class StoreBase:
    """A store on the answers database. Close it when done (or use ``with``)."""

    def __init__(self, db: Database, *, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    @property
    def path(self) -> Path:
        """The database file."""
        return self.db.path

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
