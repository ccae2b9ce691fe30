"""A translation with holes: chapters not translated yet come from the English folder.

With ``--lang es``, a chapter that has no Spanish file is still in the book:
the English one, in its place (same folder, order and part, the part under its
translated name when another chapter of that part is translated), titled
"… (en)" in the tree. Links between the two work both ways (see
:mod:`.links`): ``x.md`` from a Spanish chapter opens the English ``x.md``
when there is no Spanish one, and an English chapter's link to a translated
chapter opens the translation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from peeragogy_tui.core.handbook.chapters import Resolve, make_chapter
from peeragogy_tui.core.handbook.markdown_file import MarkdownFile
from peeragogy_tui.core.handbook.models import Chapter, TocNode

__all__ = ["FALLBACK_LANG", "fallback_chapters", "fallback_folder", "mark_fallbacks"]

FALLBACK_LANG = "en"
"""The language an untranslated chapter is shown in."""


def fallback_folder(lang_root: Path, lang: str | None, languages: list[str]) -> Path | None:
    """The English folder beside ``lang_root``, when this is another language of a handbook that has one."""
    if not languages or lang in (None, FALLBACK_LANG) or FALLBACK_LANG not in languages:
        return None
    folder = lang_root.parent / FALLBACK_LANG
    return folder if folder.is_dir() else None


def fallback_chapters(
    own: list[Chapter],
    folder: Path,
    english: list[MarkdownFile],
    resolve: Resolve,
    skip: Callable[[MarkdownFile], bool],
) -> list[Chapter]:
    """The chapters of the English ``folder`` that ``own`` (a translation) has no file for.

    ``english`` are the files read from ``folder``; those ``skip`` says yes to (the contents file) are left out.
    Each comes back with ``fallback`` set and, when a translated chapter of its part
    exists, that part's translated name.
    """
    have = {chapter.id for chapter in own}
    chapters = [make_chapter(file, folder, FALLBACK_LANG, resolve) for file in english if not skip(file)]
    by_id = {chapter.id: chapter for chapter in chapters}
    part_names: dict[str, str] = {}
    for chapter in own:
        original = by_id.get(chapter.id)
        if original is not None and original.part and chapter.part:
            part_names.setdefault(original.part, chapter.part)
    missing = [chapter for chapter in chapters if chapter.id not in have]
    for chapter in missing:
        chapter.fallback = True
        if chapter.part in part_names:
            chapter.part = part_names[chapter.part]
    return missing


def mark_fallbacks(nodes: list[TocNode]) -> None:
    """Title each fallback chapter's tree node "… (en)"."""
    for node in nodes:
        if node.chapter is not None and node.chapter.fallback:
            node.title = f"{node.title} ({FALLBACK_LANG})"
        mark_fallbacks(node.children)
