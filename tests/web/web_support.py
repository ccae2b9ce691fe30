"""Shared by the web tests: a café session in the test store, and its join code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from session_support import exercise

from peeragogy_tui.core.sessions import open_session_store
from peeragogy_tui.core.sessions.participation import Participation

SECRET = "PRIVATE-ENTRY-7f3k"
PEOPLE = ["Ana", "Ben", "Chi", "Dee"]


@dataclass(frozen=True)
class Served:
    """A session ready to serve: where its store is, its id and join code."""

    path: Path
    session_id: int
    code: str


def served_session(people: list[str] = PEOPLE, group_size: int | None = 2) -> Served:
    """A running Knowledge Café with a private entry, opened to browsers."""
    with open_session_store() as store:
        session_id = store.create(exercise("knowledge-cafe"), participants=people, group_size=group_size, seed=3)
        store.add_entry(session_id, step_key="welcome", kind="note", text=SECRET, private=True)
        access = Participation(store).open_access(session_id)
        return Served(store.path, session_id, access.join_code)
