"""Resolve a link found in a chapter to somewhere inside (or outside) the handbook.

Relative ``.md`` links, frontmatter permalinks (``/chapters/en/chapter1/``)
and ``#heading`` anchors all resolve to a chapter and a position. Links into
an ``exercises`` folder resolve to an exercise id. Anything with a scheme is
external and is only ever opened when the user asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from peeragogy_tui.core.handbook.markdown_file import resolve_path
from peeragogy_tui.core.handbook.models import Chapter, Handbook, normalise_permalink

__all__ = ["LinkTarget", "normalise_permalink", "resolve_link"]

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class LinkTarget:
    """Where a link goes."""

    kind: Literal["chapter", "exercise", "external", "missing"]
    chapter_id: str | None = None
    anchor: str | None = None
    exercise_id: str | None = None
    url: str | None = None


def resolve_link(handbook: Handbook, source: Chapter, href: str) -> LinkTarget:
    """Resolve ``href`` as written in ``source``."""
    href = href.strip()
    if not href:
        return LinkTarget("missing")
    if href.startswith("#"):
        return LinkTarget("chapter", source.id, unquote(href[1:]) or None)
    if _SCHEME.match(href) and not re.match(r"^[a-zA-Z]:[\\/]", href):
        return LinkTarget("external", url=href)
    path_part, _, anchor = href.partition("#")
    anchor_or_none = unquote(anchor) or None
    if path_part.startswith("/"):
        found = handbook.by_permalink.get(normalise_permalink(path_part))
        if found is None:
            found = _by_last_segment(handbook, path_part)
        if found is not None:
            return LinkTarget("chapter", found.id, anchor_or_none)
        return LinkTarget("missing", url=href)
    target = resolve_path(source.path.parent / unquote(path_part))
    for candidate in (target, target.with_name(target.name + ".md"), target.with_suffix(".md")):
        chapter = handbook.by_path.get(candidate)
        if chapter is not None:
            return LinkTarget("chapter", chapter.id, anchor_or_none)
    if "exercises" in target.parts and target.suffix in (".md", ""):
        return LinkTarget("exercise", exercise_id=target.stem)
    return LinkTarget("missing", url=href)


def _by_last_segment(handbook: Handbook, link: str) -> Chapter | None:
    last = normalise_permalink(link).rsplit("/", 1)[-1]
    return handbook.by_id.get(last)


def is_relative_file_link(href: str) -> bool:
    """True for links that point at a file in the handbook (for ``check``)."""
    return bool(href) and not href.startswith("#") and not _SCHEME.match(href)


