"""Inline Markdown to Rich ``Text`` with role names, and the two block shapes built from inline runs.

:func:`inline_text` turns an inline token's children into one ``Text``: emphasis,
code, links (their targets appended to the document's list), images and
``<img>`` as ``[image: alt]``, footnote references ``[1]``, ``<a href>`` links,
and no ``<script>``/``<style>`` contents. :func:`alert_at` recognises a GitHub
alert / Obsidian callout at a blockquote; :func:`add_back_link` ends a
footnote with its way back. Used by :mod:`.blocks`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Span, Text

from peeragogy_tui.core.handbook.html_anchors import html_links
from peeragogy_tui.core.render.html_text import IMAGE_ROLE, closes_hidden, image_alt, image_placeholder, opens_hidden
from peeragogy_tui.core.render.model import Alert, Footnote, Paragraph, footnote_anchor, footnote_ref_anchor
from peeragogy_tui.core.sanitize import strip_control

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = ["FOOTNOTE_ROLE", "add_back_link", "alert_at", "inline_text", "only_html"]

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


def only_html(token: Token) -> bool:
    """True for an inline token made of raw HTML tags (and white space) only."""
    return all(
        child.type in ("html_inline", "softbreak") or (child.type == "text" and not child.content.strip())
        for child in token.children or ()
    )


_A_OPEN = re.compile(r"<a(?:\s|>)", re.IGNORECASE)
_A_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


def inline_text(children: Sequence[Token], links: list[str]) -> Text:
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



def alert_at(tokens: list[Token], index: int, links: list[str]) -> tuple[Alert, int] | None:
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
    title = inline_text(children[:cut], links)
    written = marker.group(1).lower()
    kind = _ALERT_KINDS.get(written, "note")
    if not title.plain.strip():
        title = Text(written.capitalize(), end="")
    alert = Alert(kind, title)
    body = children[cut + 1 :]
    if body:
        alert.children.append(Paragraph(inline_text(body, links)))
    return alert, index + 4  # past blockquote_open, paragraph_open, inline, paragraph_close


def add_back_link(note: object, occurrence: int, links: list[str]) -> None:
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
    text.spans.append(Span(start, start + len(mark), FOOTNOTE_ROLE))
    text.spans.append(Span(start, start + len(mark), Style(meta={"link": len(links) - 1})))
