"""Converting between session values and their SQLite rows (and timestamps).

Record times (created, started, ended) are ISO 8601 UTC to the second, like
the answer store. Countdown times keep microseconds, so a reopened session
resumes its timer exactly. Text is stored byte-exact, except that lone
surrogates (which UTF-8 cannot hold) become U+FFFD.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from peeragogy_tui.core.sessions.countdown import Countdown
from peeragogy_tui.core.sessions.models import HarvestEntry, SessionState, StepRecord
from peeragogy_tui.core.store.base import storable

__all__ = [
    "countdown_columns",
    "countdown_from",
    "dump_json",
    "entry_from",
    "iso",
    "iso_precise",
    "parse_time",
    "state_from",
    "step_from",
    "storable",
]



def iso(moment: datetime) -> str:
    """``2024-05-01T09:00:00+00:00``: record times, to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def iso_precise(moment: datetime | None) -> str | None:
    """Countdown times, to the microsecond (``None`` stays ``None``)."""
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(text: str | None) -> datetime | None:
    """The aware datetime of a stored ISO string (``None`` stays ``None``)."""
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def dump_json(value: Any) -> str:
    """JSON that keeps every character as is (``ensure_ascii=False``)."""
    return json.dumps(value, ensure_ascii=False)


def countdown_from(row: sqlite3.Row) -> Countdown:
    """The countdown stored in a ``session_steps`` row."""
    return Countdown(
        planned_seconds=int(row["planned_seconds"]),
        adjust_seconds=int(row["adjust_seconds"]),
        started_at=parse_time(row["timer_started_at"]),
        paused_at=parse_time(row["paused_at"]),
        paused_seconds=float(row["paused_seconds"]),
    )


def countdown_columns(countdown: Countdown) -> dict[str, Any]:
    """The ``session_steps`` columns that hold ``countdown``."""
    return {
        "adjust_seconds": countdown.adjust_seconds,
        "timer_started_at": iso_precise(countdown.started_at),
        "paused_at": iso_precise(countdown.paused_at),
        "paused_seconds": countdown.paused_seconds,
    }


def step_from(row: sqlite3.Row) -> StepRecord:
    """A :class:`StepRecord` from a ``session_steps`` row."""
    return StepRecord(
        index=int(row["step_index"]),
        step_key=row["step_key"],
        prompt=row["prompt"],
        planned_seconds=int(row["planned_seconds"]),
        countdown=countdown_from(row),
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        skipped=bool(row["skipped"]),
        kind=row["step_type"],
        regroup=bool(row["regroup"]),
        facilitator=row["facilitator"],
        hint=row["hint"],
        opened_at=row["opened_at"],
        active_seconds=float(row["active_seconds"]),
    )


def entry_from(row: sqlite3.Row) -> HarvestEntry:
    """A :class:`HarvestEntry` from a ``session_entries`` row."""
    return HarvestEntry(
        id=int(row["id"]),
        session_id=int(row["session_id"]),
        step_key=row["step_key"],
        kind=row["kind"],
        text=row["text"],
        participant=row["participant"],
        group=row["group_name"],
        owner=row["owner"],
        private=bool(row["private"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def state_from(
    row: sqlite3.Row,
    steps: list[sqlite3.Row],
    groups: list[sqlite3.Row],
    entries: list[sqlite3.Row],
) -> SessionState:
    """A :class:`SessionState` from the rows of one session."""
    return SessionState(
        id=int(row["id"]),
        exercise_id=row["exercise_id"],
        exercise_title=row["exercise_title"],
        title=row["title"],
        status=row["status"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        finished_at=row["finished_at"],
        participants=list(json.loads(row["participants_json"])),
        group_size=row["group_size"],
        current_index=int(row["current_index"]),
        steps=[step_from(step) for step in steps],
        groups={int(g["step_index"]): json.loads(g["groups_json"]) for g in groups},
        entries=[entry_from(entry) for entry in entries],
        revision=int(row["revision"]),
        facilitator_notes=row["facilitator_notes"],
        seed=row["seed"],
    )
