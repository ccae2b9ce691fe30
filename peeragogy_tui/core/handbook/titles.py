"""A chapter's title from its body: the first H1 (ATX or setext), else the first H2.

Never a deeper heading (pattern files often open with ``#### Context``), never
a heading inside a code block, and never raw Markdown: the text goes through
:func:`~peeragogy_tui.core.handbook.inline_text.markdown_inline_to_text`.
Regular expressions over the whole body find the candidates, so a long
chapter costs a few searches, not a Python loop over its lines.
"""

from __future__ import annotations

import re

from peeragogy_tui.core.handbook.inline_text import markdown_inline_to_text

__all__ = ["heading_title", "title_from_file_name"]

_ATX = {
    level: re.compile(rf"^ {{0,3}}#{{{level}}}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
    for level in (1, 2)
}
_SETEXT = {
    1: re.compile(r"^ {0,3}=+[ \t]*$", re.MULTILINE),
    2: re.compile(r"^ {0,3}-+[ \t]*$", re.MULTILINE),
}
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$", re.MULTILINE)
_NOT_PARAGRAPH = re.compile(r"^(?: {4}|\t| {0,3}(?:[>#|<]|[-*+][ \t]|\d{1,9}[.)][ \t]|$))")
"""A line that cannot be the text of a setext heading: code, quote, heading, table, HTML, list item, blank."""


def _in_fence(body: str, position: int) -> bool:
    """True when ``position`` lies inside a fenced code block."""
    opened: str | None = None
    for match in _FENCE.finditer(body, 0, position):
        marker, rest = match.group(1), match.group(2)
        if opened is None:
            opened = marker
        elif marker[0] == opened[0] and len(marker) >= len(opened) and not rest.strip():
            opened = None
    return opened is not None


def _setext_text(body: str, underline_start: int) -> str | None:
    """The paragraph just above a setext underline, or ``None`` when there is none."""
    lines: list[str] = []
    for line in reversed(body[: max(underline_start - 1, 0)].split("\n")):
        if not line.strip():
            break
        if _NOT_PARAGRAPH.match(line):
            if line.lstrip().startswith("#") and lines:
                break  # an ATX heading ends the paragraph below it
            return None  # a list item, quote or table goes on: no setext heading
        lines.append(line.strip())
    return " ".join(reversed(lines)) if lines else None


def _first(body: str, level: int) -> tuple[int, str] | None:
    """``(position, text)`` of the first heading of ``level`` outside code, or ``None``."""
    found: list[tuple[int, str]] = []
    for match in _ATX[level].finditer(body):
        if not _in_fence(body, match.start()):
            found.append((match.start(), match.group(1) or ""))
            break
    for match in _SETEXT[level].finditer(body):
        text = _setext_text(body, match.start())
        if text is not None and not _in_fence(body, match.start()):
            found.append((match.start(), text))
            break
    return min(found) if found else None


def heading_title(body: str) -> str | None:
    """The text of the first H1, else of the first H2; ``None`` when there is neither (or it is empty)."""
    if "#" not in body and "=" not in body and "-" not in body:
        return None
    for level in (1, 2):
        found = _first(body, level)
        if found is not None:
            title = markdown_inline_to_text(found[1])
            if title:
                return title
    return None


def title_from_file_name(stem: str) -> str:
    """``"my-first_notes"`` → ``"My first notes"``."""
    return stem.replace("-", " ").replace("_", " ").strip().capitalize()
