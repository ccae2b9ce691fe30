"""Sessions in the shared answers file: create, load, and change them safely.

Every change is one ``BEGIN IMMEDIATE`` transaction (through
:meth:`~peeragogy_tui.core.store.database.Database.write`, with its busy
retries) that also bumps the session's ``revision`` and ``updated_at``. A
second process watching the session polls :meth:`SessionStore.revision`
and reloads the snapshot when it moves (see :mod:`.live`). Every read of a
whole session happens in one transaction, so it never mixes two states.

Moving between steps keeps the timings honest (:mod:`.transitions`):
``advance`` and ``skip`` start the next step's timer, because the
facilitator has said "next"; ``back`` reopens the previous step with its
timer paused where it was left. A timer that runs out never moves the
session on by itself.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from peeragogy_tui.core.sessions.countdown import Countdown
from peeragogy_tui.core.sessions.entries import (
    check_step_key,
    entry_kind,
    entry_text,
    optional_text,
    update_columns,
)
from peeragogy_tui.core.sessions.grouping import group_sizes, split_into_groups
from peeragogy_tui.core.sessions.models import (
    Clock,
    SessionState,
    SessionSummary,
    agenda_for,
    clean_participants,
)
from peeragogy_tui.core.sessions.queries import read_state, read_summaries, unknown_session
from peeragogy_tui.core.sessions.rows import (
    countdown_columns,
    countdown_from,
    dump_json,
    iso,
    storable,
)
from peeragogy_tui.core.sessions.transitions import (
    enter_step,
    has_groups,
    leave_step,
    mark_finished,
    regroup,
    round_seed,
    save_groups,
    step_row,
    update_step,
)
from peeragogy_tui.core.store.base import StoreBase, utc_now
from peeragogy_tui.core.store.database import open_database
from peeragogy_tui.errors import PeeragogyError

__all__ = ["SessionStore", "open_session_store"]

T = TypeVar("T")
Work = Callable[[sqlite3.Connection, sqlite3.Row, datetime], T]
"""A change: gets the connection, the session's row and "now" inside the transaction."""


def open_session_store(path: Path | None = None, *, clock: Clock | None = None) -> SessionStore:
    """Open the sessions in the answers database at ``path`` (default: the data dir).

    Raises:
        PeeragogyError: the file is not ours (it is copied aside), or cannot be written.
    """
    if path is None:
        from peeragogy_tui.core.store.answers import default_store_path

        path = default_store_path()
    return SessionStore(open_database(path), clock=clock or utc_now)


