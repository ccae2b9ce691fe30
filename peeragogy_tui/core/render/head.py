"""The head of a long chapter: shown while the whole chapter is parsed in the background.

Parsing grows with a chapter's size (about 2 s for 5 MB here), so a long chapter is
first shown from its head: the Markdown up to a block boundary some way past
:data:`HEAD_CHARS`, parsed alone in a few milliseconds. The reader lays that out
and draws it, then the full parse replaces it (see ``MainScreen``), keeping the
place. The head is cut only where the block before it has certainly ended and
the next line starts a new top-level block, so its blocks are the first blocks
of the whole chapter. The one exception is a long table (a table is one block,
and a 1,000-row one takes a second to parse): it may be cut between two rows, so
the head's last block holds the table's first rows. (Its columns may come out
narrower than the whole table's; the reader keeps the row at the top of the view
when the whole chapter takes over.) Only what is defined later in the file is missing meanwhile:
a link reference definition or a footnote below the head shows as plain text
until the full document arrives.
"""

from __future__ import annotations

import re
from dataclasses import replace

from peeragogy_tui.core.render.model import Document, Heading, Table

__all__ = ["HEAD_CHARS", "HEAD_TABLE_ROWS", "LONG_CHAPTER_CHARS", "document_head", "markdown_head"]

LONG_CHAPTER_CHARS = 128 * 1024
"""Chapters longer than this are shown from their head first."""
HEAD_CHARS = 24 * 1024
"""At least this much of a long chapter is in its head (several screenfuls)."""
HEAD_TABLE_ROWS = 100
"""A long table in the head kept by the start-up cache keeps this many rows (the reader reopens at its top)."""
_SEARCH_LIMIT = 16
"""Give up (and parse the whole chapter) if no safe cut is found within this many times ``HEAD_CHARS``."""

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_HTML_OPENERS = ("<!--", "<pre", "<script", "<style", "<textarea")
_HTML_CLOSERS = ("-->", "</pre", "</script", "</style", "</textarea")
_TABLE_DELIMITER = re.compile(r"\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*")
_NOT_A_ROW = re.compile(r"\s|[>#`~<]|(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
"""A line in a table that may start another block instead of being a row: the table is left alone there."""


def markdown_head(markdown: str, at_least: int = HEAD_CHARS, long: int = LONG_CHAPTER_CHARS) -> str | None:
    """The start of ``markdown`` up to a safe block boundary past ``at_least`` characters.

    ``None`` when the text is not longer than ``long`` (parse it whole) or when no
    safe cut turns up soon enough. A cut is safe at a blank line outside a fenced
    code block and outside raw HTML that may hold blank lines (comments, ``<pre>``,
    ``<script>``, ``<style>``, ``<textarea>``), when the next line starts at the left
    margin and is not a list item (which could continue a loose list above).
    """
    if len(markdown) <= long:
        return None
    fence: str | None = None
    in_html = False
    in_table = False  # reading the rows of a top-level table
    position = 0
    previous_blank = False
    header: str | None = None  # a line after a blank line that may be a table's header
    limit = min(len(markdown), at_least * _SEARCH_LIMIT)
    while position < limit:
        end = markdown.find("\n", position)
        if end < 0:
            return None
        line = markdown[position:end]
        if in_table:
            if "|" in line and not _NOT_A_ROW.match(line):
                if position >= at_least:
                    return markdown[:position]
                position = end + 1
                continue
            in_table = False
        if header is not None and _is_delimiter_row(line, header):
            in_table, header = True, None
            position = end + 1
            continue
        header = None
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
        elif in_html:
            in_html = not _closes_html(line)
        else:
            blank = line.strip() == ""
            if (
                previous_blank
                and not blank
                and position >= at_least
                and not line[:1].isspace()
                and not _LIST_ITEM.match(line)
            ):
                return markdown[:position]
            if previous_blank or position == 0:
                header = line if "|" in line and not _NOT_A_ROW.match(line) else None
            opened = _FENCE.match(line)
            if opened:
                fence = opened.group(1)
            elif line.lstrip().lower().startswith(_HTML_OPENERS) and not _closes_html(line):
                in_html = True
            previous_blank = blank
        position = end + 1
    return None


def _is_delimiter_row(line: str, header: str) -> bool:
    """``line`` is a table's delimiter row (``|---|:--:|``) under ``header``, with as many cells."""
    if "|" not in line or not _TABLE_DELIMITER.fullmatch(line):
        return False
    return _cells(line) == _cells(header)


def _cells(row: str) -> int:
    """How many cells a table row has (escaped pipes ``\\|`` do not split)."""
    inner = row.strip().replace("\\|", "")
    return inner.removeprefix("|").removesuffix("|").count("|") + 1


def _closes_html(line: str) -> bool:
    lowered = line.lower()
    return any(closer in lowered for closer in _HTML_CLOSERS)


def document_head(document: Document, blocks: int) -> Document:
    """The first ``blocks`` top-level blocks of ``document``, marked partial (for the start-up cache).

    As in :func:`markdown_head`, a long table ends the head, cut to its first
    :data:`HEAD_TABLE_ROWS` rows.
    """
    kept = document.blocks[:blocks]
    for index, block in enumerate(kept):
        if isinstance(block, Table) and len(block.rows) > HEAD_TABLE_ROWS:
            kept = kept[:index] + [replace(block, rows=block.rows[:HEAD_TABLE_ROWS])]
            break
    else:
        if blocks >= len(document.blocks):
            return document
    blocks = len(kept)
    inside = {id(heading) for heading in _headings(kept)}
    headings = [heading for heading in document.headings if id(heading) in inside]
    anchors = {name: at for name, at in document.html_anchors.items() if at < blocks}
    share = document.head_share * blocks / len(document.blocks)
    return replace(document, blocks=kept, headings=headings, html_anchors=anchors, partial=True, head_share=share)


def _headings(items: object) -> list[Heading]:
    """Every heading in ``items`` (blocks, lists of blocks, or blocks' children), nested ones included."""
    found: list[Heading] = []
    stack = [items]
    while stack:
        item = stack.pop()
        if isinstance(item, Heading):
            found.append(item)
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif hasattr(item, "__dataclass_fields__"):
            stack.extend(getattr(item, name) for name in item.__dataclass_fields__)  # type: ignore[attr-defined]
    return found
