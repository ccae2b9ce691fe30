"""Where the reader should go in a chapter that may not be laid out yet.

A saved position, a link to a heading or a search result names a place in a
chapter; while the chapter is laid out progressively that place may not
exist yet. :func:`place_line` says which line it is as soon as it can be
known, and ``None`` until then.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from peeragogy_tui.core.handbook.slugs import slugify
from peeragogy_tui.core.render.blocks import Document, Table
from peeragogy_tui.core.render.layout import Layout

__all__ = ["Place", "blocks_above", "has_heading", "heading_line", "place_line", "row_place"]


@dataclass(frozen=True)
class Place:
    """A heading, else a line, else a top-level block (the first one given wins)."""

    anchor: str | None = None
    line: int | None = None
    block: int | None = None
    row: int | None = None
    """With ``block``, a table: this row of it (the header is row 0)."""


def row_place(layout: Layout, line: int) -> Place | None:
    """The table row shown at ``line`` as a place, or ``None`` when ``line`` is not in a table.

    A table's rows wrap differently at another width (or with the columns of its
    whole, not only its first rows), so the row keeps the place, not the line.
    """
    block = layout.block_at(line)
    rows = layout.table_rows.get(block)
    if not rows or line < rows[0]:
        return None
    return Place(block=block, row=bisect_right(rows, line) - 1)


def heading_line(layout: Layout, anchor: str) -> int | None:
    """The line of the top-level heading with slug ``anchor`` (or its slug), if laid out."""
    line = layout.anchors.get(anchor)
    return line if line is not None else layout.anchors.get(slugify(anchor))


def has_heading(document: Document, anchor: str) -> bool:
    """The document has a heading with this slug (or whose slug this text makes), or a raw HTML anchor of this id."""
    slugs = {heading.slug for heading in document.headings}
    return anchor in slugs or slugify(anchor) in slugs or anchor in document.html_anchors


def place_line(place: Place, layout: Layout, document: Document, done: bool) -> int | None:
    """The line of ``place`` in ``layout`` (a prefix of the finished layout unless ``done``).

    ``None`` while the place may still come; a heading that never comes falls
    back to the line, then the block, then the top, as when it does not exist.
    """
    if place.anchor is not None:
        line = heading_line(layout, place.anchor)
        if line is not None:
            return line
        if not done and (document.partial or has_heading(document, place.anchor)):
            return None  # it is further on, or may be: the head of a long chapter has not all its headings
    if place.line is not None:
        return place.line if done or place.line < len(layout.lines) else None
    if place.block is not None:
        if place.block < len(layout.block_lines):
            return _row_line(place, layout, done)
        if not done:
            return None
        return layout.block_lines[-1] if layout.block_lines else 0
    return 0 if place.anchor is not None else None


def blocks_above(layout: Layout, document: Document, line: int) -> float:
    """How many top-level blocks are above ``line``, with the part of a table above it.

    The measure of progress while a chapter is still being laid out (lines are
    not all counted yet): a 1,000-row table is one block, and its row 500 is half of it.
    """
    block = layout.block_at(line)
    place = row_place(layout, line)
    table = document.blocks[block] if block < len(document.blocks) else None
    if place is None or place.row is None or not isinstance(table, Table):
        return float(block)
    rows = len(table.rows) + (1 if table.header else 0)
    return block + min(place.row / max(rows, 1), 1.0)


def _row_line(place: Place, layout: Layout, done: bool) -> int | None:
    """The line of ``place.block`` (laid out, at least its start), or of its row ``place.row``."""
    start = layout.block_lines[max(place.block or 0, 0)]
    rows = layout.table_rows.get(place.block or 0)
    if place.row is None or rows is None:
        return start
    if place.row < len(rows):
        return rows[place.row]
    if not done and place.block == len(layout.block_lines) - 1:
        return None  # the table is still being laid out (or only its first rows are here)
    return rows[-1] if rows else start
