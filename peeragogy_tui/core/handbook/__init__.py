"""The handbook domain: how a folder of Markdown files becomes a book.

- :mod:`.models`: ``Chapter``, ``TocNode``, ``Handbook`` (imported by every other module here);
- :mod:`.markdown_file`: read one file and its frontmatter safely, or say what is wrong;
- :mod:`.frontmatter_cache`: parsed frontmatter by exact block text;
- :mod:`.languages`: ``root`` or ``root/<lang>``;
- :mod:`.summary` and :mod:`.toc`: the chapter tree from a contents list or from folders;
- :mod:`.titles` and :mod:`.inline_text`: a chapter's title from its headings, Markdown reduced to text;
- :mod:`.hrefs`: which file a relative link names (``foo.html`` is ``foo.md``);
- :mod:`.chapters`: one file as a chapter: id, title, order, checked frontmatter;
- :mod:`.loading`: ``load_handbook()``: languages, the tree's sources, lookup tables;
- :mod:`.links` and :mod:`.slugs`: where a link goes, heading anchors.
"""

from __future__ import annotations

from peeragogy_tui.core.handbook.chapters import FolderCachedResolve, chapter_id_for, chapter_title
from peeragogy_tui.core.handbook.loading import (
    contents_titles,
    is_contents_file,
    is_summary_toc,
    load_handbook,
    resolve_language,
)
from peeragogy_tui.core.handbook.models import Chapter, Handbook, TocNode, normalise_permalink
from peeragogy_tui.core.handbook.toc import walk_tree

__all__ = [
    "Chapter",
    "FolderCachedResolve",
    "Handbook",
    "TocNode",
    "chapter_id_for",
    "chapter_title",
    "contents_titles",
    "is_contents_file",
    "is_summary_toc",
    "load_handbook",
    "normalise_permalink",
    "resolve_language",
    "walk_tree",
]
