"""Full-text search: the handbook's chapters and exercises, and your own answers.

:func:`index_for` opens (building or updating) a SQLite FTS5 index of one
handbook language folder, kept in the private data dir and updated
incrementally from file sizes, mtimes and hashes. :meth:`SearchIndex.search`
ranks with bm25, titles and headings above body text; queries are read as
words, ``"phrases"`` and ``prefix*``, accent- and case-insensitively, and
never raise. :func:`search_answers` searches the answers you saved.
Uses only the standard library's ``sqlite3``; never imports textual.
"""

from __future__ import annotations

from peeragogy_tui.core.search.answers import AnswerHit, AnswerResult, search_answers
from peeragogy_tui.core.search.index import (
    SearchHit,
    SearchIndex,
    SearchInterrupted,
    SearchResult,
    index_for,
    index_path,
)
from peeragogy_tui.core.search.matching import ChapterMatch, Span, find_matches, snippet_spans
from peeragogy_tui.core.search.query import ParsedQuery, Term, fold, parse_query
from peeragogy_tui.core.search.sync import SyncStats

__all__ = [
    "AnswerHit",
    "AnswerResult",
    "ChapterMatch",
    "ParsedQuery",
    "SearchHit",
    "SearchIndex",
    "SearchInterrupted",
    "SearchResult",
    "Span",
    "SyncStats",
    "Term",
    "find_matches",
    "fold",
    "index_for",
    "index_path",
    "parse_query",
    "search_answers",
    "snippet_spans",
]
