"""The links of a chapter as a reader lists them: by their text, one row per distinct target.

``f`` in the reader shows this list. A link's text is what the reader sees
(the span carrying ``Style.meta["link"]``); a target linked several times
is one row, named by its first non-empty text. The footnote links the parser
adds itself (``[1]`` and ``↩``) are not the author's links and are left out.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from rich.style import Style
from rich.text import Text

from peeragogy_tui.core.render.model import Document

__all__ = ["LinkRow", "link_rows"]

_FOOTNOTE = re.compile(r"^#fn(?:ref)?-\d+(?:-\d+)?$")


@dataclasses.dataclass(frozen=True)
class LinkRow:
    """One row of the list: the text shown, the target, and the index into ``Document.links``."""

    text: str
    target: str
    index: int


def _texts(value: Any) -> list[Text]:
    """Every ``Text`` in a block (in reading order), whatever kind of block it is."""
    if isinstance(value, Text):
        return [value]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _texts(item)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [text for item in dataclasses.fields(value) for text in _texts(getattr(value, item.name))]
    return []


def _link_text(document: Document) -> dict[int, str]:
    """``link index -> the text it first shows``."""
    found: dict[int, str] = {}
    for text in _texts(document.blocks):
        plain = text.plain
        for span in text.spans:
            style = span.style
            if isinstance(style, Style) and isinstance(style.meta.get("link"), int):
                index = style.meta["link"]
                shown = " ".join(plain[span.start : span.end].split())
                if shown and not found.get(index):
                    found[index] = shown
    return found


def link_rows(document: Document) -> list[LinkRow]:
    """The chapter's links by text, one row per distinct target, in order of first appearance."""
    texts = _link_text(document)
    rows: dict[str, LinkRow] = {}
    for index, href in enumerate(document.links):
        target = href.strip()
        if not target or _FOOTNOTE.match(target):
            continue
        text = texts.get(index, "")
        known = rows.get(target)
        if known is None:
            rows[target] = LinkRow(text or target, target, index)
        elif known.text == known.target and text:
            rows[target] = LinkRow(text, target, known.index)
    return list(rows.values())
