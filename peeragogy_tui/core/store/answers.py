"""The answer store: runs of exercises, their answers and unsaved drafts.

Answers are stored byte-exact: text exactly as given, structured values as
JSON with ``ensure_ascii=False``. Nothing is sanitised on the way in;
displaying an answer is the caller's business (see
:func:`peeragogy_tui.core.sanitize.strip_control`). Every run of an exercise
is kept with its dates, so earlier reflections are never overwritten.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from peeragogy_tui.core.store.base import Clock, StoreBase, storable, utc_now
from peeragogy_tui.core.store.claims import Claimant, RunClaims, hold, take
from peeragogy_tui.core.store.database import DB_NAME, open_database
from peeragogy_tui.core.store.export import export_json, export_markdown
from peeragogy_tui.core.store.records import StoredAnswer, StoredRun, encode_value
from peeragogy_tui.errors import PeeragogyError

__all__ = ["AnswerStore", "StoredAnswer", "StoredRun", "default_store_path", "open_store"]


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def fits_sqlite(number: int) -> bool:
    """``number`` fits SQLite's 64-bit INTEGER (a larger one cannot name any row)."""
    return -(2**63) <= number < 2**63


def default_store_path() -> Path:
    """``answers.sqlite3`` in the private data dir (created, 0700)."""
    from peeragogy_tui.paths import ensure_data_dir

    return ensure_data_dir() / DB_NAME


def open_store(
    path: Path | None = None, *, clock: Clock = utc_now, read_only: bool = False
) -> AnswerStore:
    """Open the answer store at ``path`` (default: the data dir), creating it if needed.

    ``read_only`` opens an existing file with ``mode=ro`` and never writes to
    it (nor creates, migrates or chmods anything): for listing and exporting.

    Raises:
        PeeragogyError: the file is not ours (it is copied aside), or cannot be written.
    """
    return AnswerStore(
        open_database(path or default_store_path(), read_only=read_only), clock=clock
    )


_RUN_COLUMNS = (
    "id, exercise_id, exercise_title, status, started_at, updated_at, finished_at, current_step, uuid"
)


