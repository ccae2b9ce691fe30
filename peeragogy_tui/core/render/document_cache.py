"""The parsed document of the chapter the reader will open first next time.

Importing markdown-it-py and parsing the first chapter was the largest part of
start-up left after Textual and the frontmatter cache. The reader reopens
where you stopped, so when it saves your position it also stores that
chapter's parsed :class:`~peeragogy_tui.core.render.blocks.Document` (with
:mod:`~peeragogy_tui.core.render.codec`), and the next start shows it without
the parser.

One entry per handbook and language, in a :mod:`~peeragogy_tui.core.cache_files`
file (0600 in a 0700 folder of the data dir). The entry holds the chapter's
exact body text (for a long chapter its SHA-256, and only the blocks from the top to
a little past where you stopped: see :mod:`~peeragogy_tui.core.render.head`), so an
edited chapter is simply parsed again; the fingerprint
includes the parser's and the codec's source, so new parsing code never meets
an old document. Reading and writing never fail loudly: it is only a cache.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from peeragogy_tui.core.cache_files import (
    cache_path,
    handbook_key,
    read_cache,
    source_fingerprint,
    write_cache,
)
from peeragogy_tui.core.handbook import html_anchors
from peeragogy_tui.core.render import blocks, codec, directives, head, html_text, inline, model
from peeragogy_tui.core.render.blocks import Document
from peeragogy_tui.core.render.head import LONG_CHAPTER_CHARS, document_head

__all__ = ["StartupDocument"]

_FORMAT = 4
"""2: footnotes, alerts, definition and task lists, directives (the model moved to ``model``);
3: raw HTML anchors and ``<a href>`` links; 4: the head of a long chapter, keyed by its digest."""
_BLOCKS_PAST_TOP = 200
"""A long chapter's entry holds its blocks down to this many past the top of the view."""
_MOST_BLOCKS = 800
"""...but never more than this many (decoding takes about 0.15 ms a block here): further down a
long chapter the entry is only its head, and the reader goes to the place once the full parse is in.
(Reopening a 5 MB chapter at its end decoded 13,000 blocks, 2.3 s, before the first frame.)"""


_last_digest: tuple[str, str] | None = None
"""(body, key) of the last long body hashed: saves come often, the same body each time."""


def _body_key(body: str) -> str:
    """The body itself, or a long one's SHA-256 (the entry then need not hold megabytes)."""
    global _last_digest
    if len(body) <= LONG_CHAPTER_CHARS:
        return body
    if _last_digest is None or _last_digest[0] is not body:
        _last_digest = (body, "sha256:" + hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest())
    return _last_digest[1]


def _fingerprint() -> str:
    return source_fingerprint(_FORMAT, blocks, inline, codec, model, directives, html_text, html_anchors, head)


class StartupDocument:
    """Reads the cached first document once, and stores the one to show first next time."""

    def __init__(self, lang_root: Path, lang: str | None) -> None:
        self._key = handbook_key(lang_root, lang)
        self.path = cache_path("document", self._key)
        """The cache file."""
        self._read = False
        self._stored: tuple[str, str, int] | None = None
        """(chapter id, body key, blocks held) of the entry on disk, as far as this process knows."""

    def load(self, chapter_id: str, body: str) -> Document | None:
        """The cached document of this chapter if its body is unchanged; only the first call reads the file.

        For a long chapter it is the head (``partial``): the caller parses the rest.
        """
        if self._read:
            return None
        self._read = True
        data = read_cache(self.path, self._key, _fingerprint())
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(data.get("body"), str):
            return None
        if (data["id"], data["body"]) != (chapter_id, _body_key(body)):
            self._stored = (data["id"], data["body"], 0)
            return None
        document = codec.decode(data.get("document"))
        self._stored = None if document is None else (chapter_id, data["body"], len(document.blocks))
        return document  # None for a damaged entry: save() replaces it

    def save(self, chapter_id: str, body: str, document: Document, top_block: int = 0) -> None:
        """Store ``document`` as the one to show first (a long one down to a little past ``top_block``).

        Nothing is written when the entry on disk already holds as much of it.
        """
        if document.includes:
            return  # a document with includes depends on other files: parse it again next time
        key = _body_key(body)
        if key != body:
            blocks = top_block + _BLOCKS_PAST_TOP
            document = document_head(document, blocks if blocks <= _MOST_BLOCKS else _BLOCKS_PAST_TOP)
        stored = self._stored
        if stored is not None and stored[:2] == (chapter_id, key) and stored[2] >= len(document.blocks):
            return
        try:
            encoded = codec.encode(document)
        except codec.Unencodable:
            return
        if write_cache(self.path, self._key, _fingerprint(), {"id": chapter_id, "body": key, "document": encoded}):
            self._stored = (chapter_id, key, len(document.blocks))
