"""Lay a chapter out a slice at a time: the first screenful now, the rest later.

:func:`~peeragogy_tui.core.render.layout.layout_document` lays a whole chapter
out at once. On a 5 MB chapter or a 1,000-row table that is more than a second,
and nothing can be drawn until it ends. A :class:`LayoutJob` produces exactly
the same :class:`~peeragogy_tui.core.render.layout.Layout`, but appends to it in
small pieces (a top-level block, a few table rows or code lines), so a caller
can lay out what is on screen first and the rest in slices of a few
milliseconds between frames. Lines already laid out never change as the job
goes on: only more are appended.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.text import Text

from peeragogy_tui.core.collector import paused_gc
from peeragogy_tui.core.render.blocks import Code, Document, Table
from peeragogy_tui.core.render.layout import Layout, lay_out_in_pieces, make_console

__all__ = ["LayoutJob", "layout_weight", "retired_pieces"]

_END = object()

RETIRED_LINES_PER_PIECE = 4000
"""Lines of a replaced layout freed at a time: about 2 ms here (a 5 MB chapter's 80,000 lines
freed at once took 30-65 ms, one freeze of the reader in every resize)."""


class LayoutJob:
    """An unfinished :class:`Layout` of ``document`` and the means to extend it."""

    def __init__(
        self, document: Document, width: int, console: Console | None = None, *, presenting: bool = False, gap: int = 1
    ) -> None:
        width = max(width, 10)
        self.document = document
        self.layout = Layout(width, [], {}, [])
        """What is laid out so far: a prefix of the finished layout, which only grows."""
        console = console or make_console(width)
        self._pieces = lay_out_in_pieces(document, self.layout, console, presenting=presenting, gap=max(gap, 0))
        self.done = not document.blocks
        """Every block is laid out."""

    def _step(self) -> None:
        if next(self._pieces, _END) is _END:
            self.done = True

    def advance(
        self,
        *,
        seconds: float | None = None,
        lines: int | None = None,
        block: int | None = None,
        row: int | None = None,
        anchor: str | None = None,
    ) -> bool:
        """Lay out more: until ``lines`` lines exist, block ``block`` (or row ``row`` of that
        table) or heading ``anchor`` has started (then one screenful more is up to ``lines``),
        or ``seconds`` have passed, whichever comes first; with no limit at all, to the end.

        Returns :attr:`done`.
        """
        if self.done:
            return True
        deadline = None if seconds is None else time.perf_counter() + seconds
        unbounded = seconds is None and lines is None and block is None and anchor is None
        layout = self.layout
        with paused_gc():
            while not self.done:
                if not unbounded:
                    reached = (
                        (lines is None or len(layout.lines) >= lines)
                        and (block is None or len(layout.block_lines) > block)
                        and (row is None or block is None or _row_started(layout, block, row))
                        and (anchor is None or anchor in layout.anchors)
                    )
                    if reached and (lines is not None or block is not None or anchor is not None):
                        break
                    if deadline is not None and time.perf_counter() >= deadline:
                        break
                self._step()
        return self.done

    def finish(self) -> Layout:
        """Lay out the rest and return the finished layout."""
        self.advance()
        return self.layout


def _row_started(layout: Layout, block: int, row: int) -> bool:
    """Row ``row`` of table ``block`` is laid out (or the block has ended, or is no table)."""
    rows = layout.table_rows.get(block)
    return rows is None or len(rows) > row or len(layout.block_lines) > block + 1


def layout_weight(document: Document, limit: int | None = None) -> int:
    """A cheap measure of the work to lay ``document`` out: blocks, table rows, code lines / 16.

    Counting stops once past ``limit``.
    """
    weight = len(document.blocks)
    for block in document.blocks:
        if isinstance(block, Table):
            weight += len(block.rows)
        elif isinstance(block, Code):
            weight += block.code.count("\n") // 16
        if limit is not None and weight > limit:
            break
    return weight


def retired_pieces(layout: Layout, per_piece: int = RETIRED_LINES_PER_PIECE) -> list[list[Text]]:
    """``layout``'s lines in pieces that keep them alive, so a caller can free them a piece at a time.

    When the last reference to a layout goes, every line in it is freed then and there: for a
    long chapter, tens of milliseconds in which nothing else runs. Holding the pieces instead
    and dropping one between frames spreads that out. ``layout`` itself is left untouched (a
    caller that still holds it sees every line).
    """
    lines = layout.lines
    return [lines[start : start + per_piece] for start in range(0, len(lines), max(per_piece, 1))]
