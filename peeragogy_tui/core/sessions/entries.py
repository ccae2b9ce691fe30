"""Checking harvest entry values before they are stored.

Text is kept byte-exact (only lone surrogates become U+FFFD, see
:func:`~.rows.storable`). An empty note is an error, not a silent no-op; an
empty participant, group or owner means "none".
"""

from __future__ import annotations

import sqlite3
from typing import Any

from peeragogy_tui.core.sessions.models import ENTRY_KINDS
from peeragogy_tui.core.sessions.rows import storable
from peeragogy_tui.errors import PeeragogyError

__all__ = [
    "ENTRY_COLUMNS",
    "check_step_key",
    "entry_kind",
    "entry_text",
    "optional_text",
    "update_columns",
]

ENTRY_COLUMNS = {
    "step_key": "step_key",
    "kind": "kind",
    "text": "text",
    "participant": "participant",
    "group": "group_name",
    "owner": "owner",
    "private": "private",
}
"""Fields of :class:`~.models.HarvestEntry` that can be changed -> their columns."""


def entry_text(text: Any, what: str = "entry") -> str:
    """The entry text as stored.

    Raises:
        PeeragogyError: it is empty or only whitespace.
    """
    if not isinstance(text, str) or not text.strip():
        raise PeeragogyError(
            f"the {what} is empty", hint="type some text, or delete the entry instead"
        )
    return storable(text)


def optional_text(value: Any, what: str) -> str | None:
    """A participant, group or owner as stored; empty means ``None``."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise PeeragogyError(f"the {what} must be text, not {type(value).__name__}")
    return storable(value) if value.strip() else None


def entry_kind(kind: Any) -> str:
    """``note``, ``question`` or ``action``.

    Raises:
        PeeragogyError: anything else.
    """
    if kind not in ENTRY_KINDS:
        raise PeeragogyError(
            f"unknown harvest entry kind {kind!r}", hint=f"use one of: {', '.join(ENTRY_KINDS)}"
        )
    return str(kind)


def update_columns(fields: dict[str, Any]) -> dict[str, Any]:
    """Checked column values for ``update_entry(**fields)``.

    Raises:
        TypeError: a field that entries do not have.
        PeeragogyError: a value that does not fit.
    """
    unknown = sorted(set(fields) - set(ENTRY_COLUMNS))
    if unknown:
        raise TypeError(f"harvest entries have no field(s): {', '.join(unknown)}")
    columns: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "text":
            value = entry_text(value)
        elif name == "kind":
            value = entry_kind(value)
        elif name == "private":
            value = int(bool(value))
        elif name != "step_key":
            value = optional_text(value, name)
        columns[ENTRY_COLUMNS[name]] = value
    return columns


def check_step_key(conn: sqlite3.Connection, session_id: int, step_key: str) -> None:
    """Raise unless the session has a step with this key."""
    found = conn.execute(
        "SELECT 1 FROM session_steps WHERE session_id = ? AND step_key = ?",
        (session_id, step_key),
    ).fetchone()
    if found is None:
        raise PeeragogyError(
            f"session #{session_id} has no step '{step_key}'",
            hint="use the key of one of the session's steps",
        )
