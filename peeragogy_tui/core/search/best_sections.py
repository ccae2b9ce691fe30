"""The best section of each matching file, fast: what :meth:`SearchIndex.search` shows.

A long chapter is several rows (:mod:`.sections`), and a search shows each
file once, at its best-ranked section. The ranking query reads only rowids
and scores: no stored column (each would load the section's whole row) and
no snippet (made afterwards for the chosen sections alone, see
:mod:`.snippets`). Rowids map to files through the ``files`` table (a
file's sections have consecutive rowids, :class:`FileRanges`).

The scores are ``bm25`` with the table's weights, ordered by SQLite itself
(``ORDER BY bm25(...)``): the same order as ``ORDER BY rank``, which runs
a second, nested statement inside FTS5 and measured about a third slower.
A first try takes a few more rows than asked. Only when one file holds so
many of them that too few files are left (a big chapter: hundreds of
sections that all match) does a second query read further down the
ranking, and it leaves out the rows of the files already chosen: SQLite
tests the rowid before it computes the score, so those sections are not
scored twice, and the files still missing come first in it.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Callable, Iterable

from peeragogy_tui.core.search.sync import RANK_WEIGHTS

__all__ = ["FileRanges", "best_sections"]

_EXTRA = 8
"""Rows fetched beyond ``limit`` on the first try, for sections of a file already shown."""
_LEFT_OUT = 64
"""Files whose sections the second query leaves out, at most: the ones with the most sections."""
_SCORED = f"SELECT rowid, -bm25(docs, {', '.join(map(str, RANK_WEIGHTS))}) AS score FROM docs WHERE docs MATCH ?"
_BEST_FIRST = " ORDER BY score DESC"
"""Every matching section, best first (FTS5's ``rank``, computed and sorted by SQLite)."""

Ranked = tuple[int, float]
"""``(rowid, score)`` of one section; a higher score is better."""
Rows = tuple[int, int]
"""``(first, past the last)`` rowid of a file's sections."""


class FileRanges:
    """Which file a section's rowid belongs to, from the ``files`` table (read once per sync)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        rows = conn.execute("SELECT doc, sections FROM files WHERE doc IS NOT NULL ORDER BY doc").fetchall()
        self._starts = [row[0] for row in rows]
        self._ends = [row[0] + max(row[1], 1) for row in rows]

    def rows_of(self, rowid: int) -> Rows:
        """The rowids of the file that holds section ``rowid`` (just that one when no file claims it)."""
        index = bisect_right(self._starts, rowid) - 1
        if index >= 0 and rowid < self._ends[index]:
            return self._starts[index], self._ends[index]
        return rowid, rowid + 1


def _one_per_file(ranked: Iterable[Ranked], files: FileRanges, limit: int, chosen: dict[Rows, Ranked]) -> bool:
    """Add the first (best) section of each new file in ``ranked`` to ``chosen``; True once it holds ``limit``."""
    for rowid, score in ranked:
        chosen.setdefault(files.rows_of(rowid), (rowid, score))
        if len(chosen) >= limit:
            return True
    return False


def _without(chosen: Iterable[Rows]) -> tuple[str, list[int]]:
    """A condition (and its values) that leaves out the rows of the biggest files in ``chosen``.

    At most :data:`_LEFT_OUT` files (SQLite limits how deep a condition may nest);
    the rows of any other chosen file are read again and skipped, as they were before.
    """
    ranges = sorted(chosen, key=lambda rows: rows[0] - rows[1])[:_LEFT_OUT]
    condition = " AND ".join("rowid NOT BETWEEN ? AND ?" for _ in ranges)
    return f" AND {condition}", [value for first, past in ranges for value in (first, past - 1)]


def best_sections(
    conn: sqlite3.Connection,
    expression: str,
    limit: int,
    ranges: Callable[[], FileRanges],
    check: Callable[[], None],
) -> list[Ranked]:
    """``(rowid, score)`` of up to ``limit`` sections, one per file (its best), best first.

    ``ranges`` gives the rowid to file map; ``check`` raises to stop between statements.
    """
    if limit <= 0:
        return []
    want = limit + _EXTRA
    ranked = conn.execute(f"{_SCORED}{_BEST_FIRST} LIMIT ?", (expression, want)).fetchall()
    check()
    files = ranges()
    chosen: dict[Rows, Ranked] = {}
    if _one_per_file(ranked, files, limit, chosen) or len(ranked) < want:
        return list(chosen.values())
    # Many top sections from the same files: the rest of the ranking, without those files' sections.
    # Every row left scores at most the first try's last one, so these files come after the chosen.
    condition, values = _without(chosen)
    cursor = conn.execute(f"{_SCORED}{condition}{_BEST_FIRST}", (expression, *values))
    try:
        _one_per_file(cursor, files, limit, chosen)
    finally:
        cursor.close()
    return list(chosen.values())
