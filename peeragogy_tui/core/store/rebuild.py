"""Build a fresh answers file from a damaged one, keeping every row that can still be read.

The damaged copy is opened read-only. Each table is scanned in rowid order;
when SQLite reports a damaged page, the rows after it are looked up one by
one until one reads again, and the scan goes on from there, so one bad page
costs only the rows on it (a test checks: every row that SQLite can read
by its rowid is kept). Rows are then checked the way the
stores will read them: an answer's ``value_json`` that is not JSON is kept as
its raw text (a text answer), text that is not UTF-8 is kept with U+FFFD in
place of the bad bytes, and children whose parent row was lost get a
placeholder parent ("recovered"), so nothing readable disappears from view.
Everything changed is listed in the :class:`Rebuilt` result.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peeragogy_tui.core.store.schema import APPLICATION_ID, MIGRATIONS, TABLES, fill_run_uuids

__all__ = ["Rebuilt", "rebuild"]

_LOWEST = -(2**63)
_HIGHEST = 2**63 - 1
_LOOKUPS_PER_TABLE = 200_000
"""Single-row lookups allowed per table while stepping over damage (about a second at worst)."""
_MISSES_BEFORE_STRIDES = 1024
_PARENT = {
    "answers": "runs",
    "drafts": "runs",
    "session_steps": "sessions",
    "session_groups": "sessions",
    "session_entries": "sessions",
    "session_web": "sessions",
    "session_members": "sessions",
}
_PARENT_KEY = {"runs": "run_id", "sessions": "session_id"}


@dataclass
class Rebuilt:
    """What a rebuild kept and changed."""

    kept: dict[str, int] = field(default_factory=dict)
    """Rows copied, per table."""
    damaged_spots: int = 0
    """Places where SQLite could not read a table's pages (rows there are lost from the new file)."""
    notes: list[str] = field(default_factory=list)
    """Rows that were kept in a changed form, one line each."""


class _Text:
    """``text_factory`` that decodes UTF-8, replacing (and counting) bytes that are not."""

    def __init__(self) -> None:
        self.replaced = 0

    def __call__(self, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.replaced += 1
            return raw.decode("utf-8", "replace")


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(row[1]) for row in conn.execute(f'PRAGMA table_info("{table}")')]


def _first_rowid_from(conn: sqlite3.Connection, table: str, low: int) -> int | None | bool:
    """The first rowid ``>= low``; None if there is none; False if that part is unreadable."""
    try:
        row = conn.execute(
            f'SELECT rowid FROM "{table}" WHERE rowid >= ? ORDER BY rowid LIMIT 1', (low,)
        ).fetchone()
    except sqlite3.DatabaseError:
        return False
    return None if row is None else int(row[0])


def _scan(
    conn: sqlite3.Connection, table: str, columns: list[str], out: Rebuilt
) -> Iterator[tuple[Any, ...]]:
    """Every readable row of ``table`` as ``(rowid, *columns)``, stepping over damaged pages.

    A full scan runs until SQLite reports damage; from there each rowid is
    looked up on its own (a lookup reads only its own path of pages) until
    one reads again, and the scan resumes after it. Gaps are jumped with a
    ``rowid >=`` probe; a long run of unreadable rowids is crossed in strides
    that double, and a budget of lookups bounds the time spent.
    """
    listed = ", ".join(f'"{name}"' for name in columns)
    scan = f'SELECT rowid, {listed} FROM "{table}" WHERE rowid > ? ORDER BY rowid'
    one = f'SELECT rowid, {listed} FROM "{table}" WHERE rowid = ?'
    after = _LOWEST
    budget = _LOOKUPS_PER_TABLE
    while True:
        try:
            for row in conn.execute(scan, (after,)):
                after = int(row[0])
                yield tuple(row)
            return
        except sqlite3.DatabaseError:
            out.damaged_spots += 1
        rowid = max(after, 0) + 1  # our tables' rowids start at 1
        misses, stride = 0, 1
        while True:
            budget -= 1
            if budget < 0 or rowid > _HIGHEST:
                return
            try:
                found = conn.execute(one, (rowid,)).fetchone()
            except sqlite3.DatabaseError:
                misses += 1
                if misses > _MISSES_BEFORE_STRIDES:
                    stride = min(stride * 2, 1 << 40)
                rowid += stride
                continue
            if found is not None:
                after = rowid
                yield tuple(found)
                break
            following = _first_rowid_from(conn, table, rowid + 1)  # a gap: jump it if we can
            if following is None:
                return
            rowid = rowid + 1 if following is False else following


