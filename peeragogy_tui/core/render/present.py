"""Presenter mode, the pure part: column width and spacing per zoom step, big headings, marked links.

A terminal cannot change its font size, so "bigger" on a shared screen means
fewer words per line, more space between blocks, and headings drawn as
bands: uppercase, letter-spaced, between rules. Emphasis never depends on
colour alone (NO_COLOR and colour-blind viewers see the same structure), so
links also get a visible marker. Nothing here imports textual.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Span, Text

__all__ = [
    "LINK_MARK",
    "ZOOM_DEFAULT",
    "ZOOM_MAX",
    "ZOOM_MIN",
    "block_gap",
    "clamp_zoom",
    "mark_links",
    "present_heading",
    "present_width",
    "spaced_upper",
]

ZOOM_MIN = -2
"""The smallest zoom step: the widest column, closest to normal reading."""
ZOOM_MAX = 3
"""The largest zoom step: the narrowest column and the most space between blocks."""
ZOOM_DEFAULT = 0
"""Where presenter mode starts."""

# Per zoom step: the share of the screen the text column takes, the widest it may
# get (so a very wide terminal still has short lines), and the blank lines between blocks.
_SHARE = {-2: 0.92, -1: 0.82, 0: 0.72, 1: 0.62, 2: 0.54, 3: 0.46}
_CAP = {-2: 110, -1: 96, 0: 84, 1: 72, 2: 60, 3: 50}
_GAP = {-2: 1, -1: 1, 0: 1, 1: 2, 2: 2, 3: 3}
_NARROWEST = 24

LINK_MARK = " →"
"""Appended to every link in presenter mode, so a link is marked by more than colour and underline."""


def clamp_zoom(zoom: int) -> int:
    """``zoom`` limited to ``ZOOM_MIN..ZOOM_MAX``."""
    return max(ZOOM_MIN, min(ZOOM_MAX, zoom))


def present_width(available: int, zoom: int) -> int:
    """The text column for a pane ``available`` cells wide at this zoom step (centred by the caller)."""
    zoom = clamp_zoom(zoom)
    width = min(round(available * _SHARE[zoom]), _CAP[zoom])
    return max(min(width, available - 4), min(_NARROWEST, available - 4), 8)


def block_gap(zoom: int) -> int:
    """Blank lines between top-level blocks at this zoom step."""
    return _GAP[clamp_zoom(zoom)]


def _remap(text: Text, pieces: list[str], starts: list[int]) -> Text:
    """A new Text of ``pieces`` (one per character of ``text``) keeping each span on its characters."""
    plain = "".join(pieces)
    spans = []
    for span in text.spans:
        if span.end <= span.start:
            continue
        last = span.end - 1
        spans.append(Span(starts[span.start], starts[last] + len(pieces[last]), span.style))
    return Text(plain, style=text.style, spans=spans, end="")


def spaced_upper(text: Text, *, spaced: bool = True) -> Text:
    """``text`` in capitals, with a space between letters (three between words) when ``spaced``.

    Spans (styles, link targets) stay on their characters; combining marks stay
    on their letter. Case changes that lengthen a character (ß to SS) are kept.
    """
    plain = text.plain
    pieces: list[str] = []
    starts: list[int] = []
    offset = 0
    for index, char in enumerate(plain):
        piece = char.upper()
        if spaced and index and not unicodedata.combining(char) and cell_len(char):
            piece = " " + piece
            starts.append(offset + 1)
        else:
            starts.append(offset)
        pieces.append(piece)
        offset += len(piece)
    # A span's start points past the separator, so the gap before a styled word stays plain.
    return _remap(text, pieces, starts)


def mark_links(text: Text, mark: str = LINK_MARK) -> Text:
    """``text`` with ``mark`` after each link; the mark carries the link's role and target (so it is clickable)."""
    closing = {span.end: span for span in text.spans if span.style == "md.link" and span.end > span.start}
    if not closing:
        return text
    targets = {
        (span.start, span.end): span.style
        for span in text.spans
        if isinstance(span.style, Style) and span.style.meta and "link" in span.style.meta
    }
    result = Text(end="")
    consumed = 0
    for piece in text.divide(sorted(closing)):
        result.append_text(piece)
        consumed += len(piece.plain)
        link = closing.pop(consumed, None)
        if link is not None:
            start = len(result.plain)
            result.append(mark, "md.link")
            target = targets.get((link.start, link.end))
            if target is not None:
                result.stylize(target, start, start + len(mark))
    return result


Wrap = Callable[[Text, int, Console], list[Text]]


def _filled(char: str, width: int, role: str) -> Text:
    """``width`` copies of ``char`` in ``role``, as a span: ``Text.render`` ignores the base style of a line without spans."""
    return Text(char * width, end="", spans=[Span(0, width, role)])


def _centred(line: Text, width: int, style: str | None = None) -> Text:
    """``line`` centred in ``width`` cells; with ``style`` the padding is styled too (a band)."""
    room = max(width - cell_len(line.plain), 0)
    left = room // 2
    result = Text(" " * left, end="")
    result.append_text(line)
    result.append(" " * (room - left))
    if style:
        result.spans.insert(0, Span(0, len(result.plain), style))
    return result


def _big(text: Text, width: int, console: Console, wrap: Wrap) -> list[Text]:
    """Spaced capitals if they fit on one line, else plain capitals wrapped."""
    spaced = spaced_upper(text)
    if cell_len(spaced.plain) <= width:
        return [spaced]
    return wrap(spaced_upper(text, spaced=False), width, console)


def present_heading(level: int, text: Text, width: int, console: Console, wrap: Wrap) -> list[Text]:
    """A heading drawn large: H1 as a centred band between heavy rules, H2 in spaced capitals between rules.

    Smaller headings keep their normal look (bold, wrapped), so the outline of a
    chapter still reads at a glance.
    """
    role = f"md.h{min(level, 4)}"
    text = text.copy()
    text.stylize(role)
    if level == 1:
        body = [_centred(line, width, "md.band") for line in _big(text, width - 4, console, wrap)]
        return [_filled("━", width, role), _filled(" ", width, "md.band"), *body, _filled(" ", width, "md.band"), _filled("━", width, role)]
    if level == 2:
        return [_filled("─", width, "md.rule"), *_big(text, width, console, wrap), _filled("─", width, "md.rule")]
    return wrap(text, width, console)
