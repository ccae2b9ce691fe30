"""Moving a session between steps and regrouping, inside one write transaction.

These functions take the open connection of a
:meth:`~peeragogy_tui.core.store.database.Database.write` transaction and
never commit themselves; :class:`~.store.SessionStore` calls them.

Leaving a step pauses its timer, records when it ended and adds the visit to
its active time. Entering one records when, and may start its timer.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from peeragogy_tui.core.sessions.grouping import split_into_groups
from peeragogy_tui.core.sessions.rows import (
    countdown_columns,
    countdown_from,
    dump_json,
    iso,
    parse_time,
)

__all__ = [
    "enter_step",
    "has_groups",
    "leave_step",
    "mark_finished",
    "regroup",
    "round_seed",
    "save_groups",
    "step_row",
    "update_step",
]


def round_seed(seed: int, index: int, salt: int = 0) -> int:
    """A seed per step (and per press of "split"): repeatable, but different each round."""
    return (seed * 1_000_003 + index * 7_919 + salt * 104_729) % (2**63)


def step_row(conn: sqlite3.Connection, session_id: int, index: int) -> sqlite3.Row:
    """The ``session_steps`` row of step ``index``."""
    return conn.execute(
        "SELECT * FROM session_steps WHERE session_id = ? AND step_index = ?",
        (session_id, index),
    ).fetchone()


def update_step(
    conn: sqlite3.Connection, session_id: int, index: int, columns: dict[str, Any]
) -> None:
    """Set ``columns`` (names are ours, never user input) of step ``index``."""
    assignments = ", ".join(f"{name} = ?" for name in columns)
    conn.execute(
        f"UPDATE session_steps SET {assignments} WHERE session_id = ? AND step_index = ?",
        (*columns.values(), session_id, index),
    )


def enter_step(
    conn: sqlite3.Connection, session_id: int, index: int, now: datetime, *, start_timer: bool
) -> None:
    """Make step ``index`` current; with ``start_timer``, start (or resume) its timer."""
    row = step_row(conn, session_id, index)
    columns: dict[str, Any] = {
        "started_at": row["started_at"] or iso(now),
        "opened_at": iso(now),
        "ended_at": None,
    }
    countdown = countdown_from(row)
    if start_timer and countdown.is_timed():
        columns.update(countdown_columns(countdown.start(now)))
    update_step(conn, session_id, index, columns)
    conn.execute("UPDATE sessions SET current_index = ? WHERE id = ?", (index, session_id))


def leave_step(
    conn: sqlite3.Connection, session_id: int, index: int, now: datetime, *, skipped: bool | None
) -> None:
    """Leave step ``index``: pause its timer, record the end; ``skipped=None`` keeps the flag."""
    row = step_row(conn, session_id, index)
    opened = parse_time(row["opened_at"])
    visit = max(0.0, (now - opened).total_seconds()) if opened else 0.0
    columns: dict[str, Any] = {
        "ended_at": iso(now),
        "opened_at": None,
        "active_seconds": float(row["active_seconds"]) + visit,
        **countdown_columns(countdown_from(row).pause(now)),
    }
    if skipped is not None:
        columns["skipped"] = int(skipped)
    update_step(conn, session_id, index, columns)


def mark_finished(conn: sqlite3.Connection, session_id: int, now: datetime) -> None:
    """Set the session's status to finished."""
    conn.execute(
        "UPDATE sessions SET status = 'finished', finished_at = ? WHERE id = ?",
        (iso(now), session_id),
    )


def save_groups(
    conn: sqlite3.Connection, session_id: int, index: int, groups: list[list[str]], now: datetime
) -> None:
    """Store (or replace) the arrangement made at step ``index``."""
    conn.execute(
        "INSERT INTO session_groups (session_id, step_index, groups_json, created_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (session_id, step_index) DO UPDATE SET"
        " groups_json = excluded.groups_json, created_at = excluded.created_at",
        (session_id, index, dump_json(groups), iso(now)),
    )


def has_groups(conn: sqlite3.Connection, session_id: int, index: int) -> bool:
    """An arrangement was made at step ``index``."""
    found = conn.execute(
        "SELECT 1 FROM session_groups WHERE session_id = ? AND step_index = ?",
        (session_id, index),
    ).fetchone()
    return found is not None


def regroup(
    conn: sqlite3.Connection, session_id: int, index: int, now: datetime, *, size: int, seed: int
) -> None:
    """New groups of ``size`` for step ``index``, avoiding pairs from earlier rounds."""
    participants = conn.execute(
        "SELECT participants_json FROM sessions WHERE id = ?", (session_id,)
    ).fetchone()[0]
    earlier = conn.execute(
        "SELECT groups_json FROM session_groups WHERE session_id = ? AND step_index < ?"
        " ORDER BY step_index",
        (session_id, index),
    ).fetchall()
    previous = [json.loads(found[0]) for found in earlier]
    groups = split_into_groups(json.loads(participants), size, seed=seed, previous=previous)
    save_groups(conn, session_id, index, groups, now)
