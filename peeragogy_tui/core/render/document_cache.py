"""The parsed document of the chapter the reader will open first next time.

Importing markdown-it-py and parsing the first chapter was the largest part of
start-up left after Textual and the frontmatter cache. The reader reopens
where you stopped, so when it saves your position it also stores that
chapter's parsed :class:`~peeragogy_tui.core.render.blocks.Document` (with
:mod:`~peeragogy_tui.core.render.codec`), and the next start shows it without
the parser.

One entry per handbook and language, in a :mod:`~peeragogy_tui.core.cache_files`
file (0600 in a 0700 folder of the data dir). The entry holds the chapter's
exact body text, so an edited chapter is simply parsed again; the fingerprint
includes the parser's and the codec's source, so new parsing code never meets
an old document. Reading and writing never fail loudly: it is only a cache.
"""

from __future__ import annotations

from pathlib import Path

from peeragogy_tui.core.cache_files import (
    cache_path,
    handbook_key,
    read_cache,
    source_fingerprint,
    write_cache,
)
from peeragogy_tui.core.handbook import html_anchors
from peeragogy_tui.core.render import blocks, codec, directives, html_text, inline, model
from peeragogy_tui.core.render.blocks import Document

__all__ = ["StartupDocument"]

_FORMAT = 3
"""2: footnotes, alerts, definition and task lists, directives (the model moved to ``model``);
3: raw HTML anchors and ``<a href>`` links."""


def _fingerprint() -> str:
    return source_fingerprint(_FORMAT, blocks, inline, codec, model, directives, html_text, html_anchors)


class StartupDocument:
    """Reads the cached first document once, and stores the one to show first next time."""

    def __init__(self, lang_root: Path, lang: str | None) -> None:
        self._key = handbook_key(lang_root, lang)
        self.path = cache_path("document", self._key)
        """The cache file."""
        self._read = False
        self._stored: tuple[str, str] | None = None
        """(chapter id, body) of the entry on disk, as far as this process knows."""

    def load(self, chapter_id: str, body: str) -> Document | None:
        """The cached document of this chapter if its body is unchanged; only the first call reads the file."""
        if self._read:
            return None
        self._read = True
        data = read_cache(self.path, self._key, _fingerprint())
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(data.get("body"), str):
            return None
        self._stored = (data["id"], data["body"])
        if self._stored != (chapter_id, body):
            return None
        document = codec.decode(data.get("document"))
        if document is None:
            self._stored = None  # a damaged entry: let save() replace it
        return document

    def save(self, chapter_id: str, body: str, document: Document) -> None:
        """Store ``document`` as the one to show first, unless it is stored already."""
        if self._stored == (chapter_id, body) or document.includes:
            return  # a document with includes depends on other files: parse it again next time
        try:
            encoded = codec.encode(document)
        except codec.Unencodable:
            return
        if write_cache(self.path, self._key, _fingerprint(), {"id": chapter_id, "body": body, "document": encoded}):
            self._stored = (chapter_id, body)
