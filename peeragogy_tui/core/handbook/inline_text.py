"""Inline Markdown reduced to the text a reader sees, for titles.

Titles come from contents link text and from headings; either may hold
``**bold**``, ``` `code` ```, links and images. A title shows their text only:
an image its alt text, a link its text, and no emphasis marks or HTML tags.
Control sequences are stripped by the caller (:func:`~peeragogy_tui.core.sanitize.strip_control`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.tree import SyntaxTreeNode

__all__ = ["inline_plain_text", "markdown_inline_to_text"]


def inline_plain_text(nodes: Sequence[SyntaxTreeNode]) -> str:
    """The visible text of parsed inline nodes, whitespace collapsed."""
    parts: list[str] = []

    def visit(node: SyntaxTreeNode) -> None:
        if node.type in ("text", "code_inline"):
            parts.append(node.content)
        elif node.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif node.type == "html_inline":
            return
        else:
            for child in node.children:
                visit(child)

    for node in nodes:
        visit(node)
    return " ".join("".join(parts).split())


_IMAGE = re.compile(r"!\[((?:[^\[\]\\]|\\.)*)\]\((?:[^()\\]|\\.|\([^()]*\))*\)")
_INLINE_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\((?:[^()\\]|\\.|\([^()]*\))*\)")
_REFERENCE_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)+)\]\s?\[[^\[\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^<>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->")
_CODE = re.compile(r"(`+)(.+?)\1")
_EMPHASIS = re.compile(r"(\*\*|\*|~~)(?=\S)(.+?)(?<=\S)\1|(?<![^\W_])(__|_)(?=\S)(.+?)(?<=\S)\3(?![^\W_])")
"""``*em*``, ``**strong**``, ``~~struck~~``; ``_em_`` only at word edges (``snake_case`` stays)."""
_ATTRIBUTES = re.compile(r"\s*\{[#.:][^{}]*\}\s*$")
"""A kramdown/Pandoc attribute list at the end of a heading: ``# Title {#id .class}``."""
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def markdown_inline_to_text(text: str) -> str:
    """``"**The** [big](x.md) ![idea](i.png) `x`"`` → ``"The big idea x"``.

    For one line of Markdown (a heading's text) without a parser: the code
    spans are kept verbatim, everything else loses its syntax.
    """
    text = _ATTRIBUTES.sub("", text.replace("\x00", ""))
    kept: list[str] = []

    def keep(literal: str) -> str:
        """Set ``literal`` aside so that no later rule touches it."""
        kept.append(literal)
        return f"\x00{len(kept) - 1}\x00"

    text = _CODE.sub(lambda m: keep(m.group(2).strip() or m.group(2)), text)
    text = _ESCAPE.sub(lambda m: keep(m.group(1)), text)
    text = _IMAGE.sub(lambda m: m.group(1), text)
    for _ in range(3):  # a link may wrap an image or another bracket pair
        reduced = _REFERENCE_LINK.sub(lambda m: m.group(1), _INLINE_LINK.sub(lambda m: m.group(1), text))
        if reduced == text:
            break
        text = reduced
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    text = _TAG.sub("", text)
    for _ in range(3):  # ***both*** is two layers
        reduced = _EMPHASIS.sub(lambda m: m.group(2) or m.group(4), text)
        if reduced == text:
            break
        text = reduced
    if "&" in text:
        import html  # its entity tables are not needed before the first frame (titles come from the tree snapshot)

        text = html.unescape(text)
    text = re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], text)
    return " ".join(text.split())
