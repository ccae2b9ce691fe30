"""Anchors and links written in raw HTML inside Markdown.

Real handbooks mark targets with ``<a id="x"></a>``, ``<a name="x">`` (older
HTML) or ``id="x"`` on any tag, and link with ``<a href="other.md">text</a>``.
These are link targets and links just like headings and ``[text](href)``:
for following a link and for ``check``. Pass only HTML (``html_inline`` or
``html_block`` token content), so that code spans and blocks are never read.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["html_anchor_ids", "html_links"]

_VALUE = r"""\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
_PATTERNS = {
    "id": r"<[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*?)?\sid" + _VALUE,
    "name": r"<a(?:\s[^<>]*?)?\sname" + _VALUE,
    "href": r"<a(?:\s[^<>]*?)?\shref" + _VALUE,
}


@cache
def _pattern(attribute: str) -> re.Pattern[str]:
    """Compiled on first use: case-insensitive classes are slow to compile (10 ms for these three
    on the shared machine), and the parser's modules are imported at every start while a
    second start shows its first chapter from the document cache, with no HTML to read."""
    return re.compile(_PATTERNS[attribute], re.IGNORECASE)


def _values(attribute: str, source: str) -> list[tuple[str, int]]:
    import html  # its entity tables are not needed before the first parse

    found = []
    for match in _pattern(attribute).finditer(source):
        value = next(group for group in match.groups() if group is not None)
        found.append((html.unescape(value).strip(), match.start()))
    return [(value, at) for value, at in found if value]


def html_anchor_ids(source: str) -> list[str]:
    """Every ``id="…"`` (on any tag) and ``<a name="…">`` in ``source``, in order."""
    found = _values("id", source) + _values("name", source)
    return [value for value, _ in sorted(found, key=lambda item: item[1])]


def html_links(source: str) -> list[tuple[str, int]]:
    """``(href, offset)`` of every ``<a href="…">`` in ``source``."""
    return _values("href", source)
