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

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Span, Text

from peeragogy_tui.core.collector import paused_gc
from peeragogy_tui.core.handbook.html_anchors import html_anchor_ids, html_links
from peeragogy_tui.core.handbook.slugs import unique_slugs
from peeragogy_tui.core.render.directives import DIRECTIVE_MARK, expand_directives
from peeragogy_tui.core.render.html_text import IMAGE_ROLE, html_text
from peeragogy_tui.core.render.inline import (
    FOOTNOTE_ROLE,
    add_back_link,
    alert_at,
    inline_text,
    only_html,
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
)
from peeragogy_tui.core.sanitize import strip_control

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = [
    "FOOTNOTE_ROLE",
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
]

_parser: Any = None

class _Item:
    def __init__(self, check: bool | None = None) -> None:
        self.children: list[Block] = []
        self.check = check


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
            heading = Heading(int(token.tag[1]), inline_text(tokens[index + 1].children or (), links))
            headings.append(heading)
            children().append(heading)
            index += 2
        elif kind == "inline" and not isinstance(stack[-1] if stack else None, Table):
            if token.content.startswith(DIRECTIVE_MARK):
                children().append(Directive(strip_control(token.content[1:]).strip()))
            else:
                text = inline_text(token.children or (), links)
                if text.plain.strip() or not only_html(token):  # a paragraph of bare tags (<a id="x"></a>) shows nothing
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
            found = alert_at(tokens, index, links)
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
                top.items.append((inline_text(tokens[index + 1].children or (), links), []))
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
            add_back_link(stack[-1] if stack else None, int(token.meta.get("subId", 0)) + 1, links)
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
                row.append(inline_text(tokens[index + 1].children or (), links))
                index += 1
        index += 1
    for heading, slug in zip(headings, unique_slugs([h.text.plain for h in headings])):
        heading.slug = slug
    return Document(root, links, headings, html_anchors=html_anchors)
