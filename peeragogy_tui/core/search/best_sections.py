"""The best section of each matching file, fast: what :meth:`SearchIndex.search` shows.

A long chapter is several rows (:mod:`.sections`), and a search shows each
file once, at its best-ranked section. Grouping every match by file in SQL
reads a stored column per matching row (15 ms for a common word in 5,000
chapters, three times the whole query before sections). Instead, FTS5's own
``ORDER BY rank LIMIT`` takes a few more rows than asked, with their
snippets, and duplicates are dropped here. Only when one file holds so many
of the top sections that too few files are left does it rank further (rowids
only, without snippets), map rowids to files through the ``files`` table
(a file's sections have consecutive rowids), and fetch the snippets of the
chosen sections alone.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Callable

__all__ = ["FileRanges", "best_sections"]

_EXTRA = 8
"""Rows fetched beyond ``limit`` on the first try, for sections of a file already shown."""

Row = tuple  # (rowid, chapter_id, title, path, kind, exercise_id, marked snippet, score)


def _top_sql(snippet: str) -> str:
    return (
        f"SELECT rowid, chapter_id, title, path, kind, exercise_id, {snippet}, -rank"
        " FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?"
    )


class FileRanges:
    """Which file a section's rowid belongs to, from the ``files`` table (read once per sync)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        rows = conn.execute("SELECT doc, sections, path FROM files WHERE doc IS NOT NULL ORDER BY doc").fetchall()
        self._starts = [row[0] for row in rows]
        self._ends = [row[0] + max(row[1], 1) for row in rows]
        self._paths = [row[2] for row in rows]

    def path_of(self, rowid: int) -> str | None:
        index = bisect_right(self._starts, rowid) - 1
        return self._paths[index] if index >= 0 and rowid < self._ends[index] else None


def best_sections(
    conn: sqlite3.Connection,
    expression: str,
    limit: int,
    snippet: str,
    ranges: Callable[[], FileRanges],
    check: Callable[[], None],
) -> list[Row]:
    """Up to ``limit`` rows, one per file (its best section), best first.

    ``snippet`` is the SQL of the snippet column; ``ranges`` gives the rowid
    to file map when it is needed; ``check`` raises to stop between statements.
    """
    if limit <= 0:
        return []
    want = limit + _EXTRA
    rows = conn.execute(_top_sql(snippet), (expression, want)).fetchall()
    chosen: dict[str, Row] = {}
    for row in rows:
        chosen.setdefault(row[3], row)
    if len(chosen) >= limit or len(rows) < want:
        return list(chosen.values())[:limit]
    # Many top sections from the same files: rank further, by rowid only.
    check()
    files = ranges()
    best: dict[str, tuple[int, float]] = {}
    fetch = want * 4
    while True:
        ranked = conn.execute(
            "SELECT rowid, -rank FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?", (expression, fetch)
        ).fetchall()
        for rowid, score in ranked:
            path = files.path_of(rowid)
            if path is not None:
                best.setdefault(path, (rowid, score))
        if len(best) >= limit or len(ranked) < fetch:
            break
        check()
        fetch *= 4
    picked = sorted(best.values(), key=lambda item: -item[1])[:limit]
    found: list[Row] = []
    for rowid, score in picked:
        check()
        row = conn.execute(
            f"SELECT rowid, chapter_id, title, path, kind, exercise_id, {snippet}, ? FROM docs"
            " WHERE docs MATCH ? AND rowid = ?",
            (score, expression, rowid),
        ).fetchone()
        if row is not None:
            found.append(row)
    return found
