"""Parse Markdown into the block model (:mod:`.model`) with markdown-it-py and mdit-py-plugins.

Beyond CommonMark: tables, strikethrough, task lists, autolinks (GFM's bare
``https://…`` and ``www.…``), footnotes (numbered references, the notes at
the end, links both ways), definition lists, and GitHub alerts / Obsidian
callouts (``> [!NOTE]``). Raw HTML is reduced to its text (:mod:`.html_text`)
and mdBook/Jekyll directives are handled before parsing (:mod:`.directives`).
Every text piece passes through :func:`strip_control`.

markdown-it-py is imported on the first parse, not with this module: the
chapter shown at start-up usually comes from the document cache
(:mod:`peeragogy_tui.core.render.document_cache`), and the import is a good
part of start-up.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Span, Text

from peeragogy_tui.core.handbook.html_anchors import html_anchor_ids, html_links
from peeragogy_tui.core.handbook.slugs import unique_slugs
from peeragogy_tui.core.render.directives import DIRECTIVE_MARK, expand_directives
from peeragogy_tui.core.render.html_text import (
    IMAGE_ROLE,
    closes_hidden,
    html_text,
    image_alt,
    image_placeholder,
    opens_hidden,
)
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
from peeragogy_tui.core.sanitize import strip_control

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = [
    "Alert",
    "Block",
    "Code",
    "Definitions",
    "Directive",
    "Document",
    "Footnote",
    "Heading",
    "ListBlock",
    "Notes",
    "Paragraph",
    "Quote",
    "Rule",
    "Table",
    "parse_document",
    "paused_gc",
]

_parser: Any = None

_INLINE_ROLES = {
    "strong_open": "md.strong",
    "em_open": "md.em",
    "s_open": "md.strike",
    "link_open": "md.link",
}
FOOTNOTE_ROLE = "md.footnote_ref"
"""The role of a footnote reference ``[1]`` (a link to its note)."""

_ALERT = re.compile(r"\[!([A-Za-z][\w-]*)\]([+-]?)[ \t]*")
_ALERT_KINDS = {
    "note": "note", "info": "note", "todo": "note", "abstract": "note", "summary": "note", "tldr": "note",
    "example": "note", "quote": "note", "cite": "note",
    "tip": "tip", "hint": "tip", "success": "tip", "check": "tip", "done": "tip",
    "important": "important", "question": "important", "help": "important", "faq": "important",
    "warning": "warning", "attention": "warning",
    "caution": "caution", "danger": "caution", "error": "caution", "failure": "caution", "fail": "caution",
    "missing": "caution", "bug": "caution",
}  # fmt: skip
"""Obsidian's callout kinds onto GitHub's five (an unknown kind is a note, as in Obsidian)."""


class _Inline:
    """Builds one run of inline text: its pieces, its spans and the styles still open."""

    def __init__(self, links: list[str]) -> None:
        self.links = links
        self.pieces: list[str] = []
        self.spans: list[Span] = []
        self.open_styles: list[tuple[int, str | Style]] = []
        self.offset = 0

    def add(self, piece: str, role: str | None = None) -> None:
        if role and piece:
            self.spans.append(Span(self.offset, self.offset + len(piece), role))
        self.pieces.append(piece)
        self.offset += len(piece)

    def add_link(self, piece: str, href: str, role: str) -> None:
        self.links.append(href)
        start = self.offset
        self.add(piece, role)
        self.spans.append(Span(start, self.offset, Style(meta={"link": len(self.links) - 1})))

    def text(self) -> Text:
        return Text("".join(self.pieces), spans=self.spans, end="")


def _only_html(token: Token) -> bool:
    """True for an inline token made of raw HTML tags (and white space) only."""
    return all(
        child.type in ("html_inline", "softbreak") or (child.type == "text" and not child.content.strip())
        for child in token.children or ()
    )


_A_OPEN = re.compile(r"<a(?:\s|>)", re.IGNORECASE)
_A_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


def _inline(children: Sequence[Token], links: list[str]) -> Text:
    run = _Inline(links)
    anchors_open: list[bool] = []
    """One per open ``<a>``: True when it is a link (has an ``href``)."""
    hidden = 0
    """Inside an inline ``<script>``/``<style>``: nothing shows until it closes."""
    for child in children:
        kind = child.type
        if hidden:
            if kind == "html_inline" and closes_hidden(child.content):
                hidden -= 1
            continue
        if kind == "text":
            run.add(strip_control(child.content))
        elif kind == "code_inline":
            run.add(strip_control(child.content), "md.code_inline")
        elif kind == "softbreak":
            run.add(" ")
        elif kind == "hardbreak":
            run.add("\n")
        elif kind in _INLINE_ROLES:
            run.open_styles.append((run.offset, _INLINE_ROLES[kind]))
            if kind == "link_open":
                links.append(strip_control(str(child.attrs.get("href", ""))))
                run.open_styles.append((run.offset, Style(meta={"link": len(links) - 1})))
        elif kind.endswith("_close") and kind.replace("_close", "_open") in _INLINE_ROLES:
            for _ in range(2 if kind == "link_close" else 1):
                if run.open_styles:
                    start, style = run.open_styles.pop()
                    if run.offset > start:
                        run.spans.append(Span(start, run.offset, style))
        elif kind == "image":
            run.add(image_placeholder(strip_control(child.content or "")), IMAGE_ROLE)
        elif kind == "footnote_ref":
            number = int(child.meta.get("id", 0)) + 1
            run.add_link(f"[{number}]", f"#{footnote_anchor(number)}", FOOTNOTE_ROLE)
        elif kind == "html_inline":
            tag = child.content
            lower = tag[:5].lower()
            if _A_OPEN.match(tag):
                hrefs = html_links(tag)
                anchors_open.append(bool(hrefs))
                if hrefs:  # <a href="…">text</a>: a link like [text](…)
                    links.append(strip_control(hrefs[0][0]))
                    run.open_styles.append((run.offset, "md.link"))
                    run.open_styles.append((run.offset, Style(meta={"link": len(links) - 1})))
            elif _A_CLOSE.match(tag):
                if anchors_open and anchors_open.pop():
                    for _ in range(2):
                        if run.open_styles:
                            start, style = run.open_styles.pop()
                            if run.offset > start:
                                run.spans.append(Span(start, run.offset, style))
            elif lower.startswith("<br"):
                run.add("\n")
            elif lower.startswith("<img"):
                run.add(image_placeholder(strip_control(image_alt(tag))), IMAGE_ROLE)
            elif opens_hidden(tag):
                hidden += 1
    return run.text()


class _Item:
    def __init__(self, check: bool | None = None) -> None:
        self.children: list[Block] = []
        self.check = check


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


def parse_document(markdown: str, *, source: Path | None = None, root: Path | None = None) -> Document:
    """Parse ``markdown`` into a :class:`Document`. Never raises on odd input.

    ``source`` (the chapter's file) and ``root`` (the handbook folder) let
    ``{{#include file}}`` pull in files inside ``root``; without them an
    include is shown as a line saying it was not included.
    """
    with paused_gc():
        included: list[str] = []
        if "{{" in markdown or "{%" in markdown:
            markdown, included = expand_directives(markdown, source, root)
        document = _parse_document(markdown)
        document.includes = included
        return document


def _markdown_parser() -> Any:
    global _parser
    if _parser is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.deflist import deflist_plugin
        from mdit_py_plugins.footnote import footnote_plugin
        from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

        parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
        parser.options["tasklists"] = True  # markdown-it-py >= 4.1: list_item_open.meta["checked"]
        _parser = parser.use(footnote_plugin, inline=False).use(deflist_plugin).use(gfm_autolink_plugin)
    return _parser


Container = Quote | ListBlock | _Item | Table | Alert | Definitions | Notes | Footnote


def _alert(tokens: list[Token], index: int, links: list[str]) -> tuple[Alert, int] | None:
    """A blockquote at ``index`` that opens with ``[!KIND] title``: the alert and the next token index."""
    if index + 3 >= len(tokens) or tokens[index + 1].type != "paragraph_open" or tokens[index + 2].type != "inline":
        return None
    inline = tokens[index + 2]
    marker = _ALERT.match(inline.content)
    children = list(inline.children or ())
    if marker is None or not children or children[0].type != "text" or not children[0].content.startswith(marker.group(0).rstrip()):
        return None
    first = children[0].copy()
    first.content = first.content[len(marker.group(0).rstrip()) :].lstrip(" \t")
    children[0] = first
    cut = next((n for n, child in enumerate(children) if child.type in ("softbreak", "hardbreak")), len(children))
    title = _inline(children[:cut], links)
    written = marker.group(1).lower()
    kind = _ALERT_KINDS.get(written, "note")
    if not title.plain.strip():
        title = Text(written.capitalize(), end="")
    alert = Alert(kind, title)
    body = children[cut + 1 :]
    if body:
        alert.children.append(Paragraph(_inline(body, links)))
    return alert, index + 4  # past blockquote_open, paragraph_open, inline, paragraph_close


def _parse_document(markdown: str) -> Document:
    tokens = _markdown_parser().parse(markdown)
    links: list[str] = []
    headings: list[Heading] = []
    root: list[Block] = []
    stack: list[Container] = []
    row: list[Text] | None = None
    in_head = False

    def children() -> list[Block]:
        top = stack[-1] if stack else None
        return top.children if isinstance(top, (Quote, _Item, Alert, Footnote)) else root

    html_anchors: dict[str, int] = {}

    def note_anchors(source: Token | None) -> None:
        """Remember the raw HTML ids in ``source`` (an html_block, or an inline's html_inline children)."""
        if source is None:
            return
        pieces = [source.content] if source.type == "html_block" else [
            child.content for child in source.children or () if child.type == "html_inline"
        ]
        for piece in pieces:
            for name in html_anchor_ids(piece):
                html_anchors.setdefault(strip_control(name), len(root) - 1 if stack else len(root))

    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind in ("html_block", "inline"):
            note_anchors(token)
        elif kind == "heading_open" and index + 1 < len(tokens):
            note_anchors(tokens[index + 1])
        if kind == "heading_open":
            heading = Heading(int(token.tag[1]), _inline(tokens[index + 1].children or (), links))
            headings.append(heading)
            children().append(heading)
            index += 2
        elif kind == "inline" and not isinstance(stack[-1] if stack else None, Table):
            if token.content.startswith(DIRECTIVE_MARK):
                children().append(Directive(strip_control(token.content[1:]).strip()))
            else:
                text = _inline(token.children or (), links)
                if text.plain.strip() or not _only_html(token):  # a paragraph of bare tags (<a id="x"></a>) shows nothing
                    children().append(Paragraph(text))
        elif kind in ("fence", "code_block"):
            children().append(Code(strip_control(token.content.expandtabs(4)).rstrip("\n"), token.info.strip()))
        elif kind == "hr":
            children().append(Rule())
        elif kind == "html_block":
            # Its <a href> links cannot be clicked in the text (the tags are gone), but ``f`` lists them.
            links.extend(strip_control(href) for href, _ in html_links(token.content))
            text, images = html_text(token.content)
            if text:
                clean = strip_control(text)
                spans = [Span(start, end, IMAGE_ROLE) for start, end in images] if clean == text else []
                children().append(Paragraph(Text(clean, spans=spans, end="")))
        elif kind == "blockquote_open":
            found = _alert(tokens, index, links)
            block: Container = Quote() if found is None else found[0]
            children().append(block)
            stack.append(block)
            if found is not None:
                index = found[1]
                continue
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = token.attrs.get("start", 1)
            block = ListBlock(kind == "ordered_list_open", int(start) if str(start).isdigit() else 1)
            children().append(block)
            stack.append(block)
        elif kind == "list_item_open":
            checked = token.meta.get("checked") if token.meta else None
            stack.append(_Item(checked if isinstance(checked, bool) else None))
        elif kind == "list_item_close":
            item = stack.pop()
            parent = stack[-1]
            if isinstance(item, _Item) and isinstance(parent, ListBlock):
                if item.check is not None or parent.checks:
                    parent.checks.extend([None] * (len(parent.items) - len(parent.checks)))
                    parent.checks.append(item.check)
                parent.items.append(item.children)
        elif kind == "dl_open":
            definitions = Definitions()
            children().append(definitions)
            stack.append(definitions)
        elif kind == "dt_open":
            top = stack[-1] if stack else None
            if isinstance(top, Definitions) and tokens[index + 1].type == "inline":
                top.items.append((_inline(tokens[index + 1].children or (), links), []))
                index += 1
        elif kind == "dd_open":
            stack.append(_Item())
        elif kind == "dd_close":
            item = stack.pop()
            parent = stack[-1] if stack else None
            if isinstance(item, _Item) and isinstance(parent, Definitions):
                if not parent.items:
                    parent.items.append((Text("", end=""), []))
                parent.items[-1][1].append(item.children)
        elif kind == "footnote_block_open":
            notes = Notes()
            root.append(notes)
            stack.append(notes)
        elif kind == "footnote_open":
            note = Footnote(int(token.meta.get("id", 0)) + 1)
            parent = stack[-1] if stack else None
            if isinstance(parent, Notes):
                parent.notes.append(note)
            stack.append(note)
        elif kind == "footnote_anchor":
            _add_back_link(stack[-1] if stack else None, int(token.meta.get("subId", 0)) + 1, links)
        elif kind in (
            "blockquote_close", "bullet_list_close", "ordered_list_close", "table_close", "dl_close",
            "footnote_close", "footnote_block_close",
        ):  # fmt: skip
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
                row.append(_inline(tokens[index + 1].children or (), links))
                index += 1
        index += 1
    for heading, slug in zip(headings, unique_slugs([h.text.plain for h in headings])):
        heading.slug = slug
    return Document(root, links, headings, html_anchors=html_anchors)


def _add_back_link(note: Container | None, occurrence: int, links: list[str]) -> None:
    """End footnote ``note``'s last paragraph with ``↩`` (``↩2``…), a link back to that reference to it."""
    if not isinstance(note, Footnote):
        return
    last = note.children[-1] if note.children else None
    if not isinstance(last, Paragraph):
        last = Paragraph(Text("", end=""))
        note.children.append(last)
    text = last.text
    if text.plain:
        text.append(" ")
    start = len(text.plain)
    links.append(f"#{footnote_ref_anchor(note.number, occurrence)}")
    mark = "↩" if occurrence == 1 else f"↩{occurrence}"
    text.append(mark)
    text.spans.append(Span(start, start + len(mark), "md.link"))
    text.spans.append(Span(start, start + len(mark), Style(meta={"link": len(links) - 1})))
