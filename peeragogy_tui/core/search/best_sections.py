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
A first try takes a few more rows than asked; only when one file holds so
many of them that too few files are left does a second query read further
down the ranking, as far as needed (every match is scored once in either).
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Callable, Iterable

from peeragogy_tui.core.search.sync import RANK_WEIGHTS

__all__ = ["FileRanges", "best_sections"]

_EXTRA = 8
"""Rows fetched beyond ``limit`` on the first try, for sections of a file already shown."""
_RANKED = (
    f"SELECT rowid, -bm25(docs, {', '.join(map(str, RANK_WEIGHTS))}) AS score"
    " FROM docs WHERE docs MATCH ? ORDER BY score DESC"
)
"""Every matching section, best first (FTS5's ``rank``, computed and sorted by SQLite)."""

Ranked = tuple[int, float]
"""``(rowid, score)`` of one section; a higher score is better."""


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


def _one_per_file(ranked: Iterable[Ranked], files: FileRanges, limit: int) -> list[Ranked]:
    """The first (best) section of each file in ``ranked``, up to ``limit`` files."""
    chosen: dict[object, Ranked] = {}
    for rowid, score in ranked:
        path = files.path_of(rowid)
        chosen.setdefault(rowid if path is None else path, (rowid, score))
        if len(chosen) >= limit:
            break
    return list(chosen.values())


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
    ranked = conn.execute(f"{_RANKED} LIMIT ?", (expression, want)).fetchall()
    check()
    picked = _one_per_file(ranked, ranges(), limit)
    if len(picked) >= limit or len(ranked) < want:
        return picked
    # Many top sections from the same files: read further down the ranking, as far as needed.
    cursor = conn.execute(_RANKED, (expression,))
    try:
        return _one_per_file(cursor, ranges(), limit)
    finally:
        cursor.close()
