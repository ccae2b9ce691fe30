"""Read an export (``peeragogy answers export``) back in, so progress moves to another computer.

Idempotent: every run is identified by its ``uuid`` (an export from before
uuids existed gets one derived from the run's exercise, start time and
number), and a run already in the store is left as it is, so importing the
same file twice adds nothing. Bookmarks are matched by their uuid the same
way. The whole file goes in one transaction: a file with a bad run imports
nothing, and the error names the run and what is wrong.

Values are stored exactly as the file holds them (byte-exact, as export wrote them).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peeragogy_tui.core.store.export import EXPORT_FORMAT
from peeragogy_tui.core.store.records import encode_value
from peeragogy_tui.errors import PeeragogyError

if TYPE_CHECKING:
    from peeragogy_tui.core.store.answers import AnswerStore

__all__ = ["ImportReport", "import_export"]

_STATUSES = ("new", "in_progress", "done")
_LEGACY_NAMESPACE = uuid.UUID("6f1d3c1e-2a57-4c1b-9a43-7e0f0c2b9d11")


@dataclass(frozen=True)
class ImportReport:
    """What an import added and what it found already there."""

    runs_added: int
    runs_present: int
    answers_added: int
    bookmarks_added: int
    bookmarks_present: int

    def describe(self) -> str:
        """``Imported 2 runs (9 answers) and 1 bookmark; 3 runs were already here.``"""
        def many(count: int, word: str) -> str:
            return f"{count} {word}{'s' if count != 1 else ''}"

        text = f"Imported {many(self.runs_added, 'run')} ({many(self.answers_added, 'answer')})"
        text += f" and {many(self.bookmarks_added, 'bookmark')}"
        present = []
        if self.runs_present:
            present.append(many(self.runs_present, "run"))
        if self.bookmarks_present:
            present.append(many(self.bookmarks_present, "bookmark"))
        if present:
            text += f"; {' and '.join(present)} {'was' if sum((self.runs_present, self.bookmarks_present)) == 1 else 'were'} already here"
        return text + "."


def _fail(path: Path, message: str, hint: str = "use a file written by 'peeragogy answers export'") -> PeeragogyError:
    return PeeragogyError(message, path=path, hint=hint)


def _field(item: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str, path: Path, *, optional: bool = False) -> Any:
    value = item.get(name)
    if value is None and optional:
        return None
    if isinstance(value, bool) and kind is int or not isinstance(value, kind):
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise _fail(path, f"{where}: '{name}' must be {expected}, not {json.dumps(value)[:40]}")
    return value


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _fail(path, "no such file", hint="give the path of a file written by 'peeragogy answers export'") from None
    except UnicodeDecodeError:
        raise _fail(path, "this is not a text file (not UTF-8)") from None
    except OSError as error:
        raise _fail(path, f"cannot read it: {error.strerror or error}", hint="check the path and its permissions") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PeeragogyError(
            f"not valid JSON: {error.msg}", path=path, line=error.lineno,
            hint="import takes the JSON export ('peeragogy answers export', not --format md)",
        ) from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise _fail(path, f"this is not a peeragogy answers export (no \"format\": \"{EXPORT_FORMAT}\")")
    if document.get("version") != 1:
        raise _fail(
            path, f"export version {json.dumps(document.get('version'))} is not one this peeragogy reads",
            hint="upgrade peeragogy on this computer, or export again with the same version",
        )
    if not isinstance(document.get("runs", []), list) or not isinstance(document.get("bookmarks", []), list):
        raise _fail(path, "'runs' and 'bookmarks' must be lists")
    return document


def _run_uuid(run: dict[str, Any], where: str, path: Path) -> str:
    given = run.get("uuid")
    if given is None:  # an export from before runs had a uuid: derive one, the same every time
        seed = f"{run.get('exercise_id')}|{run.get('started_at')}|{run.get('run')}"
        return str(uuid.uuid5(_LEGACY_NAMESPACE, seed))
    if not isinstance(given, str) or not given.strip():
        raise _fail(path, f"{where}: 'uuid' must be text")
    return given


def _insert_run(conn: sqlite3.Connection, run: dict[str, Any], key: str, where: str, path: Path) -> int:
    exercise_id = _field(run, "exercise_id", str, where, path)
    title = _field(run, "exercise_title", str, where, path)
    status = _field(run, "status", str, where, path)
    if status not in _STATUSES:
        raise _fail(path, f"{where}: status {json.dumps(status)} is not one of {', '.join(_STATUSES)}")
    started = _field(run, "started_at", str, where, path)
    finished = _field(run, "finished_at", str, where, path, optional=True)
    steps = run.get("steps", [])
    if not isinstance(steps, list):
        raise _fail(path, f"{where}: 'steps' must be a list")
    rows = []
    for number, step in enumerate(steps, start=1):
        at = f"{where}, step {number}"
        if not isinstance(step, dict):
            raise _fail(path, f"{at}: must be an object")
        scale = step.get("scale")
        if scale is not None and not isinstance(scale, dict):
            raise _fail(path, f"{at}: 'scale' must be an object")
        rows.append(
            (
                _field(step, "key", str, at, path),
                _field(step, "index", int, at, path),
                _field(step, "type", str, at, path),
                _field(step, "prompt", str, at, path),
                encode_value(step.get("answer")),
                json.dumps(scale, ensure_ascii=False) if scale is not None else None,
            )
        )
    position = max((row[1] + 1 for row in rows), default=0)
    cursor = conn.execute(
        "INSERT INTO runs (exercise_id, exercise_title, status, started_at, updated_at, finished_at,"
        " current_step, uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (exercise_id, title, status, started, finished or started, finished, position, key),
    )
    run_id = int(cursor.lastrowid or 0)
    for step_key, index, step_type, prompt, value_json, scale_json in rows:
        conn.execute(
            "INSERT OR REPLACE INTO answers (run_id, step_key, step_index, step_type, prompt, value_json,"
            " updated_at, scale_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, step_key, index, step_type, prompt, value_json, finished or started, scale_json),
        )
    return len(rows)


def _insert_bookmark(conn: sqlite3.Connection, mark: dict[str, Any], where: str, path: Path) -> bool:
    key = _field(mark, "uuid", str, where, path)
    if conn.execute("SELECT 1 FROM bookmarks WHERE uuid = ?", (key,)).fetchone():
        return False
    conn.execute(
        "INSERT INTO bookmarks (uuid, handbook, chapter_id, chapter_title, block, line, note, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            key,
            _field(mark, "handbook", str, where, path),
            _field(mark, "chapter_id", str, where, path),
            _field(mark, "chapter_title", str, where, path),
            max(_field(mark, "block", int, where, path), 0),
            max(_field(mark, "line", int, where, path), 0),
            _field(mark, "note", str, where, path),
            _field(mark, "created_at", str, where, path),
        ),
    )
    return True


def import_export(store: AnswerStore, path: Path) -> ImportReport:
    """Add the runs and bookmarks of the export at ``path`` that the store does not hold yet.

    Raises:
        PeeragogyError: the file cannot be read or is not a valid export (nothing is imported).
    """
    document = _read(path)

    def work(conn: sqlite3.Connection) -> ImportReport:
        added = present = answers = marks_added = marks_present = 0
        for number, run in enumerate(document.get("runs", []), start=1):
            where = f"run {number} of the file"
            if not isinstance(run, dict):
                raise _fail(path, f"{where}: must be an object")
            key = _run_uuid(run, where, path)
            if conn.execute("SELECT 1 FROM runs WHERE uuid = ?", (key,)).fetchone():
                present += 1
                continue
            answers += _insert_run(conn, run, key, where, path)
            added += 1
        for number, mark in enumerate(document.get("bookmarks", []), start=1):
            where = f"bookmark {number} of the file"
            if not isinstance(mark, dict):
                raise _fail(path, f"{where}: must be an object")
            if _insert_bookmark(conn, mark, where, path):
                marks_added += 1
            else:
                marks_present += 1
        return ImportReport(added, present, answers, marks_added, marks_present)

    return store.db.write(work)