class AnswerStore(RunClaims, StoreBase):
    """Runs, answers and drafts in one SQLite file. Close it when done (or use ``with``).

    Every write that takes a ``claimant`` first claims (or renews) the run in
    the same transaction and raises
    :class:`~peeragogy_tui.core.store.claims.RunClaimedError`, writing
    nothing, when another live process owns it (see :mod:`.claims`).
    """

    def _now(self) -> str:
        return _iso(self.clock())

    # -- writing -----------------------------------------------------------

    def start_run(
        self,
        exercise_id: str,
        exercise_title: str,
        *,
        started_at: datetime | None = None,
        claimant: Claimant | None = None,
    ) -> int:
        """Record a new run (status ``in_progress``), claimed by ``claimant`` if given; return its id."""
        now = self._now()
        started = _iso(started_at) if started_at else now
        epoch = self._epoch()

        def work(conn: sqlite3.Connection) -> int:
            cursor = conn.execute(
                "INSERT INTO runs (exercise_id, exercise_title, status, started_at, updated_at,"
                " current_step, uuid) VALUES (?, ?, 'in_progress', ?, ?, 0, ?)",
                (storable(exercise_id), storable(exercise_title), started, now, str(uuid.uuid4())),
            )
            run_id = int(cursor.lastrowid or 0)
            if claimant is not None:
                take(conn, run_id, claimant, epoch)
            return run_id

        return self.db.write(work)

    def _touch(
        self, conn: sqlite3.Connection, run_id: int, now: str, current_step: int | None
    ) -> None:
        cursor = conn.execute(
            "UPDATE runs SET updated_at = ?, current_step = COALESCE(?, current_step),"
            " status = CASE status WHEN 'new' THEN 'in_progress' ELSE status END WHERE id = ?",
            (now, current_step, run_id),
        )
        if cursor.rowcount == 0:
            raise PeeragogyError(
                f"there is no run #{run_id}", path=self.path, hint="run 'peeragogy answers list'"
            )

    def save_answer(
        self,
        run_id: int,
        step_key: str,
        value: Any,
        *,
        step_index: int,
        prompt: str,
        step_type: str = "text",
        current_step: int | None = None,
        claimant: Claimant | None = None,
        scale: dict[str, Any] | None = None,
    ) -> None:
        """Save (or replace) one answer; ``None`` records a skipped step. Clears its draft.

        ``scale`` (a scale step's bounds and labels, see :func:`.records.scale_of`) is kept with
        the answer, so "4 of 5" still reads right if the exercise file changes later. The value
        is kept exactly (JSON escapes lone surrogates); in the key, the prompt and the type they
        become U+FFFD, as SQLite stores only UTF-8.
        """
        value_json = encode_value(value)
        scale_json = json.dumps(scale, ensure_ascii=False) if scale is not None else None
        step_key, prompt, step_type = storable(step_key), storable(prompt), storable(step_type)
        now = self._now()
        epoch = self._epoch()

        def work(conn: sqlite3.Connection) -> None:
            hold(conn, run_id, claimant, epoch)
            self._touch(conn, run_id, now, current_step)
            conn.execute(
                "INSERT INTO answers (run_id, step_key, step_index, step_type, prompt, value_json, updated_at,"
                " scale_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, step_key) DO UPDATE SET"
                " step_index = excluded.step_index, step_type = excluded.step_type, prompt = excluded.prompt,"
                " value_json = excluded.value_json, updated_at = excluded.updated_at,"
                " scale_json = excluded.scale_json",
                (run_id, step_key, step_index, step_type, prompt, value_json, now, scale_json),
            )
            conn.execute("DELETE FROM drafts WHERE run_id = ? AND step_key = ?", (run_id, step_key))

        self.db.write(work)

    def set_position(
        self,
        run_id: int,
        current_step: int,
        *,
        status: str | None = None,
        claimant: Claimant | None = None,
    ) -> None:
        """Remember where the person is (after moving back or forward)."""
        now = self._now()
        epoch = self._epoch()

        def work(conn: sqlite3.Connection) -> None:
            hold(conn, run_id, claimant, epoch)
            self._touch(conn, run_id, now, current_step)
            if status == "in_progress":
                conn.execute(
                    "UPDATE runs SET status = 'in_progress', finished_at = NULL WHERE id = ?",
                    (run_id,),
                )

        self.db.write(work)

    def save_draft(
        self, run_id: int, step_key: str, text: str, *, claimant: Claimant | None = None
    ) -> None:
        """Keep unsubmitted text for a step (lone surrogates become U+FFFD)."""
        safe, step_key = storable(text), storable(step_key)
        now = self._now()
        epoch = self._epoch()

        def work(conn: sqlite3.Connection) -> None:
            hold(conn, run_id, claimant, epoch)
            self._touch(conn, run_id, now, None)
            conn.execute(
                "INSERT INTO drafts (run_id, step_key, text, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (run_id, step_key) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                (run_id, step_key, safe, now),
            )

        self.db.write(work)

    def get_draft(self, run_id: int, step_key: str) -> str | None:
        """The draft text for a step, or ``None``."""
        rows = self.db.read(
            "SELECT text FROM drafts WHERE run_id = ? AND step_key = ?", (run_id, step_key)
        )
        return str(rows[0][0]) if rows else None

    def finish_run(
        self,
        run_id: int,
        *,
        finished_at: datetime | None = None,
        claimant: Claimant | None = None,
    ) -> None:
        """Mark a run done."""
        now = self._now()
        finished = _iso(finished_at) if finished_at else now
        epoch = self._epoch()

        def work(conn: sqlite3.Connection) -> None:
            hold(conn, run_id, claimant, epoch)
            self._touch(conn, run_id, now, None)
            conn.execute(
                "UPDATE runs SET status = 'done', finished_at = ? WHERE id = ?", (finished, run_id)
            )

        self.db.write(work)

    def delete_run(self, run_id: int) -> bool:
        """Delete a run with its answers and drafts; False if there was none."""
        if not fits_sqlite(run_id):
            return False
        return self.db.write(
            lambda conn: conn.execute("DELETE FROM runs WHERE id = ?", (run_id,)).rowcount > 0
        )

    # -- reading -----------------------------------------------------------

    def _runs(
        self, where: str = "", params: tuple[Any, ...] = (), suffix: str = ""
    ) -> list[StoredRun]:
        """Runs with their answers, read in one snapshot (a bad ``value_json`` repairs the file)."""

        def work(conn: sqlite3.Connection) -> list[StoredRun]:
            rows = conn.execute(
                f"SELECT {_RUN_COLUMNS} FROM runs {where} ORDER BY started_at, id {suffix}", params
            ).fetchall()
            if not rows:
                return []
            ids = [row["id"] for row in rows]
            marks = ",".join("?" * len(ids))
            by_run: dict[int, list[StoredAnswer]] = {}
            for row in conn.execute(
                "SELECT run_id, step_key, step_index, step_type, prompt, value_json, updated_at, scale_json"
                f" FROM answers WHERE run_id IN ({marks}) ORDER BY run_id, step_index, step_key",
                tuple(ids),
            ):
                by_run.setdefault(row["run_id"], []).append(
                    StoredAnswer(
                        row["step_key"],
                        row["step_index"],
                        row["step_type"],
                        row["prompt"],
                        json.loads(row["value_json"]),
                        row["value_json"],
                        row["updated_at"],
                        _scale(row["scale_json"]),
                    )
                )
            return [
                StoredRun(
                    row["id"],
                    row["exercise_id"],
                    row["exercise_title"],
                    row["status"],
                    row["started_at"],
                    row["updated_at"],
                    row["finished_at"],
                    row["current_step"],
                    tuple(by_run.get(row["id"], ())),
                    row["uuid"],
                )
                for row in rows
            ]

        return self.db.snapshot(work)

    def runs(self, exercise_id: str | None = None) -> list[StoredRun]:
        """Every run (of one exercise, if given), oldest first, with answers."""
        if exercise_id is None:
            return self._runs()
        return self._runs("WHERE exercise_id = ?", (exercise_id,))

    def find_run(self, run_id: int) -> StoredRun | None:
        """One run with its answers, or ``None`` (also for a number SQLite cannot hold)."""
        if not fits_sqlite(run_id):
            return None
        found = self._runs("WHERE id = ?", (run_id,))
        return found[0] if found else None

    def get_run(self, run_id: int) -> StoredRun:
        """One run with its answers.

        Raises:
            PeeragogyError: there is no such run.
        """
        found = self.find_run(run_id)
        if found is None:
            raise PeeragogyError(
                f"there is no run #{run_id}", path=self.path, hint="run 'peeragogy answers list'"
            )
        return found

    def latest_run(self, exercise_id: str) -> StoredRun | None:
        """The most recently started run of an exercise."""
        rows = self.db.read(
            "SELECT id FROM runs WHERE exercise_id = ? ORDER BY started_at DESC, id DESC LIMIT 1",
            (exercise_id,),
        )
        return self.find_run(rows[0][0]) if rows else None

    def unfinished_run(self, exercise_id: str) -> StoredRun | None:
        """The most recently started run of an exercise that is not done."""
        rows = self.db.read(
            "SELECT id FROM runs WHERE exercise_id = ? AND status != 'done' ORDER BY started_at DESC, id DESC LIMIT 1",
            (exercise_id,),
        )
        return self.find_run(rows[0][0]) if rows else None

    def statuses(self) -> dict[str, str]:
        """``exercise_id -> status`` of each exercise's latest run (``in_progress`` wins)."""
        result: dict[str, str] = {}
        for row in self.db.read("SELECT exercise_id, status FROM runs ORDER BY started_at, id"):
            if result.get(row[0]) != "in_progress" or row[1] == "in_progress":
                result[row[0]] = row[1]
        return result

    # -- export ------------------------------------------------------------

    def _bookmarks(self) -> list[dict[str, Any]]:
        from peeragogy_tui.core.store.reading import ReadingStore, bookmark_to_dict

        return [bookmark_to_dict(mark) for mark in reversed(ReadingStore(self.db).bookmarks())]

    def export_json(self) -> str:
        """Every run and answer as JSON text (answers byte-exact)."""
        return export_json(self.runs(), exported_at=self._now(), bookmarks=self._bookmarks())

    def export_markdown(self) -> str:
        """Every run and answer as a readable Markdown document."""
        return export_markdown(self.runs(), exported_at=self._now(), bookmarks=self._bookmarks())


def _scale(text: str | None) -> dict[str, Any] | None:
    """A stored scale description; a damaged one reads as unknown (the value itself is kept)."""
    if not text:
        return None
    try:
        found = json.loads(text)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None
