"""Sessions in the shared answers file: create, load, and change them safely.

Every change is one ``BEGIN IMMEDIATE`` transaction (through
:meth:`~peeragogy_tui.core.store.database.Database.write`, with its busy
retries) that also bumps the session's ``revision`` and ``updated_at``. A
second process watching the session polls :meth:`SessionStore.revision`
and reloads the snapshot when it moves. Every read of a whole session happens
in one transaction, so it never mixes two states.

Moving between steps keeps the timings honest: leaving a step pauses its
timer, records when it ended and adds the visit to its active time; opening
one records when. ``advance`` and ``skip`` start the next step's timer (the
facilitator has said "next"); ``back`` reopens the previous step with its
timer paused where it was left.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self, TypeVar

from peeragogy_tui.core.exercises.engine import utc_now
from peeragogy_tui.core.sessions.countdown import Countdown
from peeragogy_tui.core.sessions.grouping import group_sizes, split_into_groups
from peeragogy_tui.core.sessions.models import (
    ENTRY_KINDS,
    Clock,
    SessionState,
    SessionSummary,
    agenda_for,
    clean_participants,
)
from peeragogy_tui.core.sessions.rows import (
    countdown_columns,
    countdown_from,
    dump_json,
    iso,
    parse_time,
    state_from,
    storable,
)
from peeragogy_tui.core.store.database import Database, open_database
from peeragogy_tui.errors import PeeragogyError

__all__ = ["SessionStore", "open_session_store"]

T = TypeVar("T")
Work = Callable[[sqlite3.Connection, sqlite3.Row, datetime], T]

_ENTRY_FIELDS = {
    "step_key": "step_key",
    "kind": "kind",
    "text": "text",
    "participant": "participant",
    "group": "group_name",
    "owner": "owner",
    "private": "private",
}
"""Fields of :class:`~.models.HarvestEntry` that ``update_entry`` may change -> their columns."""


def open_session_store(path: Path | None = None, *, clock: Clock | None = None) -> SessionStore:
    """Open the sessions in the answers database at ``path`` (default: the data dir).

    Raises:
        PeeragogyError: the file is not ours (it is copied aside), or cannot be written.
    """
    if path is None:
        from peeragogy_tui.core.store.answers import default_store_path

        path = default_store_path()
    return SessionStore(open_database(path), clock=clock or utc_now)


def _unknown(session_id: int) -> PeeragogyError:
    return PeeragogyError(
        f"there is no session #{session_id}",
        hint="run 'peeragogy session list' to see your sessions",
    )


def _round_seed(seed: int, index: int, salt: int = 0) -> int:
    """A seed per step, so each round's groups are repeatable but different."""
    return (seed * 1_000_003 + index * 7_919 + salt * 104_729) % (2**63)


