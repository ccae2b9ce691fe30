"""A chapter as plain text for screen readers and pipes (``peeragogy read --plain``).

Nothing depends on colour or on drawing characters: links keep their target
(``text <target>``), headings are plain lines, quotes and alerts are
``>``-prefixed, tables are aligned columns under a dashed header line, task
boxes read ``[x]``/``[ ]``, struck text keeps its ``~~``, and code is indented
four spaces. Lines are wrapped to ``width`` cells like the reader's.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text

from peeragogy_tui.core.render.layout import _fold, _wrap, make_console
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
)

__all__ = ["reader_text"]


class _Plain:
    def __init__(self, document: Document, console: Console) -> None:
        self.links = document.links
        self.console = console

    # ------------------------------------------------------------------ inline

    def inline(self, text: Text) -> Text:
        """``text`` with each link's target after it and ``~~`` around struck text; no styles."""
        plain = text.plain
        inserts: dict[int, list[str]] = {}
        cut: set[tuple[int, int]] = set()
        for span in text.spans:
            if span.style == "md.strike" and span.end > span.start:
                inserts.setdefault(span.start, []).append("~~")
                inserts.setdefault(span.end, []).insert(0, "~~")
            elif isinstance(span.style, Style) and span.style.meta and "link" in span.style.meta:
                index = span.style.meta["link"]
                target = self.links[index] if isinstance(index, int) and 0 <= index < len(self.links) else ""
                shown = plain[span.start : span.end]
                if target.startswith("#fnref-"):
                    cut.add((span.start, span.end))  # a footnote's back link: the notes are numbered already
                elif target.startswith("#fn-"):
                    continue  # a footnote reference: [1] says where to look
                elif target and target not in (shown, f"http://{shown}", f"mailto:{shown}"):
                    inserts.setdefault(span.end, []).append(f" <{target}>")
        if not inserts and not cut:
            return Text(plain, end="")
        pieces: list[str] = []
        for index, char in enumerate(plain):
            pieces.extend(inserts.get(index, ()))
            if not any(start <= index < end for start, end in cut):
                pieces.append(char)
        pieces.extend(inserts.get(len(plain), ()))
        return Text("".join(pieces).rstrip(" ") if cut else "".join(pieces), end="")

    def wrap(self, text: Text, width: int) -> list[str]:
        return [line.plain.rstrip() for line in _wrap(self.inline(text), max(width, 1), self.console)]

    # ------------------------------------------------------------------ blocks

    def blocks(self, children: list[Block], width: int, depth: int = 0) -> list[str]:
        lines: list[str] = []
        for index, child in enumerate(children):
            if index:
                lines.append("")
            lines.extend(self.block(child, width, depth))
        return lines

    def block(self, block: Block, width: int, depth: int) -> list[str]:
        if isinstance(block, (Paragraph, Heading)):
            return self.wrap(block.text, width)
        if isinstance(block, Code):
            folded = [piece.plain for line in block.code.split("\n") for piece in _fold(Text(line, end=""), max(width - 4, 1))]
            return [("    " + line).rstrip() if line.strip() else "" for line in folded]
        if isinstance(block, Quote):
            return _prefix(self.blocks(block.children, width - 2, depth), "> ", "> ")
        if isinstance(block, Alert):
            label = block.kind.capitalize()
            title = block.title.plain.strip()
            head = [label if title.lower() == block.kind else f"{label}: {title}"]
            return _prefix(head + self.blocks(block.children, width - 2, depth), "> ", "> ")
        if isinstance(block, ListBlock):
            return self.list(block, width, depth)
        if isinstance(block, Definitions):
            lines: list[str] = []
            for number, (term, bodies) in enumerate(block.items):
                if number:
                    lines.append("")
                lines.extend(self.wrap(term, width))
                for body in bodies:
                    lines.extend(_prefix(self.blocks(body, width - 4, depth + 1) or [""], "  : ", "    "))
            return lines
        if isinstance(block, Table):
            return self.table(block, width)
        if isinstance(block, Rule):
            return ["-" * min(width, 3)]
        if isinstance(block, Notes):
            lines = ["Notes"]
            for note in block.notes:
                lines.append("")
                lines.extend(self.footnote(note, width, len(f"[{block.notes[-1].number}] ")))
            return lines
        if isinstance(block, Footnote):
            return self.footnote(block, width, len(f"[{block.number}] "))
        if isinstance(block, Directive):
            return [line.rstrip() for line in self.wrap(Text(block.text, end=""), width)]
        return []

    def footnote(self, note: Footnote, width: int, marker: int) -> list[str]:
        body = self.blocks(note.children, width - marker, 1) or [""]
        return _prefix(body, f"[{note.number}]".ljust(marker), " " * marker)

    def list(self, block: ListBlock, width: int, depth: int) -> list[str]:
        lines: list[str] = []
        last = block.start + len(block.items) - 1
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}.".ljust(len(f"{last}.")) + " " if block.ordered else "- "
            check = block.check(number - block.start)
            if check is not None:
                marker += "[x] " if check else "[ ] "
            body: list[str] = []
            for index, child in enumerate(item):
                if index and not isinstance(child, ListBlock):
                    body.append("")
                body.extend(self.block(child, width - len(marker), depth + 1))
            lines.extend(_prefix(body or [""], marker, " " * len(marker)))
        return lines

    def table(self, block: Table, width: int) -> list[str]:
        """Columns two spaces apart, the header over a dashed line; cells wrap inside their column."""
        rows = [[self.inline(cell) for cell in row] for row in ([block.header] if block.header else []) + block.rows]
        columns = max((len(row) for row in rows), default=0)
        if columns == 0:
            return []
        natural = [1] * columns
        for row in rows:
            for index, cell in enumerate(row):
                natural[index] = max(natural[index], cell_len(cell.plain))
        available = max(width - 2 * (columns - 1), columns)
        widths = list(natural)
        while sum(widths) > available and max(widths) > 1:
            widest = widths.index(max(widths))
            widths[widest] = max(1, widths[widest] - max(1, (sum(widths) - available) // columns))
        lines: list[str] = []
        for number, row in enumerate(rows):
            cells = [
                [line.plain for line in _wrap(row[index], widths[index], self.console)] if index < len(row) else [""]
                for index in range(columns)
            ]
            for line in range(max(len(cell) for cell in cells)):
                parts = []
                for index, cell in enumerate(cells):
                    piece = cell[line] if line < len(cell) else ""
                    pad = widths[index] - cell_len(piece)
                    align = block.aligns[index] if index < len(block.aligns) else "left"
                    parts.append(" " * pad + piece if align == "right" else piece + " " * pad)
                lines.append("  ".join(parts).rstrip())
            if number == 0 and block.header:
                lines.append("  ".join("-" * w for w in widths))
        return lines


def _prefix(lines: list[str], first: str, rest: str) -> list[str]:
    return [((first if number == 0 else rest) + line).rstrip() for number, line in enumerate(lines)]


def reader_text(document: Document, width: int = 80) -> str:
    """``document`` as plain text ``width`` cells wide (see the module docstring)."""
    width = max(width, 10)
    renderer = _Plain(document, make_console(width))
    return "\n".join(renderer.blocks(document.blocks, width)) + "\n"