class SessionStore(StoreBase):
    """Facilitated sessions in the answers file. Close it when done (or use ``with``)."""

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

        The agenda and the facilitator notes are copied in, so the session
        works without the exercise file. With ``group_size``, the participants
        are split into groups for step 0; regroup steps get new groups when the
        session reaches them. A solo exercise, or one without timers, is allowed.

        Raises:
            PeeragogyError: an empty participant name, or a group size below 2.
        """
        names = [storable(name) for name in clean_participants(participants)]
        if group_size is not None:
            group_sizes(len(names), group_size)
        agenda = agenda_for(exercise)
        seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
        label = title if title and title.strip() else exercise.title
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
                    storable(label),
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
            enter_step(conn, session_id, 0, now, start_timer=False)
            if group_size is not None and names:
                groups = split_into_groups(names, group_size, seed=round_seed(seed, 0))
                save_groups(conn, session_id, 0, groups, now)
            return session_id

        return self.db.write(work)

    # -- reading -----------------------------------------------------------

    def load(self, session_id: int) -> SessionState:
        """One consistent snapshot of a session.

        Raises:
            PeeragogyError: there is no such session.
        """
        return self.db.snapshot(lambda conn: read_state(conn, session_id))

    def list(self) -> list[SessionSummary]:
        """Every session, newest first."""
        return self.db.snapshot(read_summaries)

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
        """A number that goes up on every change to the session (cheap; poll it).

        Raises:
            PeeragogyError: there is no such session.
        """
        rows = self.db.read("SELECT revision FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise unknown_session(session_id)
        return int(rows[0][0])

    # -- the frame of every change -------------------------------------------

    def _apply(
        self, conn: sqlite3.Connection, session_id: int, now: datetime, work: Work[T], running: bool
    ) -> T:
        row = conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise unknown_session(session_id)
        if running and row["status"] != "running":
            raise PeeragogyError(
                f"session #{session_id} is finished",
                hint="start a new session to run the exercise again; "
                "its harvest entries can still be added and edited",
            )
        result = work(conn, row, now)
        conn.execute(
            "UPDATE sessions SET revision = revision + 1, updated_at = ? WHERE id = ?",
            (iso(now), session_id),
        )
        return result

    def _change(self, session_id: int, work: Work[T], *, running: bool = True) -> T:
        now = self._now()
        return self.db.write(lambda conn: self._apply(conn, session_id, now, work, running))

    def change(self, session_id: int, work: Work[T], *, running: bool = False) -> T:
        """Run ``work(conn, session_row, now)`` as one change of the session (its revision goes up).

        For modules that add to sessions (browser participants); ``running``
        refuses a finished session.
        """
        return self._change(session_id, work, running=running)

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
            return self._apply(conn, int(found[0]), now, work, False)

        return self.db.write(txn)

    # -- the timer of the current step ---------------------------------------

    def _timer(self, session_id: int, change: Callable[[Countdown, datetime], Countdown]) -> None:
        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> None:
            index = int(row["current_index"])
            countdown = countdown_from(step_row(conn, session_id, index))
            update_step(conn, session_id, index, countdown_columns(change(countdown, now)))

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
            leave_step(conn, session_id, index, now, skipped=skipped)
            following = step_row(conn, session_id, index + 1)
            if following is None:
                mark_finished(conn, session_id, now)
                return
            enter_step(conn, session_id, index + 1, now, start_timer=True)
            size = row["group_size"]
            if size and following["regroup"] and not has_groups(conn, session_id, index + 1):
                seed = round_seed(row["seed"], index + 1)
                regroup(conn, session_id, index + 1, now, size=size, seed=seed)

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
            leave_step(conn, session_id, index, now, skipped=None)
            enter_step(conn, session_id, index - 1, now, start_timer=False)

        self._change(session_id, work)

    def finish(self, session_id: int) -> None:
        """End the current step and the session (a finished session stays as it is)."""

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> None:
            if row["status"] == "finished":
                return
            leave_step(conn, session_id, int(row["current_index"]), now, skipped=None)
            mark_finished(conn, session_id, now)

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
            if row["group_size"]:
                index = int(row["current_index"])
                seed = round_seed(row["seed"], index, salt=int(row["revision"]))
                regroup(conn, session_id, index, now, size=row["group_size"], seed=seed)

        self._change(session_id, work)

    def split(self, session_id: int, size: int, seed: int | None = None) -> None:
        """Split into groups of ``size`` now, for the current step (and set the group size).

        Pressing it again gives a new arrangement; pairs from earlier rounds are avoided.

        Raises:
            PeeragogyError: ``size`` is below 2.
        """
        group_sizes(0, size)

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> None:
            conn.execute("UPDATE sessions SET group_size = ? WHERE id = ?", (size, session_id))
            index = int(row["current_index"])
            chosen = seed if seed is not None else round_seed(row["seed"], index, row["revision"])
            regroup(conn, session_id, index, now, size=size, seed=chosen)

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
            entry_kind(kind),
            entry_text(text, kind),
            optional_text(participant, "participant"),
            optional_text(group, "group"),
            optional_text(owner, "owner"),
            int(bool(private)),
        )

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> int:
            check_step_key(conn, session_id, step_key)
            cursor = conn.execute(
                "INSERT INTO session_entries (session_id, step_key, kind, text, participant,"
                " group_name, owner, private, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, step_key, *values, iso(now), iso(now)),
            )
            return int(cursor.lastrowid or 0)

        return self._change(session_id, work, running=False)

    def update_entry(self, entry_id: int, **fields: Any) -> None:
        """Change fields of an entry: ``text``, ``kind``, ``participant``, ``group``,
        ``owner``, ``private`` (mark or unmark private) or ``step_key``.

        Raises:
            TypeError: a field that entries do not have.
            PeeragogyError: no such entry, or a value that does not fit.
        """
        columns = update_columns(fields)

        def work(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> None:
            if "step_key" in columns:
                check_step_key(conn, int(row["id"]), columns["step_key"])
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
