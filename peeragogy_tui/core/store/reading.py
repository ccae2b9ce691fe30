"""Bookmarks and reading progress, in the same private answers file.

A bookmark is a place (chapter, block and line) with an optional note. The
reading log keeps, per chapter, the time spent reading it and the furthest
point reached (a fraction of the chapter, 0 to 1). Both are keyed by the
handbook's key (see :mod:`peeragogy_tui.core.handbook.identity`), so they
survive a new virtualenv. Notes are stored byte-exact.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from peeragogy_tui.core.store.base import Clock, StoreBase, utc_now
from peeragogy_tui.core.store.database import open_database

__all__ = ["Bookmark", "ChapterReading", "ReadingStore", "bookmark_to_dict", "open_reading_store"]

_MAX_NOTE = 2_000


@dataclass(frozen=True)
class Bookmark:
    """One saved place in a handbook."""

    id: int
    uuid: str
    handbook: str
    chapter_id: str
    chapter_title: str
    block: int
    line: int
    note: str
    created_at: str


@dataclass(frozen=True)
class ChapterReading:
    """How much of one chapter has been read."""

    handbook: str
    chapter_id: str
    seconds: float
    furthest: float
    first_read_at: str
    last_read_at: str


def open_reading_store(path: Path | None = None, *, clock: Clock = utc_now) -> ReadingStore:
    """Open the bookmarks and reading log in the answers database (default: the data dir)."""
    if path is None:
        from peeragogy_tui.core.store.answers import default_store_path

        path = default_store_path()
    return ReadingStore(open_database(path), clock=clock)


def _bookmark(row: sqlite3.Row) -> Bookmark:
    return Bookmark(
        row["id"], row["uuid"], row["handbook"], row["chapter_id"], row["chapter_title"],
        row["block"], row["line"], row["note"], row["created_at"],
    )


class ReadingStore(StoreBase):
    """Bookmarks and the reading log. Close it when done (or use ``with``)."""

    def _now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    # -- bookmarks ---------------------------------------------------------

    def add_bookmark(
        self, handbook: str, chapter_id: str, chapter_title: str, *, block: int = 0, line: int = 0, note: str = ""
    ) -> Bookmark:
        """Save a place and return it (the note is cut at 2,000 characters)."""
        note = note[:_MAX_NOTE]
        key = str(uuid.uuid4())
        now = self._now()

        def work(conn: sqlite3.Connection) -> int:
            cursor = conn.execute(
                "INSERT INTO bookmarks (uuid, handbook, chapter_id, chapter_title, block, line, note, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key, handbook, chapter_id, chapter_title, max(block, 0), max(line, 0), note, now),
            )
            return int(cursor.lastrowid or 0)

        number = self.db.write(work)
        return Bookmark(number, key, handbook, chapter_id, chapter_title, max(block, 0), max(line, 0), note, now)

    def bookmarks(self, handbook: str | None = None) -> list[Bookmark]:
        """Bookmarks, newest first; only this handbook's when ``handbook`` is given."""
        if handbook is None:
            rows = self.db.read("SELECT * FROM bookmarks ORDER BY id DESC")
        else:
            rows = self.db.read("SELECT * FROM bookmarks WHERE handbook = ? ORDER BY id DESC", (handbook,))
        return [_bookmark(row) for row in rows]

    def delete_bookmark(self, bookmark_id: int) -> bool:
        """Remove one bookmark; ``False`` if there was none with that id."""

        def work(conn: sqlite3.Connection) -> bool:
            return conn.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,)).rowcount > 0

        return self.db.write(work)

    # -- reading log -------------------------------------------------------

    def record_reading(self, handbook: str, chapter_id: str, *, seconds: float, furthest: float) -> None:
        """Add ``seconds`` of reading to a chapter and raise its furthest point to ``furthest``."""
        seconds = max(float(seconds), 0.0)
        furthest = min(max(float(furthest), 0.0), 1.0)
        now = self._now()

        def work(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO reading_log (handbook, chapter_id, seconds, furthest, first_read_at, last_read_at)"
                " VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (handbook, chapter_id) DO UPDATE SET"
                " seconds = seconds + excluded.seconds,"
                " furthest = max(furthest, excluded.furthest),"
                " last_read_at = excluded.last_read_at",
                (handbook, chapter_id, seconds, furthest, now, now),
            )

        self.db.write(work)

    def reading(self, handbook: str) -> dict[str, ChapterReading]:
        """``chapter_id -> ChapterReading`` for one handbook."""
        rows = self.db.read("SELECT * FROM reading_log WHERE handbook = ?", (handbook,))
        return {
            row["chapter_id"]: ChapterReading(
                row["handbook"], row["chapter_id"], row["seconds"], row["furthest"],
                row["first_read_at"], row["last_read_at"],
            )
            for row in rows
        }

    # -- activity ----------------------------------------------------------

    def answer_times(self) -> list[str]:
        """When each answer (not a skip) was last saved, for the weekly activity chart."""
        return [row[0] for row in self.db.read("SELECT updated_at FROM answers WHERE value_json != 'null'")]


def bookmark_to_dict(bookmark: Bookmark) -> dict[str, object]:
    """A bookmark as plain data, for export and ``--json`` (the note byte-exact)."""
    return {
        "uuid": bookmark.uuid,
        "handbook": bookmark.handbook,
        "chapter_id": bookmark.chapter_id,
        "chapter_title": bookmark.chapter_title,
        "block": bookmark.block,
        "line": bookmark.line,
        "note": bookmark.note,
        "created_at": bookmark.created_at,
    }
