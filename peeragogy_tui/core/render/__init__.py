"""Markdown to terminal lines, without Textual.

``blocks`` parses Markdown once into width-independent blocks whose inline
text is Rich ``Text`` carrying *role names* (``md.link``, ``md.strong``...)
rather than colours; ``layout`` wraps those blocks to a width, resolving the
roles through a Rich theme supplied by the caller (the TUI derives it from the
app theme, the CLI uses :data:`layout.DEFAULT_ROLES`). Untrusted text is
never parsed as markup and has control sequences stripped.
"""

from __future__ import annotations

from peeragogy_tui.core.render.blocks import Document, parse_document
from peeragogy_tui.core.render.layout import DEFAULT_ROLES, Layout, layout_document, plain_text

__all__ = ["DEFAULT_ROLES", "Document", "Layout", "layout_document", "parse_document", "plain_text"]
