"""The answers file's schema: ordered migrations, our application id, the tables we expect.

The schema version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` is the
ordered list of steps that bring a file up to date (only ever append).
``PRAGMA application_id`` marks the file as ours. :data:`TABLES` lists every
table in the order a salvage copies them (parents before children).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable

__all__ = ["APPLICATION_ID", "MIGRATIONS", "TABLES", "fill_run_uuids"]

APPLICATION_ID = 0x50454752
"""``PRAGMA application_id`` of our files ("PEGR")."""
TABLES = (
    "runs",
    "answers",
    "drafts",
    "run_claims",
    "sessions",
    "session_steps",
    "session_groups",
    "session_entries",
    "session_web",
    "session_members",
    "session_votes",
    "bookmarks",
    "reading_log",
)
"""Every table of the current schema, parents before children."""


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            exercise_id TEXT NOT NULL,
            exercise_title TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('new', 'in_progress', 'done')),
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            finished_at TEXT,
            current_step INTEGER NOT NULL DEFAULT 0
        )"""
    )
    conn.execute("CREATE INDEX runs_by_exercise ON runs (exercise_id, started_at, id)")
    conn.execute(
        """CREATE TABLE answers (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step_key TEXT NOT NULL,
            step_index INTEGER NOT NULL,
            step_type TEXT NOT NULL,
            prompt TEXT NOT NULL,
            value_json TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (run_id, step_key)
        )"""
    )
    conn.execute(
        """CREATE TABLE drafts (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step_key TEXT NOT NULL,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (run_id, step_key)
        )"""
    )


def _v2(conn: sqlite3.Connection) -> None:
    """Facilitated group sessions (see :mod:`peeragogy_tui.core.sessions`).

    The agenda is copied into ``session_steps`` when a session is created, so
    a session can be resumed or reported without the exercise file. Each step
    keeps its countdown as wall-clock fields (started, paused at, paused
    seconds) so that a reopened session recomputes the remaining time.
    ``revision`` goes up on every change; other processes poll it.
    """
    conn.execute(
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            exercise_id TEXT NOT NULL,
            exercise_title TEXT NOT NULL,
            title TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            finished_at TEXT,
            participants_json TEXT NOT NULL DEFAULT '[]',
            group_size INTEGER CHECK (group_size IS NULL OR group_size >= 2),
            current_index INTEGER NOT NULL DEFAULT 0,
            revision INTEGER NOT NULL DEFAULT 0,
            facilitator_notes TEXT,
            seed INTEGER NOT NULL DEFAULT 0
        )"""
    )
    conn.execute("CREATE INDEX sessions_by_date ON sessions (created_at, id)")
    conn.execute(
        """CREATE TABLE session_steps (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            step_index INTEGER NOT NULL,
            step_key TEXT NOT NULL,
            step_type TEXT NOT NULL,
            prompt TEXT NOT NULL,
            hint TEXT,
            facilitator TEXT,
            regroup INTEGER NOT NULL DEFAULT 0,
            planned_seconds INTEGER NOT NULL DEFAULT 0,
            adjust_seconds INTEGER NOT NULL DEFAULT 0,
            timer_started_at TEXT,
            paused_at TEXT,
            paused_seconds REAL NOT NULL DEFAULT 0,
            started_at TEXT,
            ended_at TEXT,
            opened_at TEXT,
            active_seconds REAL NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (session_id, step_index)
        )"""
    )
    conn.execute(
        """CREATE TABLE session_groups (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            step_index INTEGER NOT NULL,
            groups_json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (session_id, step_index)
        )"""
    )
    conn.execute(
        """CREATE TABLE session_entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            step_key TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('note', 'question', 'action')),
            text TEXT NOT NULL,
            participant TEXT,
            group_name TEXT,
            owner TEXT,
            private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX session_entries_by_session ON session_entries (session_id, id)")


def _v3(conn: sqlite3.Connection) -> None:
    """Bookmarks and reading progress, keyed by the handbook's identity (not its path)."""
    conn.execute(
        """CREATE TABLE bookmarks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uuid TEXT NOT NULL UNIQUE,
            handbook TEXT NOT NULL,
            chapter_id TEXT NOT NULL,
            chapter_title TEXT NOT NULL,
            block INTEGER NOT NULL DEFAULT 0,
            line INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX bookmarks_by_handbook ON bookmarks (handbook, id)")
    conn.execute(
        """CREATE TABLE reading_log (
            handbook TEXT NOT NULL,
            chapter_id TEXT NOT NULL,
            seconds REAL NOT NULL DEFAULT 0,
            furthest REAL NOT NULL DEFAULT 0 CHECK (furthest BETWEEN 0 AND 1),
            first_read_at TEXT NOT NULL,
            last_read_at TEXT NOT NULL,
            PRIMARY KEY (handbook, chapter_id)
        )"""
    )


def fill_run_uuids(conn: sqlite3.Connection) -> None:
    """Give every run without one a random uuid (a migrated or rebuilt file)."""
    for (run_id,) in conn.execute("SELECT id FROM runs WHERE uuid IS NULL").fetchall():
        conn.execute("UPDATE runs SET uuid = ? WHERE id = ?", (str(uuid.uuid4()), run_id))


def _v4(conn: sqlite3.Connection) -> None:
    """Run claims (see :mod:`.claims`) and a stable ``uuid`` per run (so an import never duplicates).

    Existing runs get a fresh random uuid each.
    """
    conn.execute(
        """CREATE TABLE run_claims (
            run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
            owner TEXT NOT NULL,
            pid INTEGER NOT NULL,
            host TEXT NOT NULL,
            lease_until REAL NOT NULL
        )"""
    )
    conn.execute("ALTER TABLE runs ADD COLUMN uuid TEXT")
    fill_run_uuids(conn)
    conn.execute("CREATE UNIQUE INDEX runs_by_uuid ON runs (uuid)")


def _v5(conn: sqlite3.Connection) -> None:
    """Browser participants of a session (see :mod:`peeragogy_tui.core.sessions.participation`).

    ``session_web`` holds the join code and the key that signs participants'
    cookies (so a restarted server still knows everyone); ``session_members``
    who joined (a removed member keeps their entries but not their cookie);
    ``session_votes`` one +1 per member and entry.
    """
    conn.execute(
        """CREATE TABLE session_web (
            session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
            join_code TEXT NOT NULL,
            cookie_key TEXT NOT NULL,
            port INTEGER,
            lan INTEGER NOT NULL DEFAULT 0 CHECK (lan IN (0, 1)),
            created_at TEXT NOT NULL,
            rotated_at TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE session_members (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            joined_at TEXT NOT NULL,
            removed_at TEXT,
            UNIQUE (session_id, name)
        )"""
    )
    conn.execute(
        """CREATE TABLE session_votes (
            entry_id INTEGER NOT NULL REFERENCES session_entries (id) ON DELETE CASCADE,
            member_id INTEGER NOT NULL REFERENCES session_members (id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            PRIMARY KEY (entry_id, member_id)
        )"""
    )


def _v6(conn: sqlite3.Connection) -> None:
    """A scale answer keeps its scale (bounds and end labels), so it reads "4 of 5 (label)" anywhere."""
    conn.execute("ALTER TABLE answers ADD COLUMN scale_json TEXT")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4, _v5, _v6]
"""Schema steps in order; after step ``n`` (1-based) ``user_version`` is ``n``. Only ever append."""