def _clean_text(text: Any, what: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise PeeragogyError(
            f"the {what} is empty", hint="type some text, or delete the entry instead"
        )
    return storable(text)


def _optional(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise PeeragogyError(f"the {what} must be text, not {type(value).__name__}")
    return storable(value) if value.strip() else None


def _kind(kind: Any) -> str:
    if kind not in ENTRY_KINDS:
        raise PeeragogyError(
            f"unknown harvest entry kind {kind!r}", hint=f"use one of: {', '.join(ENTRY_KINDS)}"
        )
    return str(kind)


class SessionStore:
    """Facilitated sessions in the answers file. Close it when done (or use ``with``)."""

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

    def _now(self) -> datetime:
        moment = self.clock()
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)

    # -- creating ----------------------------------------------------------

    def create(
        self,
        exercise: Any,
        *,
        participants: Sequence[str],
        group_size: int | None = None,
        title: str | None = None,
        seed: int | None = None,
    ) -> int:
        """Start a session of ``exercise`` on its first step (timer not started); return its id.

        With ``group_size``, the participants are split into groups for step 0;
        regroup steps get new groups when the session reaches them.

        Raises:
            PeeragogyError: an empty participant name, or a group size below 2.
        """
        names = [storable(name) for name in clean_participants(participants)]
        if group_size is not None:
            group_sizes(len(names), group_size)
        agenda = agenda_for(exercise)
        if not agenda:
            raise PeeragogyError(f"exercise '{exercise.id}' has no steps to run")
        seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
        label = storable(title) if title and title.strip() else storable(exercise.title)
        notes = exercise.facilitator_notes
        now = self._now()

        def work(conn: sqlite3.Connection) -> int:
            cursor = conn.execute(
                "INSERT INTO sessions (exercise_id, exercise_title, title, status, created_at,"
                " updated_at, participants_json, group_size, current_index, revision,"
                " facilitator_notes, seed) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, 0, 1, ?, ?)",
                (
                    exercise.id,
                    storable(exercise.title),
                    label,
                    iso(now),
                    iso(now),
                    dump_json(names),
                    group_size,
                    storable(notes) if notes else None,
                    seed,
                ),
            )
            session_id = int(cursor.lastrowid or 0)
            conn.executemany(
                "INSERT INTO session_steps (session_id, step_index, step_key, step_type, prompt,"
                " hint, facilitator, regroup, planned_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        session_id,
                        item.index,
                        item.step_key,
                        item.kind,
                        storable(item.prompt),
                        storable(item.hint) if item.hint else None,
                        storable(item.facilitator) if item.facilitator else None,
                        int(item.regroup),
                        (item.minutes or 0) * 60,
                    )
                    for item in agenda
                ],
            )
            self._enter(conn, session_id, 0, now, start_timer=False)
            if group_size is not None and names:
                groups = split_into_groups(names, group_size, seed=_round_seed(seed, 0))
                self._save_groups(conn, session_id, 0, groups, now)
            return session_id

        return self.db.write(work)

    # -- reading -----------------------------------------------------------

    def load(self, session_id: int) -> SessionState:
        """One consistent snapshot of a session.

        Raises:
            PeeragogyError: there is no such session.
        """

        def work(conn: sqlite3.Connection) -> SessionState:
            row = conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise _unknown(session_id)
            steps = conn.execute(
                "SELECT * FROM session_steps WHERE session_id = ? ORDER BY step_index",
                (session_id,),
            ).fetchall()
            groups = conn.execute(
                "SELECT step_index, groups_json FROM session_groups WHERE session_id = ?"
                " ORDER BY step_index",
                (session_id,),
            ).fetchall()
            entries = conn.execute(
                "SELECT * FROM session_entries WHERE session_id = ? ORDER BY id", (session_id,)
            ).fetchall()
            return state_from(row, steps, groups, entries)

        return self.db.snapshot(work)

    def list(self) -> list[SessionSummary]:
        """Every session, newest first."""
        rows = self.db.read(
            "SELECT s.id, s.exercise_id, s.exercise_title, s.title, s.status, s.created_at,"
            " s.updated_at, s.finished_at, s.current_index, s.participants_json,"
            " c.step_key, c.prompt,"
            " (SELECT COUNT(*) FROM session_steps n WHERE n.session_id = s.id) AS step_count"
            " FROM sessions s LEFT JOIN session_steps c"
            " ON c.session_id = s.id AND c.step_index = s.current_index"
            " ORDER BY s.created_at DESC, s.id DESC"
        )
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

    def latest(self) -> int | None:
        """The newest session's id, running or finished (``None`` if there is none)."""
        rows = self.db.read("SELECT id FROM sessions ORDER BY created_at DESC, id DESC LIMIT 1")
        return int(rows[0][0]) if rows else None

    def latest_running(self) -> int | None:
        """The newest running session's id, or ``None``."""
        rows = self.db.read(
            "SELECT id FROM sessions WHERE status = 'running'"
            " ORDER BY created_at DESC, id DESC LIMIT 1"
        )
        return int(rows[0][0]) if rows else None

    def revision(self, session_id: int) -> int:
        """A number that changes on every change to the session (cheap; poll it).

        Raises:
            PeeragogyError: there is no such session.
        """
        rows = self.db.read("SELECT revision FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise _unknown(session_id)
        return int(rows[0][0])

    # -- the frame of every change -------------------------------------------

    def _apply(
        self,
        conn: sqlite3.Connection,
        session_id: int,
        now: datetime,
        work: Work[T],
        *,
        running: bool,
    ) -> T:
        row = conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise _unknown(session_id)
        if running and row["status"] != "running":
            raise PeeragogyError(
                f"session #{session_id} is finished",
                hint="start a new session to run the exercise again; "
                "harvest entries can still be added and edited",
            )
        result = work(conn, row, now)
        conn.execute(
            "UPDATE sessions SET revision = revision + 1, updated_at = ? WHERE id = ?",
            (iso(now), session_id),
        )
        return result

    def _change(self, session_id: int, work: Work[T], *, running: bool = True) -> T:
        now = self._now()
        return self.db.write(lambda conn: self._apply(conn, session_id, now, work, running=running))

    def _change_entry(self, entry_id: int, work: Work[T]) -> T:
        now = self._now()

        def txn(conn: sqlite3.Connection) -> T:
            found = conn.execute(
                "SELECT session_id FROM session_entries WHERE id = ?", (entry_id,)
            ).fetchone()
            if found is None:
                raise PeeragogyError(
                    f"there is no harvest entry #{entry_id}",
                    hint="it may have been deleted in another window; reload the session",
                )
            return self._apply(conn, int(found[0]), now, work, running=False)

        return self.db.write(txn)

    # -- step helpers (inside a transaction) ---------------------------------

    @staticmethod
    def _step(conn: sqlite3.Connection, session_id: int, index: int) -> sqlite3.Row:
        return conn.execute(
            "SELECT * FROM session_steps WHERE session_id = ? AND step_index = ?",
            (session_id, index),
        ).fetchone()

    @staticmethod
    def _update_step(
        conn: sqlite3.Connection, session_id: int, index: int, columns: dict[str, Any]
    ) -> None:
        assignments = ", ".join(f"{name} = ?" for name in columns)
        conn.execute(
            f"UPDATE session_steps SET {assignments} WHERE session_id = ? AND step_index = ?",
            (*columns.values(), session_id, index),
        )

    def _enter(
        self,
        conn: sqlite3.Connection,
        session_id: int,
        index: int,
        now: datetime,
        *,
        start_timer: bool,
    ) -> None:
        row = self._step(conn, session_id, index)
        columns: dict[str, Any] = {
            "started_at": row["started_at"] or iso(now),
            "opened_at": iso(now),
            "ended_at": None,
        }
        countdown = countdown_from(row)
        if start_timer and countdown.is_timed():
            columns.update(countdown_columns(countdown.start(now)))
        self._update_step(conn, session_id, index, columns)
        conn.execute("UPDATE sessions SET current_index = ? WHERE id = ?", (index, session_id))

    def _leave(
        self,
        conn: sqlite3.Connection,
        session_id: int,
        index: int,
        now: datetime,
        *,
        skipped: bool | None,
    ) -> None:
        row = self._step(conn, session_id, index)
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
        self._update_step(conn, session_id, index, columns)

    # -- groups (inside a transaction) ---------------------------------------

    @staticmethod
    def _save_groups(
        conn: sqlite3.Connection,
        session_id: int,
        index: int,
        groups: list[list[str]],
        now: datetime,
    ) -> None:
        conn.execute(
            "INSERT INTO session_groups (session_id, step_index, groups_json, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (session_id, step_index) DO UPDATE SET"
            " groups_json = excluded.groups_json, created_at = excluded.created_at",
            (session_id, index, dump_json(groups), iso(now)),
        )

    def _regroup(
        self,
        conn: sqlite3.Connection,
        row: sqlite3.Row,
        index: int,
        now: datetime,
        *,
        size: int,
        seed: int,
    ) -> None:
        """New groups for step ``index``, avoiding pairs from the earlier rounds."""
        earlier = conn.execute(
            "SELECT groups_json FROM session_groups WHERE session_id = ? AND step_index < ?"
            " ORDER BY step_index",
            (row["id"], index),
        ).fetchall()
        names = json.loads(row["participants_json"])
        previous = [json.loads(found[0]) for found in earlier]
        groups = split_into_groups(names, size, seed=seed, previous=previous)
        self._save_groups(conn, row["id"], index, groups, now)

    def _has_groups(self, conn: sqlite3.Connection, session_id: int, index: int) -> bool:
        return (
            conn.execute(
                "SELECT 1 FROM session_groups WHERE session_id = ? AND step_index = ?",
                (session_id, index),
            ).fetchone()
            is not None
        )

    # -- the timer of the current step ---------------------------------------

    def _timer(self, session_id: int, change: Callable[[Countdown, datetime], Countdown]) -> None:
        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> None:
            index = int(row["current_index"])
            countdown = countdown_from(self._step(conn, session_id, index))
            self._update_step(conn, session_id, index, countdown_columns(change(countdown, now)))

        self._change(session_id, work)

    def start_timer(self, session_id: int) -> None:
        """Start (or resume) the current step's timer."""
        self._timer(session_id, Countdown.start)

    def pause(self, session_id: int) -> None:
        """Pause the current step's timer."""
        self._timer(session_id, Countdown.pause)

    def resume(self, session_id: int) -> None:
        """Resume the current step's timer."""
        self._timer(session_id, Countdown.resume)

    def add_minutes(self, session_id: int, n: int) -> None:
        """Add ``n`` minutes to the current step (negative removes; never below zero)."""
        self._timer(session_id, lambda countdown, _now: countdown.add_minutes(n))

    # -- moving between steps ------------------------------------------------

    def _forward(self, session_id: int, *, skipped: bool) -> None:
        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> None:
            index = int(row["current_index"])
            self._leave(conn, session_id, index, now, skipped=skipped)
            count = conn.execute(
                "SELECT COUNT(*) FROM session_steps WHERE session_id = ?", (session_id,)
            ).fetchone()[0]
            if index + 1 >= count:
                self._mark_finished(conn, session_id, now)
                return
            self._enter(conn, session_id, index + 1, now, start_timer=True)
            step = self._step(conn, session_id, index + 1)
            size = row["group_size"]
            if size and step["regroup"] and not self._has_groups(conn, session_id, index + 1):
                self._regroup(
                    conn, row, index + 1, now, size=size, seed=_round_seed(row["seed"], index + 1)
                )

        self._change(session_id, work)

    def advance(self, session_id: int) -> None:
        """End the current step and open the next, starting its timer.

        A regroup step gets new groups (when a group size is set). On the last
        step, this finishes the session.
        """
        self._forward(session_id, skipped=False)

    def skip(self, session_id: int) -> None:
        """Like :meth:`advance`, but the step is marked skipped."""
        self._forward(session_id, skipped=True)

    def back(self, session_id: int) -> None:
        """Return to the previous step; its timer stays paused where it was left.

        Raises:
            PeeragogyError: the session is on its first step.
        """

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> None:
            index = int(row["current_index"])
            if index == 0:
                raise PeeragogyError("the session is already on its first step")
            self._leave(conn, session_id, index, now, skipped=None)
            self._enter(conn, session_id, index - 1, now, start_timer=False)

        self._change(session_id, work)

    def _mark_finished(self, conn: sqlite3.Connection, session_id: int, now: datetime) -> None:
        conn.execute(
            "UPDATE sessions SET status = 'finished', finished_at = ? WHERE id = ?",
            (iso(now), session_id),
        )

    def finish(self, session_id: int) -> None:
        """End the current step and the session (a finished session stays as it is)."""

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> None:
            if row["status"] == "finished":
                return
            self._leave(conn, session_id, int(row["current_index"]), now, skipped=None)
            self._mark_finished(conn, session_id, now)

        self._change(session_id, work, running=False)

    # -- participants and groups ---------------------------------------------

    def set_participants(self, session_id: int, names: Sequence[str]) -> None:
        """Replace the participants; with a group size set, the current groups are re-split.

        Raises:
            PeeragogyError: an empty name.
        """
        cleaned = [storable(name) for name in clean_participants(names)]

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> None:
            conn.execute(
                "UPDATE sessions SET participants_json = ? WHERE id = ?",
                (dump_json(cleaned), session_id),
            )
            size = row["group_size"]
            if size:
                fresh = conn.execute(
                    "SELECT * FROM sessions WHERE id = ?", (session_id,)
                ).fetchone()
                index = int(row["current_index"])
                seed = _round_seed(row["seed"], index, salt=int(row["revision"]))
                self._regroup(conn, fresh, index, now, size=size, seed=seed)

        self._change(session_id, work)

    def split(self, session_id: int, size: int, seed: int | None = None) -> None:
        """Split into groups of ``size`` now, for the current step (and set the group size).

        Pressing it again gives a new arrangement; the earlier rounds' pairs are avoided.

        Raises:
            PeeragogyError: ``size`` is below 2.
        """
        group_sizes(0, size)

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> None:
            conn.execute("UPDATE sessions SET group_size = ? WHERE id = ?", (size, session_id))
            index = int(row["current_index"])
            chosen = (
                seed if seed is not None else _round_seed(row["seed"], index, int(row["revision"]))
            )
            self._regroup(conn, row, index, now, size=size, seed=chosen)

        self._change(session_id, work)

    # -- harvest entries ------------------------------------------------------

    def add_entry(
        self,
        session_id: int,
        *,
        step_key: str,
        kind: str,
        text: str,
        participant: str | None = None,
        group: str | None = None,
        owner: str | None = None,
        private: bool = False,
    ) -> int:
        """Record a note, question or action for a step; return its id.

        Works on a finished session too, so the harvest can be completed afterwards.

        Raises:
            PeeragogyError: empty text, an unknown kind, or a step the session does not have.
        """
        values = (
            _kind(kind),
            _clean_text(text, kind),
            _optional(participant, "participant"),
            _optional(group, "group"),
            _optional(owner, "owner"),
            int(bool(private)),
        )

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> int:
            self._check_step_key(conn, session_id, step_key)
            cursor = conn.execute(
                "INSERT INTO session_entries (session_id, step_key, kind, text, participant,"
                " group_name, owner, private, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, step_key, *values, iso(now), iso(now)),
            )
            return int(cursor.lastrowid or 0)

        return self._change(session_id, work, running=False)

    @staticmethod
    def _check_step_key(conn: sqlite3.Connection, session_id: int, step_key: str) -> None:
        found = conn.execute(
            "SELECT 1 FROM session_steps WHERE session_id = ? AND step_key = ?",
            (session_id, step_key),
        ).fetchone()
        if found is None:
            raise PeeragogyError(
                f"session #{session_id} has no step '{step_key}'",
                hint="use the key of one of the session's steps",
            )

    def update_entry(self, entry_id: int, **fields: Any) -> None:
        """Change some fields of an entry: ``text``, ``kind``, ``participant``, ``group``,
        ``owner``, ``private`` or ``step_key``.

        Raises:
            TypeError: a field that entries do not have.
            PeeragogyError: no such entry, or a value that does not fit.
        """
        unknown = sorted(set(fields) - set(_ENTRY_FIELDS))
        if unknown:
            raise TypeError(f"harvest entries have no field(s): {', '.join(unknown)}")
        columns: dict[str, Any] = {}
        for name, value in fields.items():
            if name == "text":
                value = _clean_text(value, "entry")
            elif name == "kind":
                value = _kind(value)
            elif name == "private":
                value = int(bool(value))
            elif name != "step_key":
                value = _optional(value, name)
            columns[_ENTRY_FIELDS[name]] = value

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> None:
            if "step_key" in columns:
                self._check_step_key(conn, int(row["id"]), columns["step_key"])
            assignments = ", ".join(f"{name} = ?" for name in [*columns, "updated_at"])
            conn.execute(
                f"UPDATE session_entries SET {assignments} WHERE id = ?",
                (*columns.values(), iso(now), entry_id),
            )

        self._change_entry(entry_id, work)

    def delete_entry(self, entry_id: int) -> None:
        """Delete an entry for good.

        Raises:
            PeeragogyError: no such entry.
        """

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> None:
            conn.execute("DELETE FROM session_entries WHERE id = ?", (entry_id,))

        self._change_entry(entry_id, work)
