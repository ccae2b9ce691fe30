"""Reading sessions: one whole session in one snapshot, and the list of all of them."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

from peeragogy_tui.core.sessions.models import SessionState, SessionSummary
from peeragogy_tui.core.sessions.rows import state_from
from peeragogy_tui.errors import PeeragogyError

__all__ = ["read_state", "read_summaries", "unknown_session"]


def unknown_session(session_id: int) -> PeeragogyError:
    """The error for a session id that is not in the store."""
    return PeeragogyError(
        f"there is no session #{session_id}",
        hint="run 'peeragogy session list' to see your sessions",
    )


def read_state(conn: sqlite3.Connection, session_id: int) -> SessionState:
    """Every row of one session (call inside one transaction).

    Raises:
        PeeragogyError: there is no such session.
    """
    row = conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
    if row is None:
        raise unknown_session(session_id)
    steps = conn.execute(
        "SELECT * FROM session_steps WHERE session_id = ? ORDER BY step_index", (session_id,)
    ).fetchall()
    groups = conn.execute(
        "SELECT step_index, groups_json FROM session_groups WHERE session_id = ?"
        " ORDER BY step_index",
        (session_id,),
    ).fetchall()
    entries = conn.execute(
        "SELECT * FROM session_entries WHERE session_id = ? ORDER BY id", (session_id,)
    ).fetchall()
    state = state_from(row, steps, groups, entries)
    members = conn.execute(
        "SELECT name FROM session_members WHERE session_id = ? AND removed_at IS NULL ORDER BY id",
        (session_id,),
    ).fetchall()
    votes: dict[int, list[str]] = {}
    for vote in conn.execute(
        "SELECT v.entry_id, m.name FROM session_votes v JOIN session_members m ON m.id = v.member_id"
        " WHERE m.session_id = ? AND m.removed_at IS NULL ORDER BY v.created_at, m.id",
        (session_id,),
    ):
        votes.setdefault(int(vote[0]), []).append(vote[1])
    return replace(state, members=[member[0] for member in members], votes=votes)


def read_summaries(conn: sqlite3.Connection) -> list[SessionSummary]:
    """Every session, newest first, with its current step."""
    rows = conn.execute(
        "SELECT s.id, s.exercise_id, s.exercise_title, s.title, s.status, s.created_at,"
        " s.updated_at, s.finished_at, s.current_index, s.participants_json,"
        " c.step_key, c.prompt,"
        " (SELECT COUNT(*) FROM session_steps n WHERE n.session_id = s.id) AS step_count"
        " FROM sessions s LEFT JOIN session_steps c"
        " ON c.session_id = s.id AND c.step_index = s.current_index"
        " ORDER BY s.created_at DESC, s.id DESC"
    ).fetchall()
    return [
        SessionSummary(
            id=row["id"],
            exercise_id=row["exercise_id"],
            exercise_title=row["exercise_title"],
            title=row["title"],
            status=row["status"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            finished_at=row["finished_at"],
            current_index=row["current_index"],
            current_step_key=row["step_key"] or "",
            current_prompt=row["prompt"] or "",
            step_count=row["step_count"],
            participant_count=len(json.loads(row["participants_json"])),
        )
        for row in rows
    ]
