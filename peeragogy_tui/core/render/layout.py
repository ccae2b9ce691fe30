"""Wrap a parsed :class:`~blocks.Document` to a width: a list of ``Text`` lines.

:func:`layout_document` lays the whole chapter out at once (about 0.3 s per MB
of Markdown); :func:`lay_out_in_pieces` is the same loop a piece at a time, so
:class:`~peeragogy_tui.core.render.progressive.LayoutJob` can lay out the first
screen first and the rest between frames. Tables never wrap the whole row:
cells wrap inside columns that shrink to fit, but never below
:data:`MIN_COLUMN` cells; a table that still does not fit is wider than the
text, and the reader scrolls it sideways.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from rich._wrap import divide_line
from rich.cells import cell_len
from rich.console import Console
from rich.control import STRIP_CONTROL_CODES
from rich.style import Style
from rich.text import Span, Text
from rich.theme import Theme

from peeragogy_tui.core.collector import paused_gc
from peeragogy_tui.core.render.blocks import FOOTNOTE_ROLE
from peeragogy_tui.core.render.model import (
    Alert,
    Block,
    Code,
    Definitions,
    Directive,
    Document,
    Footnote,
    Heading,
    ListBlock,
    Notes,
    Paragraph,
    Quote,
    Rule,
    Table,
    footnote_anchor,
    footnote_ref_anchor,
)
from peeragogy_tui.core.render.present import mark_links, present_heading

__all__ = ["DEFAULT_ROLES", "Layout", "block_pieces", "lay_out_in_pieces", "layout_document", "make_console", "plain_text"]

DEFAULT_ROLES: dict[str, Style] = {
    "md.h1": Style(bold=True, underline=True),
    "md.h2": Style(bold=True),
    "md.h3": Style(bold=True, italic=True),
    "md.h4": Style(italic=True),
    "md.strong": Style(bold=True),
    "md.em": Style(italic=True),
    "md.strike": Style(strike=True),
    "md.link": Style(underline=True),
    "md.code_inline": Style(reverse=True),
    "md.code": Style(dim=True),
    "md.quote": Style(italic=True),
    "md.bullet": Style(bold=True),
    "md.rule": Style(dim=True),
    "md.table_header": Style(bold=True),
    "md.table_border": Style(dim=True),
    "md.image": Style(italic=True),
    "md.footnote_ref": Style(bold=True),
    "md.term": Style(bold=True),
    "md.directive": Style(dim=True, italic=True),
    "md.alert_note": Style(bold=True),
    "md.alert_tip": Style(bold=True),
    "md.alert_important": Style(bold=True),
    "md.alert_warning": Style(bold=True),
    "md.alert_caution": Style(bold=True),
    "md.match": Style(reverse=True),
    "md.band": Style(reverse=True),
}
"""Role styles for plain terminals (the CLI); the TUI derives colours from its theme."""

_BLANK = Text("", end="")


@dataclass
class Layout:
    """A chapter laid out at one width."""

    width: int
    lines: list[Text]
    anchors: dict[str, int] = field(default_factory=dict)
    """Heading slug -> line index."""
    block_lines: list[int] = field(default_factory=list)
    """Top-level block index -> its first line (to keep position across widths)."""
    wide: int = 0
    """Cells in the widest line when a table is wider than ``width`` (it scrolls sideways); else 0."""
    table_rows: dict[int, list[int]] = field(default_factory=dict)
    """Top-level table's block index -> the first line of each of its rows, the header's first
    (to keep the row at the top when a table is laid out again)."""

    def block_at(self, line: int) -> int:
        """The top-level block shown at ``line``."""
        from bisect import bisect_right

        return max(bisect_right(self.block_lines, line) - 1, 0)


def make_console(width: int, roles: dict[str, Style] | None = None) -> Console:
    """A console used only to measure and render text, never to print."""
    return Console(
        width=max(width, 1),
        file=io.StringIO(),
        theme=Theme(roles or DEFAULT_ROLES, inherit=False),
        color_system="truecolor",
        legacy_windows=False,
        force_terminal=True,
        markup=False,
        emoji=False,
        highlight=False,
    )


try:  # Rich's own test for "every character is one cell wide" (then cells == len)
    from rich.cells import _SINGLE_CELLS, _is_single_cell_widths
except ImportError:  # pragma: no cover - a Rich without it: always take Rich's path
    _SINGLE_CELLS, _is_single_cell_widths = frozenset(" "), lambda text: False

_RICH_STRIPS = re.compile("[" + "".join(map(chr, STRIP_CONTROL_CODES)) + "]")
"""What ``rich.control.strip_control_codes`` removes from text given to ``Text()``."""
_NON_SPACE = re.compile(r"\S")
_SPACE = re.compile(r"\s")
_CELL_SPACES = tuple(sorted(char for char in _SINGLE_CELLS if _SPACE.match(char)))
"""The whitespace characters (as ``\\s`` sees them) that can occur in single-cell text."""


def _break_offsets(plain: str, width: int) -> list[int]:
    """Where Rich's ``divide_line(plain, width, fold=True)`` breaks ``plain``, computed faster.

    For text whose characters are all one cell wide a line holds every word
    whose non-space part ends within ``width`` cells of the line start, so the
    next break is the start of the word holding the first non-space character
    at or after that point: a regex search and an ``rfind`` per line instead
    of Rich's measurement of every word. Anything else (wide characters, a
    word longer than the line, which Rich folds) goes to ``divide_line``.
    """
    if not _is_single_cell_widths(plain):
        return divide_line(plain, width, fold=True)
    length = len(plain)
    offsets: list[int] = []
    start = 0
    while start + width < length:
        found = _NON_SPACE.search(plain, start + width)
        if found is None:
            break  # only trailing whitespace is past the edge; Rich keeps it on this line
        at = found.start()
        word = max(plain.rfind(space, start, at) for space in _CELL_SPACES) + 1
        if word <= start or not plain[start:word].strip():
            return divide_line(plain, width, fold=True)  # the first word of the line is too long
        after = _SPACE.search(plain, at)
        if (after.start() if after else length) - word > width:
            return divide_line(plain, width, fold=True)  # a word wider than the line: folded
        offsets.append(word)
        start = word
    return offsets


def _wrap(text: Text, width: int, console: Console) -> list[Text]:
    if not text.plain:
        return [Text("", end="")]
    if "\n" not in text.plain and cell_len(text.plain) <= width:
        return [text]
    width = max(width, 1)
    if text.justify is not None or text.no_wrap or "\t" in text.plain:
        lines = list(text.wrap(console, width, overflow="fold"))
    else:
        # What ``Text.wrap(console, width, overflow="fold")`` does for such text
        # (its "default" justify is a no-op), with faster break offsets.
        lines = []
        for line in text.split(allow_blank=True):
            pieces = line.divide(_break_offsets(line.plain, width))
            for piece in pieces:
                piece.rstrip_end(width)
                piece.truncate(width, overflow="fold")
            lines.extend(pieces)
    for line in lines:
        line.end = ""
    return lines


def _fold(text: Text, width: int) -> list[Text]:
    """Cut ``text`` into pieces of at most ``width`` cells, keeping every character (spaces too)."""
    plain = text.plain
    if cell_len(plain) <= width:
        return [text]
    offsets = []
    used = 0
    for index, char in enumerate(plain):
        cells = cell_len(char)
        if used and used + cells > width:
            offsets.append(index)
            used = 0
        used += cells
    pieces = list(text.divide(offsets))
    for piece in pieces:
        piece.end = ""
    return pieces


def _prefixed(lines: list[Text], first: Text, rest: Text) -> list[Text]:
    result = []
    for number, line in enumerate(lines):
        # A fresh Text: the prefix's style must cover the prefix only, not the line.
        joined = Text(end="")
        joined.append_text(first if number == 0 else rest)
        joined.append_text(line)
        result.append(joined)
    return result


def _heading(block: Heading, width: int, console: Console) -> list[Text]:
    role = f"md.h{min(block.level, 4)}"
    text = block.text.copy()
    text.stylize(role)
    lines = _wrap(text, width, console)
    if block.level == 1:
        lines.append(Text("━" * min(width, max(cell_len(l.plain) for l in lines)), style=role, end=""))
    elif block.level == 2:
        lines.append(Text("─" * min(width, max(cell_len(l.plain) for l in lines)), style="md.rule", end=""))
    return lines


def _code(block: Code, width: int, console: Console) -> list[Text]:
    inner = max(width - 2, 1)
    lines = []
    for raw in block.code.split("\n") or [""]:
        text = Text(raw, style="md.code", end="")
        for piece in _fold(text, inner):
            pad = inner - cell_len(piece.plain)
            piece = Text.assemble(Text(" ", style="md.code"), piece, Text(" " * (pad + 1), style="md.code"))
            lines.append(piece)
    return lines


_CODE_LINES_PER_PIECE = 256
"""Source lines of a code block laid out per piece by :func:`block_pieces`."""


def _code_pieces(block: Code, width: int, console: Console) -> Iterator[list[Text]]:
    raw = block.code.split("\n")
    for start in range(0, len(raw), _CODE_LINES_PER_PIECE):
        yield _code(Code("\n".join(raw[start : start + _CODE_LINES_PER_PIECE]), block.info), width, console)


def _list(block: ListBlock, width: int, console: Console, depth: int, presenting: bool) -> list[Text]:
    lines: list[Text] = []
    marker_width = len(f"{block.start + len(block.items)}. ") if block.ordered else 2
    if block.checks:
        marker_width = marker_width + 4 if block.ordered else 4
    for number, item in enumerate(block.items, start=block.start):
        marker = f"{number}. " if block.ordered else ("•◦▪"[depth % 3] + " ")
        check = block.check(number - block.start)
        if check is not None:  # a task: [x] or [ ], as written, so it reads the same without colour
            marker = ("[x] " if check else "[ ] ") if not block.ordered else marker + ("[x] " if check else "[ ] ")
        marker = marker.ljust(marker_width)
        body: list[Text] = []
        for index, child in enumerate(item):
            if index and not isinstance(child, ListBlock):
                body.append(Text("", end=""))
            body.extend(_block(child, width - marker_width, console, depth + 1, presenting))
        if not body:
            body = [Text("", end="")]
        lines.extend(_prefixed(body, Text(marker, style="md.bullet", end=""), Text(" " * marker_width, end="")))
    return lines


def _table(block: Table, width: int, console: Console, presenting: bool = False) -> list[Text]:
    return [line for piece in _table_pieces(block, width, console, presenting) for line in piece]


_TABLE_CELLS_PER_PIECE = 64
"""About how many table cells are laid out per piece (whole rows, at least one): a piece of a
1,000 x 20 table is three rows, about 3 ms here, so a slice of background layout ends close to
its deadline (16 rows a piece overran a 20 ms slice by up to 35 ms)."""
_TABLE_CELLS_MEASURED_PER_PIECE = 2048
"""Cells measured per piece while the column widths are found (every row is measured first)."""


def _table_pieces(
    block: Table,
    width: int,
    console: Console,
    presenting: bool = False,
    row_starts: list[int] | None = None,
    first_line: int = 0,
) -> Iterator[list[Text]]:
    """The table's lines, a few rows a piece; as each row is laid out, its first line
    (``first_line`` being the table's) is appended to ``row_starts``."""
    columns = max([len(block.header)] + [len(row) for row in block.rows] or [0])
    if columns == 0:
        return
    rows = [block.header] + block.rows if block.header else list(block.rows)
    natural = block.natural_widths
    if natural is None or len(natural) != columns:
        natural = [3] * columns
        measured_per_piece = max(1, _TABLE_CELLS_MEASURED_PER_PIECE // columns)
        for row_number, row in enumerate(rows):
            if row_number % measured_per_piece == 0 and row_number:
                yield []  # nothing to show yet: a breath for a caller laying out a slice at a time
            for index, cell in enumerate(row):
                natural[index] = max(natural[index], cell_len(cell.plain))
        block.natural_widths = natural  # only once every row is measured
    widths = _column_widths(natural, max(width - (3 * columns + 1), columns))
    border = "md.table_border"
    aligns = block.aligns

    def rule(left: str, mid: str, right: str) -> Text:
        return Text(left + mid.join("─" * (w + 2) for w in widths) + right, style=border, end="")

    lines = [rule("┌", "┬", "┐")]
    emitted = 0
    rows_per_piece = max(1, _TABLE_CELLS_PER_PIECE // columns)
    for row_number, row in enumerate(rows):
        if row_number % rows_per_piece == 0 and row_number:
            yield lines
            emitted += len(lines)
            lines = []
        if row_starts is not None:
            row_starts.append(first_line + emitted + len(lines))
        cells = []
        for index in range(columns):
            cell = row[index] if index < len(row) else Text("", end="")
            if presenting:
                cell = mark_links(cell)
            if row_number == 0 and block.header:
                cell = cell.copy()
                cell.stylize("md.table_header")
            cells.append(_wrap(cell, widths[index], console))
        height = max(len(c) for c in cells)
        for line_number in range(height):
            # The line "│ cell │ cell │" assembled as one string and its spans, exactly as
            # ``Text.append`` / ``append_text`` would build it, in a fraction of the time.
            parts = ["│"]
            spans = [Span(0, 1, border)]
            offset = 1
            for index, cell_lines in enumerate(cells):
                piece = cell_lines[line_number] if line_number < len(cell_lines) else _BLANK
                piece_plain = piece.plain
                piece_length = len(piece_plain)
                pad = widths[index] - cell_len(piece_plain)
                align = aligns[index] if index < len(aligns) else "left"
                left = pad // 2 if align == "center" else pad if align == "right" else 0
                offset += left + 1
                if piece.style:
                    spans.append(Span(offset, offset + piece_length, piece.style))
                spans.extend(Span(start + offset, end + offset, style) for start, end, style in piece.spans)
                offset += piece_length + pad - left + 1
                spans.append(Span(offset, offset + 1, border))
                offset += 1
                parts += (" " * (left + 1), piece_plain, " " * (pad - left + 1), "│")
            plain = "".join(parts)
            if _RICH_STRIPS.search(plain):  # Text() would strip these; appending keeps them
                line = Text(end="")
                line.append("│", style=border)
                for index, cell_lines in enumerate(cells):
                    piece = cell_lines[line_number] if line_number < len(cell_lines) else _BLANK
                    pad = widths[index] - cell_len(piece.plain)
                    align = aligns[index] if index < len(aligns) else "left"
                    left = pad // 2 if align == "center" else pad if align == "right" else 0
                    line.append(" " * (left + 1))
                    line.append_text(piece)
                    line.append(" " * (pad - left + 1))
                    line.append("│", style=border)
            else:
                line = Text(plain, end="", spans=spans)
            lines.append(line)
        if row_number == 0 and block.header:
            lines.append(rule("├", "┼", "┤"))
    lines.append(rule("└", "┴", "┘"))
    yield lines


MIN_COLUMN = 12
"""A table column is never narrower than this (or its widest cell): a wider table scrolls sideways."""


def _column_widths(natural: list[int], available: int) -> list[int]:
    """Shrink the widest columns until the table fits ``available`` cells, none below :data:`MIN_COLUMN`.

    Cells wrap at words inside their column. If the columns cannot fit even at
    their floor, the table is wider than the text (the reader scrolls it
    sideways) rather than wrapping its cells a letter a line.
    """
    widths = list(natural)
    floors = [min(width, MIN_COLUMN) for width in natural]
    excess = sum(widths) - available
    while excess > 0:
        shrinkable = [index for index, width in enumerate(widths) if width > floors[index]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=widths.__getitem__)
        cut = min(widths[widest] - floors[widest], max(1, excess // len(shrinkable)))
        widths[widest] -= cut
        excess -= cut
    return widths


def _blocks(children: list[Block], width: int, console: Console, depth: int, presenting: bool) -> list[Text]:
    """Blocks one under another with a blank line between them (inside a quote, alert, note...)."""
    lines: list[Text] = []
    for index, child in enumerate(children):
        if index:
            lines.append(Text("", end=""))
        lines.extend(_block(child, width, console, depth, presenting))
    return lines


def _alert(block: Alert, width: int, console: Console, depth: int, presenting: bool) -> list[Text]:
    """A box: the label in its top border, the body inside; the kind is in the words, not only the colour."""
    role = f"md.alert_{block.kind}"
    inner = max(width - 4, 1)
    kind = block.kind.capitalize()
    label = block.title.copy()
    if label.plain.strip().lower() != block.kind:
        label = Text.assemble(Text(f"{kind}: ", end=""), label, end="")
    label.stylize(role)
    labels = _wrap(label, max(width - 6, 1), console)
    top = Text(end="")
    top.append("╭─ ", style=role)
    top.append_text(labels[0])
    top.append(" " + "─" * max(width - 5 - cell_len(labels[0].plain), 0) + "╮", style=role)
    lines = [top]
    side = Text("│ ", style=role, end="")
    for line in labels[1:] + _blocks(block.children, inner, console, depth, presenting):
        row = Text(end="")
        row.append_text(side)
        row.append_text(line)
        row.append(" " * max(inner - cell_len(line.plain), 0))
        row.append(" │", style=role)
        lines.append(row)
    lines.append(Text("╰" + "─" * max(width - 2, 0) + "╯", style=role, end=""))
    return lines


def _definitions(block: Definitions, width: int, console: Console, depth: int, presenting: bool) -> list[Text]:
    lines: list[Text] = []
    for number, (term, definitions) in enumerate(block.items):
        if number:
            lines.append(Text("", end=""))
        term = term.copy()
        term.stylize("md.term")
        lines.extend(_wrap(term, width, console))
        for body in definitions:
            inner = _blocks(body, width - 4, console, depth + 1, presenting) or [Text("", end="")]
            lines.extend(_prefixed(inner, Text("  : ", style="md.bullet", end=""), Text("    ", end="")))
    return lines


def _footnote(note: Footnote, width: int, console: Console, marker_width: int, presenting: bool) -> list[Text]:
    body = _blocks(note.children, width - marker_width, console, 1, presenting) or [Text("", end="")]
    marker = Text(f"[{note.number}]".ljust(marker_width), style=FOOTNOTE_ROLE, end="")
    return _prefixed(body, marker, Text(" " * marker_width, end=""))


def _notes(block: Notes, width: int, console: Console, presenting: bool, anchors: dict[str, int], first: int) -> list[Text]:
    """The footnotes under a short rule; records each note's anchor (``first`` is the block's first line)."""
    lines = [Text("─" * min(width, 24), style="md.rule", end="")]
    marker_width = len(f"[{max((n.number for n in block.notes), default=1)}] ")
    for note in block.notes:
        lines.append(Text("", end=""))
        anchors.setdefault(footnote_anchor(note.number), first + len(lines))
        lines.extend(_footnote(note, width, console, marker_width, presenting))
    return lines


def _directive(block: Directive, width: int, console: Console) -> list[Text]:
    text = "⋯ " + block.text
    return _wrap(Text(text, spans=[Span(0, len(text), "md.directive")], end=""), width, console)


def _block(block: Block, width: int, console: Console, depth: int = 0, presenting: bool = False) -> list[Text]:
    if isinstance(block, Paragraph):
        return _wrap(mark_links(block.text) if presenting else block.text, width, console)
    if isinstance(block, Heading):
        if presenting:
            return present_heading(block.level, block.text, width, console, _wrap)
        return _heading(block, width, console)
    if isinstance(block, Code):
        return _code(block, width, console)
    if isinstance(block, ListBlock):
        return _list(block, width, console, depth, presenting)
    if isinstance(block, Quote):
        inner = _blocks(block.children, width - 2, console, depth, presenting)
        inner = [line.copy() for line in inner]  # never restyle the parsed document's own Text
        for line in inner:
            line.stylize("md.quote")
        bar = Text("▌ ", style="md.rule", end="")
        return _prefixed(inner, bar, bar)
    if isinstance(block, Table):
        return _table(block, width, console, presenting)
    if isinstance(block, Rule):
        return [Text("─" * width, style="md.rule", end="")]
    if isinstance(block, Alert):
        return _alert(block, width, console, depth, presenting)
    if isinstance(block, Definitions):
        return _definitions(block, width, console, depth, presenting)
    if isinstance(block, Directive):
        return _directive(block, width, console)
    if isinstance(block, Notes):
        return _notes(block, width, console, presenting, {}, 0)
    if isinstance(block, Footnote):
        return _footnote(block, width, console, len(f"[{block.number}] "), presenting)
    return []


def _footnote_refs(lines: list[Text], first: int, links: list[str], anchors: dict[str, int], seen: dict[int, int]) -> None:
    """Anchor ``fnref-N`` (``fnref-N-2``…) at the lines from ``first`` showing a reference to footnote N.

    References are met in source order, which is the order of their back links; ``seen`` counts them.
    """
    for number, line in enumerate(lines[first:], start=first):
        refs = {span.start for span in line.spans if span.style == FOOTNOTE_ROLE}
        if not refs:
            continue
        for span in sorted(line.spans, key=lambda span: span.start):
            if span.start in refs and isinstance(span.style, Style) and span.style.meta:
                link = span.style.meta.get("link")
                target = links[link] if isinstance(link, int) and 0 <= link < len(links) else ""
                if target.startswith("#fn-") and target[4:].isdigit():
                    note = int(target[4:])
                    seen[note] = seen.get(note, 0) + 1
                    anchors.setdefault(footnote_ref_anchor(note, seen[note]), number)


def block_pieces(block: Block, width: int, console: Console, presenting: bool = False) -> Iterator[list[Text]]:
    """The lines of top-level ``block`` in pieces small enough to lay out between frames.

    Tables come a few rows at a time and code blocks a few hundred lines at a
    time; every other block is one piece. Joined, the pieces are exactly what
    :func:`layout_document` lays out for the block.
    """
    if isinstance(block, Table):
        yield from _table_pieces(block, width, console, presenting)
    elif isinstance(block, Code):
        yield from _code_pieces(block, width, console)
    else:
        yield _block(block, width, console, 0, presenting)


def layout_document(
    document: Document, width: int, console: Console | None = None, *, presenting: bool = False, gap: int = 1
) -> Layout:
    """Lay ``document`` out at ``width`` cells, ``gap`` blank lines between top-level blocks.

    ``presenting`` draws it for a shared screen (:mod:`.present`): H1 and H2 as
    large banded headings, and every link followed by a visible marker.
    """
    with paused_gc():
        return _layout_document(document, width, console, presenting, max(gap, 0))


def _layout_document(document: Document, width: int, console: Console | None, presenting: bool, gap: int) -> Layout:
    width = max(width, 10)
    layout = Layout(width, [], {}, [])
    for _ in lay_out_in_pieces(document, layout, console or make_console(width), presenting=presenting, gap=gap):
        pass
    return layout


def lay_out_in_pieces(
    document: Document, layout: Layout, console: Console, *, presenting: bool = False, gap: int = 1
) -> Iterator[None]:
    """Append ``document``'s lines (and anchors, block starts) to ``layout``, yielding after each piece.

    The one layout loop: :func:`layout_document` runs it to the end, and
    :class:`~peeragogy_tui.core.render.progressive.LayoutJob` a few pieces at a
    time. Lines already appended never change.
    """
    width = layout.width
    lines, anchors, block_lines = layout.lines, layout.anchors, layout.block_lines
    has_notes = any(isinstance(block, Notes) for block in document.blocks)
    seen: dict[int, int] = {}
    html_anchors: dict[int, list[str]] = {}
    for name, block_index in document.html_anchors.items():
        html_anchors.setdefault(min(block_index, len(document.blocks) - 1), []).append(name)
    for index, block in enumerate(document.blocks):
        if index:
            lines.extend([Text("", end="") for _ in range(gap)] if gap != 1 else [Text("", end="")])
        block_lines.append(len(lines))
        if isinstance(block, Heading):
            anchors.setdefault(block.slug, len(lines))
        for name in html_anchors.get(index, ()):
            anchors.setdefault(name, len(lines))
        if isinstance(block, Notes):
            lines.extend(_notes(block, width, console, presenting, anchors, len(lines)))
            yield
            continue
        if isinstance(block, Table):
            row_starts: list[int] = []
            layout.table_rows[index] = row_starts
            pieces = _table_pieces(block, width, console, presenting, row_starts, len(lines))
        else:
            pieces = block_pieces(block, width, console, presenting)
        for piece in pieces:
            first = len(lines)
            lines.extend(piece)
            if isinstance(block, Table) and piece and cell_len(piece[0].plain) > width:
                layout.wide = max(layout.wide, cell_len(piece[0].plain))  # every line of a table is as wide
            if has_notes:
                _footnote_refs(lines, first, document.links, anchors, seen)
            yield


def plain_text(document: Document, width: int = 80) -> str:
    """The chapter as plain text: no styles, no control sequences."""
    laid_out = layout_document(document, width, make_console(width))
    return "\n".join(line.plain.rstrip() for line in laid_out.lines) + "\n"
