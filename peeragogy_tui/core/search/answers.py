"""Search your own saved answers (exercise title, prompt, answer text).

Answers stay byte-exact in the answer store; this index holds a
control-stripped copy in ``<data dir>/search/answers.sqlite3`` (0600, in the
0700 data dir). Before each search the copy is compared with the store by a
fingerprint and rebuilt when they differ, so a deleted run disappears from
the copy at the next search: the table is dropped and rebuilt with
``secure_delete`` on and the WAL truncated, so no trace of it stays in the file.

Reading every answer to make that fingerprint cost more than the search
itself (10 ms with 200 answers, 80 ms with 2,000, on every key typed), so
an :class:`AnswerSearch` remembers the fingerprint with the store files'
identity, size and times, and reads the store again only when one of them
changed. Any write to the store changes its file or its WAL; a time too
close to the present to tell two writes apart is never trusted (as git
treats "racy" files), so a deleted answer is still gone at the next search.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.search.matching import MARK_END, MARK_START, Span, snippet_spans
from peeragogy_tui.core.search.query import ParsedQuery, parse_query
from peeragogy_tui.core.search.storage import open_cache_db, search_dir

__all__ = ["ANSWERS_INDEX_NAME", "AnswerHit", "AnswerResult", "AnswerSearch", "search_answers"]

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
Signature = tuple[object, ...]
_RACY_NS = 2_000_000_000
"""A file written this recently may be written again within the same timestamp: read it to be sure."""


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


def _stored_fingerprint(conn: sqlite3.Connection) -> str | None:
    """The fingerprint of the answers the copy was made from (``None`` for a new, empty copy)."""
    stored = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    return None if stored is None else str(stored[0])


def _refresh(conn: sqlite3.Connection, rows: list[Row], fingerprint: str) -> None:
    """Make the copy again from ``rows`` (whose fingerprint is ``fingerprint``)."""
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


def _store_signature(store_path: Path) -> Signature | None:
    """The store's file and WAL as (device, inode, size, time written), or ``None`` when one is too new to trust."""
    now = time.time_ns()
    parts: list[object] = []
    for path in (store_path, Path(f"{store_path}-wal")):
        try:
            info = os.stat(path)
        except FileNotFoundError:
            parts.append(None)
            continue
        except OSError:
            return None
        if now - info.st_mtime_ns < _RACY_NS:
            return None
        parts.append((info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns))
    return tuple(parts)


class AnswerSearch:
    """Searches of the saved answers that read the store only when it changed (see the module's notes)."""

    def __init__(self, *, store_path: Path | None = None, data_dir: Path | None = None) -> None:
        self._store_path = store_path
        self._data_dir = data_dir
        self._known: tuple[Path, Signature, str, int] | None = None
        """The store, its files' signature, the fingerprint of its answers and how many there are."""
        self._lock = threading.Lock()

    def _store(self) -> Path:
        from peeragogy_tui.core.store import DB_NAME
        from peeragogy_tui.paths import data_dir as default_data_dir

        return self._store_path or (self._data_dir or default_data_dir()) / DB_NAME

    def _read(self, store: Path, signature: Signature | None) -> tuple[list[Row], str]:
        rows = _answer_rows(store)
        fingerprint = _fingerprint(rows)
        self._known = None if signature is None else (store, signature, fingerprint, len(rows))
        return rows, fingerprint

    def search(self, query: str, *, limit: int = 20) -> AnswerResult:
        """Saved answers matching ``query``, best first. Never raises on odd input.

        Raises:
            PeeragogyError: the answer store or the index cannot be opened.
        """
        parsed = parse_query(query)
        if parsed.empty:
            return AnswerResult([], parsed.note, parsed)
        with self._lock:
            store = self._store()
            signature = _store_signature(store)
            rows: list[Row] | None = None
            if signature is not None and self._known is not None and self._known[:2] == (store, signature):
                fingerprint, count = self._known[2:]
            else:
                rows, fingerprint = self._read(store, signature)
                count = len(rows)
            conn = open_cache_db(search_dir(self._data_dir) / ANSWERS_INDEX_NAME, _schema, _VERSION)
            try:
                if _stored_fingerprint(conn) != fingerprint:
                    if rows is None:  # the copy was made from other answers, or deleted: make it again
                        rows, fingerprint = self._read(store, signature)
                        count = len(rows)
                    _refresh(conn, rows, fingerprint)
                found = _matching(conn, parsed, limit)
            finally:
                conn.close()
        note = None if count else "no saved answers yet"
        return AnswerResult(found, note or parsed.note, parsed)


def _matching(conn: sqlite3.Connection, parsed: ParsedQuery, limit: int) -> list[AnswerHit]:
    found = conn.execute(
        "SELECT run_id, exercise_id, exercise_title, step_key, prompt, started_at, -rank,"
        " snippet(answers, -1, ?, ?, '…', 14) FROM answers WHERE answers MATCH ? ORDER BY rank LIMIT ?",
        (MARK_START, MARK_END, parsed.expression, max(0, limit)),
    ).fetchall()
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
    return hits


def search_answers(
    query: str,
    *,
    limit: int = 20,
    store_path: Path | None = None,
    data_dir: Path | None = None,
) -> AnswerResult:
    """Saved answers matching ``query``, best first (one search: see :class:`AnswerSearch` to search again).

    Raises:
        PeeragogyError: the answer store or the index cannot be opened.
    """
    return AnswerSearch(store_path=store_path, data_dir=data_dir).search(query, limit=limit)
