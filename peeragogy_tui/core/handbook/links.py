"""Resolve a link found in a chapter to somewhere inside (or outside) the handbook.

Relative links (``foo.md``, mdBook's ``foo.html`` and ``dir/index.html``,
``dir/``), frontmatter permalinks (``/chapters/en/chapter1/``), ``#heading``
anchors, and absolute URLs of this same folder (a GitHub/GitLab file URL, or
the site's own permalink URL) all resolve to a chapter and a position. Links
into an ``exercises`` folder resolve to an exercise id. A relative link that
leaves the handbook folder (``../std/...`` beside an mdBook book) is
``outside``; one into another language's folder is ``missing`` (it is not
a chapter of this one). In a translation, ``x.md`` opens the English ``x.md``
when ``x`` is not translated, and an English chapter's link opens the
translation when there is one. Anything else with a scheme is external and is only ever opened
when the user asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from peeragogy_tui.core.handbook.hrefs import SCHEME, file_candidates, split_href
from peeragogy_tui.core.handbook.markdown_file import resolve_path
from peeragogy_tui.core.handbook.models import Chapter, Handbook, normalise_permalink

__all__ = ["LinkTarget", "is_relative_file_link", "normalise_permalink", "resolve_link"]

_DRIVE = re.compile(r"^[a-zA-Z]:[\\/]")


@dataclass(frozen=True)
class LinkTarget:
    """Where a link goes."""

    kind: Literal["chapter", "exercise", "external", "outside", "missing"]
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
    path_part, anchor = split_href(href)
    if SCHEME.match(href) and not _DRIVE.match(href):
        local = _local_url(handbook, href)
        if local is not None:
            return LinkTarget(local.kind, local.chapter_id, anchor, url=local.url)
        return LinkTarget("external", url=href)
    if path_part.startswith("/"):
        found = handbook.by_permalink.get(normalise_permalink(path_part))
        if found is None:
            found = _by_last_segment(handbook, path_part)
        if found is not None:
            return LinkTarget("chapter", found.id, anchor)
        return LinkTarget("missing", url=href)
    unquoted = unquote(path_part)
    target = resolve_path(source.path.parent / unquoted)
    for place in (target, *_translated(handbook, target)):
        for candidate in file_candidates(place, folder=unquoted.endswith("/")):
            chapter = handbook.by_path.get(candidate)
            if chapter is not None:
                return LinkTarget("chapter", chapter.id, anchor)
    if "exercises" in target.parts and target.suffix in (".md", ""):
        return LinkTarget("exercise", exercise_id=target.stem)
    top = handbook.root.parent if handbook.languages else handbook.root  # other languages are not outside
    if not target.is_relative_to(resolve_path(top)):
        return LinkTarget("outside", url=href)
    return LinkTarget("missing", url=href)


def _translated(handbook: Handbook, target: Path) -> list[Path]:
    """In a translation, the same file in the other folder: English for an untranslated chapter, and back."""
    if handbook.fallback_root is None:
        return []
    own, english = resolve_path(handbook.root), resolve_path(handbook.fallback_root)
    if target.is_relative_to(own):
        return [english / target.relative_to(own)]
    if target.is_relative_to(english):
        return [own / target.relative_to(english)]
    return []


def _local_url(handbook: Handbook, url: str) -> LinkTarget | None:
    """The chapter an absolute URL of this folder names (``missing`` if its file is not here), else ``None``."""
    if handbook.folder_urls is not None:
        local = handbook.folder_urls.locate(url)
        if local is not None:
            chapter = handbook.by_path.get(local)
            return LinkTarget("chapter", chapter.id) if chapter else LinkTarget("missing", url=url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.path.strip("/"):
        return None
    if handbook.site_host is not None and parts.hostname != handbook.site_host:
        return None
    chapter = handbook.by_permalink.get(normalise_permalink(parts.path))
    return LinkTarget("chapter", chapter.id) if chapter else None


def _by_last_segment(handbook: Handbook, link: str) -> Chapter | None:
    last = normalise_permalink(link).rsplit("/", 1)[-1]
    return handbook.by_id.get(last)


def is_relative_file_link(href: str) -> bool:
    """True for links that point at a file in the handbook (for ``check``)."""
    return bool(href) and not href.startswith("#") and not SCHEME.match(href)
