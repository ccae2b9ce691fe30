"""A parsed :class:`~peeragogy_tui.core.render.blocks.Document` to JSON and back, exactly.

Used by the document cache, so that the chapter shown at start-up needs no
Markdown parser. :func:`encode` refuses (:class:`Unencodable`) anything the
parser does not produce, so :func:`decode` never has to guess; a test checks
that decoding gives back an equal document for every chapter we ship.

:func:`decode` reads data from disk, so it trusts nothing: every value is
type-checked, span styles must be the parser's roles, and text passes through
:func:`strip_control` again (a no-op for what the parser wrote).
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Span, Text

from peeragogy_tui.core.render.model import (
    ALERT_KINDS,
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
from peeragogy_tui.core.sanitize import strip_control

__all__ = ["INLINE_ROLES", "Unencodable", "decode", "encode"]

INLINE_ROLES = frozenset(
    {"md.strong", "md.em", "md.strike", "md.link", "md.code_inline", "md.image", "md.footnote_ref"}
)
"""The span styles the parser writes (besides link targets)."""
_DEPTH = 200
"""Quotes and lists nest no deeper than this in a decoded document."""


class Unencodable(ValueError):
    """The document holds something the parser never produces, so it is not cached."""


def encode(document: Document) -> dict[str, Any]:
    """``document`` as JSON-able data. Raises :class:`Unencodable`."""
    data: dict[str, Any] = {"blocks": [_encode_block(block) for block in document.blocks], "links": list(document.links)}
    if document.html_anchors:
        data["anchors"] = dict(document.html_anchors)
    if document.partial:
        data["partial"] = True
        data["share"] = document.head_share
    return data


def decode(data: Any) -> Document | None:
    """The document ``data`` encodes, or ``None`` if it is not a valid encoding."""
    try:
        if not isinstance(data, dict) or not isinstance(data.get("links"), list):
            return None
        links = [_string(link) for link in data["links"]]
        headings: list[Heading] = []
        blocks = _decode_blocks(data.get("blocks"), len(links), headings, 0)
        anchors = data.get("anchors", {})
        if not isinstance(anchors, dict) or not all(
            isinstance(name, str) and isinstance(at, int) and not isinstance(at, bool) and 0 <= at <= len(blocks)
            for name, at in anchors.items()
        ):
            return None
        html_anchors = {strip_control(name): at for name, at in anchors.items()}
        return Document(
            blocks,
            [strip_control(link) for link in links],
            headings,
            html_anchors=html_anchors,
            partial=data.get("partial") is True,
            head_share=_share(data.get("share", 1.0)),
        )
    except (_Invalid, RecursionError):
        return None


def _share(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 < value <= 1.0:
        raise _Invalid("share")
    return float(value)


def _encode_text(text: Text) -> list[Any]:
    if (text.end, text.style, text.justify, text.overflow, text.no_wrap, text.tab_size) != ("", "", None, None, None, None):
        raise Unencodable("text with attributes the parser does not set")
    spans: list[list[Any]] = []
    for start, end, style in text.spans:
        if isinstance(style, str) and style in INLINE_ROLES:
            spans.append([start, end, style])
        elif isinstance(style, Style) and style == _link_style(style.meta.get("link")):
            spans.append([start, end, style.meta["link"]])
        else:
            raise Unencodable(f"span style {style!r}")
    return [text.plain, spans]


def _link_style(index: Any) -> Style | None:
    return Style(meta={"link": index}) if isinstance(index, int) and not isinstance(index, bool) else None


def _encode_block(block: Block) -> list[Any]:
    if isinstance(block, Heading):
        return ["h", block.level, _encode_text(block.text), block.slug]
    if isinstance(block, Paragraph):
        return ["p", _encode_text(block.text)]
    if isinstance(block, Code):
        return ["code", block.code, block.info]
    if isinstance(block, Rule):
        return ["hr"]
    if isinstance(block, Quote):
        return ["quote", [_encode_block(child) for child in block.children]]
    if isinstance(block, ListBlock):
        items = [[_encode_block(child) for child in item] for item in block.items]
        if block.checks:
            return ["list", block.ordered, block.start, items, list(block.checks)]
        return ["list", block.ordered, block.start, items]
    if isinstance(block, Alert):
        return ["alert", block.kind, _encode_text(block.title), [_encode_block(child) for child in block.children]]
    if isinstance(block, Definitions):
        return [
            "dl",
            [[_encode_text(term), [[_encode_block(c) for c in body] for body in bodies]] for term, bodies in block.items],
        ]
    if isinstance(block, Notes):
        return ["notes", [_encode_block(note) for note in block.notes]]
    if isinstance(block, Footnote):
        return ["fn", block.number, [_encode_block(child) for child in block.children]]
    if isinstance(block, Directive):
        return ["directive", block.text]
    if isinstance(block, Table):
        return [
            "table",
            [_encode_text(cell) for cell in block.header],
            [[_encode_text(cell) for cell in row] for row in block.rows],
            list(block.aligns),
        ]
    raise Unencodable(f"block {type(block).__name__}")


class _Invalid(Exception):
    pass


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid
    return value


def _integer(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Invalid
    return value


def _list(value: Any, size: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (size is not None and len(value) != size):
        raise _Invalid
    return value


def _decode_text(value: Any, links: int) -> Text:
    plain, spans = _list(value, 2)
    plain = strip_control(_string(plain))
    decoded: list[Span] = []
    for span in _list(spans):
        start, end, style = _list(span, 3)
        start, end = _integer(start), _integer(end)
        if not 0 <= start <= end <= len(plain):
            raise _Invalid
        if isinstance(style, str) and style in INLINE_ROLES:
            decoded.append(Span(start, end, style))
        elif _link_style(style) is not None and 0 <= style < links:
            decoded.append(Span(start, end, Style(meta={"link": style})))
        else:
            raise _Invalid
    return Text(plain, spans=decoded, end="")


def _decode_blocks(value: Any, links: int, headings: list[Heading], depth: int) -> list[Block]:
    if depth > _DEPTH:
        raise _Invalid
    return [_decode_block(item, links, headings, depth) for item in _list(value)]


def _decode_block(value: Any, links: int, headings: list[Heading], depth: int) -> Block:
    item = _list(value)
    kind = _string(item[0]) if item else None
    if kind == "h" and len(item) == 4 and _integer(item[1]) in range(1, 7):
        heading = Heading(item[1], _decode_text(item[2], links), strip_control(_string(item[3])))
        headings.append(heading)
        return heading
    if kind == "p" and len(item) == 2:
        return Paragraph(_decode_text(item[1], links))
    if kind == "code" and len(item) == 3:
        return Code(strip_control(_string(item[1])), strip_control(_string(item[2])))
    if kind == "hr" and len(item) == 1:
        return Rule()
    if kind == "quote" and len(item) == 2:
        return Quote(_decode_blocks(item[1], links, headings, depth + 1))
    if kind == "list" and len(item) in (4, 5) and isinstance(item[1], bool) and _integer(item[2]) >= 0:
        items = [_decode_blocks(child, links, headings, depth + 1) for child in _list(item[3])]
        checks = _list(item[4], len(items)) if len(item) == 5 else []
        if not all(check is None or isinstance(check, bool) for check in checks):
            raise _Invalid
        return ListBlock(item[1], item[2], items, list(checks))
    if kind == "alert" and len(item) == 4 and item[1] in ALERT_KINDS:
        return Alert(item[1], _decode_text(item[2], links), _decode_blocks(item[3], links, headings, depth + 1))
    if kind == "dl" and len(item) == 2:
        pairs = []
        for pair in _list(item[1]):
            term, bodies = _list(pair, 2)
            pairs.append(
                (_decode_text(term, links), [_decode_blocks(body, links, headings, depth + 1) for body in _list(bodies)])
            )
        return Definitions(pairs)
    if kind == "notes" and len(item) == 2:
        notes = _decode_blocks(item[1], links, headings, depth + 1)
        if not all(isinstance(note, Footnote) for note in notes):
            raise _Invalid
        return Notes([note for note in notes if isinstance(note, Footnote)])
    if kind == "fn" and len(item) == 3 and _integer(item[1]) >= 1:
        return Footnote(item[1], _decode_blocks(item[2], links, headings, depth + 1))
    if kind == "directive" and len(item) == 2:
        return Directive(strip_control(_string(item[1])))
    if kind == "table" and len(item) == 4:
        header = [_decode_text(cell, links) for cell in _list(item[1])]
        rows = [[_decode_text(cell, links) for cell in _list(row)] for row in _list(item[2])]
        return Table(header, rows, [strip_control(_string(align)) for align in _list(item[3])])
    raise _Invalid
