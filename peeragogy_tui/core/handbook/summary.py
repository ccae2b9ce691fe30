"""Read a contents file (mdBook/GitBook ``SUMMARY.md``, or a README that is a list of links).

mdBook's rules, in full:

- a first heading is the book's title and is ignored;
- links in paragraphs before the first list are *prefix* chapters, and those
  after the last list are *suffix* chapters (both top level, never nested);
- other headings are *part titles*: the chapters that follow are grouped under them;
- a list item with a link is a (numbered) chapter, nested lists nest;
- ``[Title]()`` is a *draft* chapter: shown, but there is no file to open;
- ``---`` is a separator.

GitBook adds items without a link (``- **Antipatterns**``) that group the
items nested below them. Only the structure is taken; which file a link
names is decided by the ``locate`` function given to :func:`parse_summary`
(relative paths, ``.html`` names, absolute URLs of this same folder).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from peeragogy_tui.core.handbook.inline_text import inline_plain_text

if TYPE_CHECKING:
    from markdown_it.tree import SyntaxTreeNode

__all__ = ["Contents", "EntryKind", "SummaryEntry", "parse_summary", "summary_links"]

EntryKind = Literal["chapter", "part", "draft", "separator", "external"]
"""What a contents line is: a link to a file, a title grouping what follows, a
draft (``[Title]()``), a ``---`` separator, or a link that leaves the handbook."""

Locate = Callable[[str], "Path | None"]
"""``href -> local file`` (resolved), or ``None`` when the link is not a local file."""


@dataclass
class SummaryEntry:
    """One line of the contents: a link to a file, a part title, a draft or a separator."""

    title: str
    """The link text (empty when the link has none), or the part's title."""
    target: Path | None
    line: int
    children: list[SummaryEntry] = field(default_factory=list)
    kind: EntryKind = "chapter"
    href: str = ""
    """The link as written (empty for parts and separators)."""


@dataclass
class Contents:
    """A parsed contents file, and how much of it is a list of links."""

    entries: list[SummaryEntry]
    list_links: int = 0
    """Links (and drafts) in list items, at any depth."""
    list_chars: int = 0
    """Characters of text in list items."""
    prose_chars: int = 0
    """Characters of text outside lists and headings (paragraphs without links, quotes, tables, HTML, code)."""

    @property
    def is_mostly_a_list(self) -> bool:
        """Two or more list links, and more text in the list than around it."""
        return self.list_links >= 2 and self.list_chars >= self.prose_chars

    @property
    def is_only_a_list(self) -> bool:
        """Nothing but headings, lists and separators: the file is a contents page, not a chapter."""
        return self.is_mostly_a_list and self.prose_chars == 0


def _line(node: SyntaxTreeNode) -> int:
    return node.map[0] + 1 if node.map else 0


def _first_link(inline: SyntaxTreeNode) -> SyntaxTreeNode | None:
    for child in inline.children:
        if child.type == "link":
            return child
        found = _first_link(child)
        if found is not None:
            return found
    return None


def _links(inline: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    found: list[SyntaxTreeNode] = []
    for child in inline.children:
        if child.type == "link":
            found.append(child)
        else:
            found.extend(_links(child))
    return found


def _text_length(node: SyntaxTreeNode) -> int:
    if node.type in ("text", "code_inline", "code_block", "fence", "html_block", "html_inline"):
        return len(node.content.strip())
    return sum(_text_length(child) for child in node.children)


class _Parser:
    def __init__(self, locate: Locate) -> None:
        self.locate = locate
        self.contents = Contents([])

    def entry_for_link(self, link: SyntaxTreeNode, line: int) -> SummaryEntry:
        href = str(link.attrs.get("href", "")).strip()
        title = inline_plain_text(link.children)
        if not href:
            return SummaryEntry(title, None, line, kind="draft")
        target = self.locate(href)
        if target is None:
            return SummaryEntry(title or href, None, line, kind="external", href=href)
        return SummaryEntry(title, target, line, href=href)  # no text: the file's own title

    def list_items(self, node: SyntaxTreeNode) -> list[SummaryEntry]:
        entries: list[SummaryEntry] = []
        for item in node.children:
            entry: SummaryEntry | None = None
            nested: list[SummaryEntry] = []
            for block in item.children:
                if block.type in ("bullet_list", "ordered_list"):
                    nested.extend(self.list_items(block))
                elif block.type == "hr":
                    nested.append(SummaryEntry("", None, _line(block), kind="separator"))
                elif block.type == "paragraph" and entry is None:
                    inline = block.children[0]
                    self.contents.list_chars += _text_length(inline)
                    link = _first_link(inline)
                    if link is not None:
                        entry = self.entry_for_link(link, _line(block))
                        self.contents.list_links += 1
                    else:
                        title = inline_plain_text(inline.children)
                        if title:
                            entry = SummaryEntry(title, None, _line(block), kind="part")
                else:
                    self.contents.list_chars += _text_length(block)
            if entry is None:
                entries.extend(nested)  # an empty bullet: its children move up
            else:
                entry.children.extend(nested)
                entries.append(entry)
        return entries

    def parse(self, root: SyntaxTreeNode) -> Contents:
        roots = self.contents.entries
        part: SummaryEntry | None = None
        seen_anything = False
        seen_list = False
        for block in root.children:
            where = part.children if part is not None else roots
            if block.type == "heading":
                title = inline_plain_text(block.children[0].children)
                if not seen_anything:
                    seen_anything = True  # the book's title (``# Summary``): not a part
                    continue
                if title:
                    part = SummaryEntry(title, None, _line(block), kind="part")
                    roots.append(part)
            elif block.type in ("bullet_list", "ordered_list"):
                where.extend(self.list_items(block))
                seen_list = True
            elif block.type == "hr":
                where.append(SummaryEntry("", None, _line(block), kind="separator"))
            elif block.type == "paragraph":
                links = _links(block.children[0])
                if not links:
                    self.contents.prose_chars += _text_length(block)
                for link in links:
                    # Prefix and suffix chapters are never inside a part.
                    roots.append(self.entry_for_link(link, _line(block)))
                if links and seen_list:
                    part = None
            elif not (block.type == "html_block" and block.content.lstrip().startswith("<!--")):
                self.contents.prose_chars += _text_length(block)
            seen_anything = True
        return self.contents


def parse_summary(text: str, locate: Locate) -> Contents:
    """The entries of a contents file; ``locate`` turns each link into a local file (or ``None``)."""
    # Imported here, not at module import: most handbooks have no contents file.
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

    tokens = MarkdownIt("commonmark", {"html": True}).parse(text)
    return _Parser(locate).parse(SyntaxTreeNode(tokens))


def summary_links(entries: list[SummaryEntry]) -> int:
    """How many entries (at any depth) link to a file."""
    return sum((1 if e.target else 0) + summary_links(e.children) for e in entries)
