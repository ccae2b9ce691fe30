"""Search your own saved answers (exercise title, prompt, answer text).

Answers stay byte-exact in the answer store; this index holds a
control-stripped copy in ``<data dir>/search/answers.sqlite3`` (0600, in the
0700 data dir). Before each search the copy is compared with the store by a
fingerprint and rebuilt when they differ, so a deleted run disappears from
the copy at the next search: the table is dropped and rebuilt with
``secure_delete`` on and the WAL truncated, so no trace of it stays in the file.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.search.matching import MARK_END, MARK_START, Span, snippet_spans
from peeragogy_tui.core.search.query import ParsedQuery, parse_query
from peeragogy_tui.core.search.storage import open_cache_db, search_dir

__all__ = ["ANSWERS_INDEX_NAME", "AnswerHit", "AnswerResult", "search_answers"]

ANSWERS_INDEX_NAME = "answers.sqlite3"
_VERSION = 1
_RANK = "bm25(2.0, 1.0, 4.0)"
"""Words you wrote count most, then the exercise's title, then the prompt."""


def _schema(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    _create_answers_table(conn)


def _create_answers_table(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE VIRTUAL TABLE answers USING fts5(
            exercise_title, prompt, answer,
            run_id UNINDEXED, exercise_id UNINDEXED, step_key UNINDEXED, started_at UNINDEXED,
            tokenize = 'unicode61 remove_diacritics 2'
        )"""
    )
    conn.execute("INSERT INTO answers (answers, rank) VALUES ('rank', ?)", (_RANK,))


@dataclass(frozen=True)
class AnswerHit:
    """One saved answer that matches."""

    run_id: int
    exercise_id: str
    exercise_title: str
    step_key: str
    prompt: str
    snippet: str
    """One line of plain text around the best match."""
    spans: tuple[Span, ...]
    score: float
    """Higher is better."""
    started_at: str = ""


@dataclass(frozen=True)
class AnswerResult:
    """Answer hits best first, and a one-line note when there was nothing to search for."""

    hits: list[AnswerHit] = field(default_factory=list)
    note: str | None = None
    query: ParsedQuery | None = None

    def __iter__(self) -> Iterator[AnswerHit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, index: int) -> AnswerHit:
        return self.hits[index]

    def __bool__(self) -> bool:
        return bool(self.hits)


Row = tuple[str, str, str, int, str, str, str]


def _answer_rows(store_path: Path) -> list[Row]:
    """``(title, prompt, answer, run, exercise, step, started)`` for every answered step."""
    if not store_path.exists():
        return []
    from peeragogy_tui.core.store import display_value, open_store

    rows: list[Row] = []
    with open_store(store_path) as store:
        runs = store.runs()
    for run in runs:
        for answer in run.answers:
            if answer.skipped:
                continue
            rows.append(
                (
                    strip_control(run.exercise_title),
                    strip_control(answer.prompt),
                    display_value(answer.value, answer.step_type, answer.scale),
                    run.id,
                    strip_control(run.exercise_id),
                    answer.step_key,
                    run.started_at,
                )
            )
    return rows


def _fingerprint(rows: list[Row]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _refresh(conn: sqlite3.Connection, rows: list[Row]) -> None:
    fingerprint = _fingerprint(rows)
    stored = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    if stored is not None and stored[0] == fingerprint:
        return
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Dropping (not deleting rows) frees every page, and secure_delete zeroes them:
        # a deleted answer leaves no copy behind in the index file.
        conn.execute("DROP TABLE answers")
        _create_answers_table(conn)
        conn.executemany(
            "INSERT INTO answers (exercise_title, prompt, answer, run_id, exercise_id, step_key, started_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('fingerprint', ?)", (fingerprint,)
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def search_answers(
    query: str,
    *,
    limit: int = 20,
    store_path: Path | None = None,
    data_dir: Path | None = None,
) -> AnswerResult:
    """Saved answers matching ``query``, best first. Never raises on odd input.

    Raises:
        PeeragogyError: the answer store or the index cannot be opened.
    """
    from peeragogy_tui.core.store import DB_NAME
    from peeragogy_tui.paths import data_dir as default_data_dir

    parsed = parse_query(query)
    if parsed.empty:
        return AnswerResult([], parsed.note, parsed)
    rows = _answer_rows(store_path or (data_dir or default_data_dir()) / DB_NAME)
    conn = open_cache_db(search_dir(data_dir) / ANSWERS_INDEX_NAME, _schema, _VERSION)
    try:
        _refresh(conn, rows)
        found = conn.execute(
            "SELECT run_id, exercise_id, exercise_title, step_key, prompt, started_at, -rank,"
            " snippet(answers, -1, ?, ?, '…', 14) FROM answers WHERE answers MATCH ? ORDER BY rank LIMIT ?",
            (MARK_START, MARK_END, parsed.expression, max(0, limit)),
        ).fetchall()
    finally:
        conn.close()
    hits = []
    for run_id, exercise_id, title, step_key, prompt, started_at, score, marked in found:
        text, spans = snippet_spans(marked or "")
        hits.append(
            AnswerHit(
                int(run_id),
                exercise_id,
                title,
                step_key,
                " ".join(prompt.split()),
                text,
                spans,
                float(score),
                started_at,
            )
        )
    note = None if rows else "no saved answers yet"
    return AnswerResult(hits, note or parsed.note, parsed)