def _fix_row(table: str, row: dict[str, Any], out: Rebuilt) -> bool:
    """Make ``row`` readable by the stores; False to leave it out."""
    if table == "answers":
        try:
            json.loads(row["value_json"])
        except (TypeError, ValueError):
            raw = "" if row["value_json"] is None else str(row["value_json"])
            row["value_json"] = json.dumps(raw, ensure_ascii=False)
            out.notes.append(
                f"run #{row['run_id']}, step {row['step_key']!r}: the answer was not valid JSON;"
                " kept as its raw text"
            )
    elif table == "sessions":
        try:
            names = json.loads(row["participants_json"])
            if not isinstance(names, list):
                raise ValueError
        except (TypeError, ValueError):
            row["participants_json"] = "[]"
            out.notes.append(f"session #{row['id']}: the participant list was unreadable; left empty")
    elif table == "session_groups":
        try:
            json.loads(row["groups_json"])
        except (TypeError, ValueError):
            out.notes.append(
                f"session #{row['session_id']}, step {row['step_index']}: its groups were unreadable;"
                " left out"
            )
            return False
    return True


def _placeholder(new: sqlite3.Connection, table: str, parent_id: int, when: str, out: Rebuilt) -> None:
    if table == "runs":
        new.execute(
            "INSERT INTO runs (id, exercise_id, exercise_title, status, started_at, updated_at,"
            " finished_at, current_step) VALUES (?, 'recovered', ?, 'done', ?, ?, ?, 0)",
            (parent_id, f"Recovered answers of run #{parent_id}", when, when, when),
        )
        out.notes.append(f"run #{parent_id} was unreadable; its answers are kept under 'recovered'")
    else:
        new.execute(
            "INSERT INTO sessions (id, exercise_id, exercise_title, title, status, created_at,"
            " updated_at, finished_at) VALUES (?, 'recovered', ?, ?, 'finished', ?, ?, ?)",
            (parent_id, "Recovered session", f"Recovered session #{parent_id}", when, when, when),
        )
        out.notes.append(f"session #{parent_id} was unreadable; its steps and notes are kept under it")


def _copy_table(old: sqlite3.Connection, new: sqlite3.Connection, table: str, out: Rebuilt) -> None:
    wanted = _columns(new, table)
    try:
        present = set(_columns(old, table))
    except sqlite3.DatabaseError:
        out.damaged_spots += 1
        present = set()
    columns = [name for name in wanted if name in present]
    out.kept[table] = 0
    if not columns:
        return
    parent = _PARENT.get(table)
    marks = ", ".join("?" * len(columns))
    listed = ", ".join(f'"{name}"' for name in columns)
    insert = f'INSERT OR IGNORE INTO "{table}" ({listed}) VALUES ({marks})'
    for found in _scan(old, table, columns, out):
        row = dict(zip(columns, found[1:], strict=True))
        if not _fix_row(table, row, out):
            continue
        if parent is not None and row.get(_PARENT_KEY[parent]) is not None:
            parent_id = row[_PARENT_KEY[parent]]
            if new.execute(f"SELECT 1 FROM {parent} WHERE id = ?", (parent_id,)).fetchone() is None:
                when = str(row.get("updated_at") or row.get("created_at") or "1970-01-01T00:00:00+00:00")
                _placeholder(new, parent, parent_id, when, out)
        if new.execute(insert, tuple(row[name] for name in columns)).rowcount:
            out.kept[table] += 1


def _keep_sequences(old: sqlite3.Connection, new: sqlite3.Connection) -> None:
    """Never hand out again a run or session number that the damaged file used."""
    try:
        rows = old.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
    except sqlite3.DatabaseError:
        return
    for name, seq in rows:
        if name in TABLES and isinstance(seq, int):
            new.execute(
                "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?", (seq, name)
            )
            new.execute(
                "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ?"
                " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
                (name, seq, name),
            )


def rebuild(damaged: Path, target: Path) -> Rebuilt:
    """Write a fresh, current-schema store at ``target`` (an empty 0600 file) from ``damaged``.

    ``damaged`` (with its ``-wal`` next to it, if any) is only read.

    Raises:
        sqlite3.Error, OSError: ``target`` cannot be written.
    """
    out = Rebuilt()
    new = sqlite3.connect(str(target), isolation_level=None)
    try:
        new.execute("PRAGMA journal_mode = OFF")
        new.execute("BEGIN")
        for number, step in enumerate(MIGRATIONS, start=1):
            step(new)
            new.execute(f"PRAGMA user_version = {number}")
        new.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        text = _Text()
        try:
            old = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True, isolation_level=None)
        except sqlite3.Error:
            old = None
            out.damaged_spots += 1
        if old is not None:
            old.text_factory = text
            try:
                for table in TABLES:
                    _copy_table(old, new, table, out)
                _keep_sequences(old, new)
                fill_run_uuids(new)  # runs from an older file, or recovered placeholders
            finally:
                old.close()
        if text.replaced:
            out.notes.append(f"{text.replaced} text value(s) were not UTF-8; bad bytes became U+FFFD")
        new.execute("COMMIT")
        new.execute("PRAGMA journal_mode = WAL")
    finally:
        new.close()
    return out
