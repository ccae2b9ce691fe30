"""The block model a chapter is parsed into: width-independent, inline text as Rich ``Text`` with role names.

:mod:`.blocks` builds it, :mod:`.layout` wraps it to a width, :mod:`.codec`
stores it. Nothing here parses or draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text

__all__ = [
    "ALERT_KINDS",
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
    "footnote_anchor",
    "footnote_ref_anchor",
]

ALERT_KINDS = ("note", "tip", "important", "warning", "caution")
"""GitHub's five alert kinds; Obsidian's other callout kinds are mapped onto these (see :mod:`.blocks`)."""


def footnote_anchor(number: int) -> str:
    """The anchor of footnote ``number``'s note at the end of the chapter."""
    return f"fn-{number}"


def footnote_ref_anchor(number: int, occurrence: int = 1) -> str:
    """The anchor of the ``occurrence``-th reference to footnote ``number`` (where a back link of the note goes)."""
    return f"fnref-{number}" if occurrence <= 1 else f"fnref-{number}-{occurrence}"


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
    checks: list[bool | None] = field(default_factory=list)
    """Per item: ``True``/``False`` for a task list item (``- [x]`` / ``- [ ]``), ``None`` otherwise.

    Empty when no item is a task (the common case, and documents cached before task lists).
    """

    def check(self, index: int) -> bool | None:
        """Item ``index``'s task state."""
        return self.checks[index] if index < len(self.checks) else None


@dataclass
class Table:
    header: list[Text] = field(default_factory=list)
    rows: list[list[Text]] = field(default_factory=list)
    aligns: list[str] = field(default_factory=list)
    natural_widths: list[int] | None = field(default=None, init=False, compare=False, repr=False)
    """Each column's widest cell, kept by the first layout: it does not depend on the width, and
    measuring every cell again took a resize's first 50 ms on a 1,000 x 20 table. Not copied by
    ``replace`` (a head's cut table measures its own rows) nor kept in the document cache."""


@dataclass
class Alert:
    """A GitHub alert or Obsidian callout (``> [!NOTE]``): drawn as a box labelled with ``title``."""

    kind: str
    """One of :data:`ALERT_KINDS`."""
    title: Text
    children: list[Block] = field(default_factory=list)


@dataclass
class Definitions:
    """A definition list: each term with its definitions (each a list of blocks)."""

    items: list[tuple[Text, list[list[Block]]]] = field(default_factory=list)


@dataclass
class Footnote:
    """One note: ``number`` is what its references show, ``[1]``."""

    number: int
    children: list[Block] = field(default_factory=list)


@dataclass
class Notes:
    """The chapter's footnotes, gathered at its end (where markdown-it puts them)."""

    notes: list[Footnote] = field(default_factory=list)


@dataclass
class Directive:
    """A preprocessor line we do not run (``{{#rustdoc_include …}}``, ``{% … %}``), or an include that failed."""

    text: str
    """What the reader sees, one line: the directive and, for a failed include, why."""


Block = Heading | Paragraph | Code | Rule | Quote | ListBlock | Table | Alert | Definitions | Notes | Footnote | Directive


@dataclass
class Document:
    """A parsed chapter: its blocks, its link targets and its headings."""

    blocks: list[Block]
    links: list[str]
    """Link targets in order; ``Style.meta["link"]`` indexes into this list."""
    headings: list[Heading]
    includes: list[str] = field(default_factory=list)
    """Files pulled in by ``{{#include}}`` (absolute paths): the document is stale when one of them changes."""
    html_anchors: dict[str, int] = field(default_factory=dict)
    """Raw HTML anchors (``<a id>``, ``<a name>``, ``id=`` on any tag) -> the top-level block they are in
    (or, for an anchor alone in an HTML block, the block after it): link targets like heading slugs."""
    partial: bool = False
    """Only the head of a long chapter (see :mod:`.head`): the rest is still being parsed."""
    head_share: float = 1.0
    """For a partial document, about how much of the whole chapter it holds (0 to 1)."""
