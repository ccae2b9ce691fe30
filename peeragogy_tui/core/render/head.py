"""The head of a long chapter: shown while the whole chapter is parsed in the background.

Parsing grows with a chapter's size (about 2 s for 5 MB here), so a long chapter is
first shown from its head: the Markdown up to a block boundary some way past
:data:`HEAD_CHARS`, parsed alone in a few milliseconds. The reader lays that out
and draws it, then the full parse replaces it (see ``MainScreen``), keeping the
place. The head is cut only where the block before it has certainly ended and
the next line starts a new top-level block, so its blocks are the first blocks
of the whole chapter. Only what is defined later in the file is missing meanwhile:
a link reference definition or a footnote below the head shows as plain text
until the full document arrives.
"""

from __future__ import annotations

import re
from dataclasses import replace

from peeragogy_tui.core.render.model import Document, Heading

__all__ = ["HEAD_CHARS", "LONG_CHAPTER_CHARS", "document_head", "markdown_head"]

LONG_CHAPTER_CHARS = 128 * 1024
"""Chapters longer than this are shown from their head first."""
HEAD_CHARS = 24 * 1024
"""At least this much of a long chapter is in its head (several screenfuls)."""
_SEARCH_LIMIT = 16
"""Give up (and parse the whole chapter) if no safe cut is found within this many times ``HEAD_CHARS``."""

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_HTML_OPENERS = ("<!--", "<pre", "<script", "<style", "<textarea")
_HTML_CLOSERS = ("-->", "</pre", "</script", "</style", "</textarea")


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
    position = 0
    previous_blank = False
    limit = min(len(markdown), at_least * _SEARCH_LIMIT)
    while position < limit:
        end = markdown.find("\n", position)
        if end < 0:
            return None
        line = markdown[position:end]
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
            opened = _FENCE.match(line)
            if opened:
                fence = opened.group(1)
            elif line.lstrip().lower().startswith(_HTML_OPENERS) and not _closes_html(line):
                in_html = True
            previous_blank = blank
        position = end + 1
    return None


def _closes_html(line: str) -> bool:
    lowered = line.lower()
    return any(closer in lowered for closer in _HTML_CLOSERS)


def document_head(document: Document, blocks: int) -> Document:
    """The first ``blocks`` top-level blocks of ``document``, marked partial (for the start-up cache)."""
    if blocks >= len(document.blocks):
        return document
    kept = document.blocks[:blocks]
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
