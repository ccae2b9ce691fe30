"""Parse Markdown into a small block model with markdown-it-py.

Stray HTML (pandoc's ``<span class="citation">``) is dropped and its inner
text kept. Every text piece passes through :func:`strip_control`.

markdown-it-py is imported on the first parse, not with this module: the
chapter shown at start-up usually comes from the document cache
(:mod:`peeragogy_tui.core.render.document_cache`), and the import is a good
part of start-up.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Span, Text

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.handbook.slugs import unique_slugs

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = [
    "Block",
    "Code",
    "Document",
    "Heading",
    "ListBlock",
    "Paragraph",
    "Quote",
    "Rule",
    "Table",
    "parse_document",
]

_TAG = re.compile(r"<[^>]*>")
_parser: Any = None

_INLINE_ROLES = {
    "strong_open": "md.strong",
    "em_open": "md.em",
    "s_open": "md.strike",
    "link_open": "md.link",
}


@dataclass
class Heading:
    level: int
    text: Text
    slug: str = ""


@dataclass
class Paragraph:
    text: Text


@dataclass
class Code:
    code: str
    info: str = ""


@dataclass
class Rule:
    pass


@dataclass
class Quote:
    children: list[Block] = field(default_factory=list)


@dataclass
class ListBlock:
    ordered: bool
    start: int = 1
    items: list[list[Block]] = field(default_factory=list)


@dataclass
class Table:
    header: list[Text] = field(default_factory=list)
    rows: list[list[Text]] = field(default_factory=list)
    aligns: list[str] = field(default_factory=list)


Block = Heading | Paragraph | Code | Rule | Quote | ListBlock | Table


@dataclass
class Document:
    """A parsed chapter: its blocks, its link targets and its headings."""

    blocks: list[Block]
    links: list[str]
    """Link targets in order; ``Style.meta["link"]`` indexes into this list."""
    headings: list[Heading]


def _inline(token: Token, links: list[str]) -> Text:
    pieces: list[str] = []
    spans: list[Span] = []
    open_styles: list[tuple[int, str | Style]] = []
    offset = 0
    for child in token.children or ():
        kind = child.type
        if kind == "text" or kind == "code_inline":
            piece = strip_control(child.content)
            if kind == "code_inline":
                spans.append(Span(offset, offset + len(piece), "md.code_inline"))
            pieces.append(piece)
            offset += len(piece)
        elif kind == "softbreak":
            pieces.append(" ")
            offset += 1
        elif kind == "hardbreak":
            pieces.append("\n")
            offset += 1
        elif kind in _INLINE_ROLES:
            open_styles.append((offset, _INLINE_ROLES[kind]))
            if kind == "link_open":
                links.append(strip_control(str(child.attrs.get("href", ""))))
                open_styles.append((offset, Style(meta={"link": len(links) - 1})))
        elif kind.endswith("_close") and kind.replace("_close", "_open") in _INLINE_ROLES:
            count = 2 if kind == "link_close" else 1
            for _ in range(count):
                if open_styles:
                    start, style = open_styles.pop()
                    if offset > start:
                        spans.append(Span(start, offset, style))
        elif kind == "image":
            alt = strip_control(child.content or "")
            piece = f"[image: {alt}]" if alt else "[image]"
            spans.append(Span(offset, offset + len(piece), "md.image"))
            pieces.append(piece)
            offset += len(piece)
        elif kind == "html_inline" and child.content.lower().startswith("<br"):
            pieces.append("\n")
            offset += 1
    return Text("".join(pieces), spans=spans, end="")


class _Item:
    def __init__(self) -> None:
        self.children: list[Block] = []


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector off while building many small objects.

    Parsing and laying out a long chapter allocate hundreds of thousands of
    tokens, ``Text`` and ``Span`` objects, none of them in reference cycles.
    Each burst of allocations otherwise sets off collections that walk the
    whole heap (large in a running app): a third or more of the parse and
    layout time of a 440 KB chapter. Nothing else changes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_document(markdown: str) -> Document:
    """Parse ``markdown`` into a :class:`Document`. Never raises on odd input."""
    with paused_gc():
        return _parse_document(markdown)


def _markdown_parser() -> Any:
    global _parser
    if _parser is None:
        from markdown_it import MarkdownIt

        _parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return _parser


def _parse_document(markdown: str) -> Document:
    tokens = _markdown_parser().parse(markdown)
    links: list[str] = []
    headings: list[Heading] = []
    root: list[Block] = []
    stack: list[Quote | ListBlock | _Item | Table] = []
    row: list[Text] | None = None
    in_head = False

    def children() -> list[Block]:
        top = stack[-1] if stack else None
        return top.children if isinstance(top, (Quote, _Item)) else root

    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            heading = Heading(int(token.tag[1]), _inline(tokens[index + 1], links))
            headings.append(heading)
            children().append(heading)
            index += 2
        elif kind == "inline" and not isinstance(stack[-1] if stack else None, Table):
            children().append(Paragraph(_inline(token, links)))
        elif kind in ("fence", "code_block"):
            children().append(Code(strip_control(token.content.expandtabs(4)).rstrip("\n"), token.info.strip()))
        elif kind == "hr":
            children().append(Rule())
        elif kind == "html_block":
            import html  # markdown-it has imported it already; not needed before the first parse

            text = html.unescape(_TAG.sub("", token.content)).strip()
            if text:
                children().append(Paragraph(Text(strip_control(text), end="")))
        elif kind == "blockquote_open":
            quote = Quote()
            children().append(quote)
            stack.append(quote)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = token.attrs.get("start", 1)
            block = ListBlock(kind == "ordered_list_open", int(start) if str(start).isdigit() else 1)
            children().append(block)
            stack.append(block)
        elif kind == "list_item_open":
            stack.append(_Item())
        elif kind == "list_item_close":
            item = stack.pop()
            parent = stack[-1]
            if isinstance(item, _Item) and isinstance(parent, ListBlock):
                parent.items.append(item.children)
        elif kind in ("blockquote_close", "bullet_list_close", "ordered_list_close", "table_close"):
            if stack:
                stack.pop()
        elif kind == "table_open":
            table = Table()
            children().append(table)
            stack.append(table)
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None and stack and isinstance(stack[-1], Table):
            table = stack[-1]
            if in_head:
                table.header = row
            else:
                table.rows.append(row)
            row = None
        elif kind in ("th_open", "td_open"):
            if in_head:
                style = str(token.attrs.get("style", ""))
                stack_table = stack[-1]
                if isinstance(stack_table, Table):
                    stack_table.aligns.append(style.removeprefix("text-align:") or "left")
            if row is not None:
                row.append(_inline(tokens[index + 1], links))
                index += 1
        index += 1
    for heading, slug in zip(headings, unique_slugs([h.text.plain for h in headings])):
        heading.slug = slug
    return Document(root, links, headings)
