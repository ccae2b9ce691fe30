"""Match positions for display: snippets with spans, and matches inside one chapter.

Snippets mark matches with sentinel characters; :func:`snippet_spans`
turns them into plain text plus ``(start, end)`` spans, so no caller ever has
to treat index text as markup. :func:`find_matches` finds every occurrence of
a query's terms line by line, folding case and accents the way the index
does, for stepping through matches inside a chapter (``n`` / ``N``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.search.query import ParsedQuery, Term, fold_with_offsets, parse_query

__all__ = ["MARK_END", "MARK_START", "ChapterMatch", "GrowingMatches", "Span", "find_matches", "merge_spans", "snippet_spans"]

MARK_START = "\x02"
"""Put before each match in a snippet (:mod:`.snippets`, or FTS5 ``snippet()`` for answers); never in indexed text."""
MARK_END = "\x03"
"""Put after each match in a snippet."""

Span = tuple[int, int]
"""``(start, end)`` character offsets, end exclusive."""

_MARKS = re.compile(f"([{MARK_START}{MARK_END}])")
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"[^\W_]+")


def snippet_spans(marked: str) -> tuple[str, tuple[Span, ...]]:
    """Plain one-line text and the spans of the matches from an FTS5 snippet with sentinels.

    Control sequences are stripped and runs of white space (including
    newlines) become one space.
    """
    pieces: list[str] = []
    spans: list[Span] = []
    length = 0
    start: int | None = None
    for piece in _MARKS.split(marked):
        if piece == MARK_START:
            start = length
        elif piece == MARK_END:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        elif piece:
            clean = _SPACE.sub(" ", strip_control(piece))
            if pieces and pieces[-1].endswith(" ") and clean.startswith(" "):
                clean = clean[1:]
            if not pieces:
                clean = clean.lstrip()
            pieces.append(clean)
            length += len(clean)
    text = "".join(pieces)
    stripped = text.rstrip()
    return stripped, tuple((a, min(b, len(stripped))) for a, b in spans if a < len(stripped))


@dataclass(frozen=True)
class ChapterMatch:
    """One occurrence of a search term in a chapter's body."""

    line: int
    """0-based index into ``body.split("\\n")``."""
    start: int
    """Character offset of the match in that line."""
    end: int
    """Offset just past the match."""
    file_line: int
    """The 1-based line of the file (``body_line + line``)."""


def _term_hits(term: Term, words: list[tuple[str, int, int]]) -> list[Span]:
    hits: list[Span] = []
    count = len(term.words)
    last = count - 1
    for index in range(len(words) - count + 1):
        for offset, wanted in enumerate(term.words):
            token = words[index + offset][0]
            if not (
                token == wanted or (term.prefix and offset == last and token.startswith(wanted))
            ):
                break
        else:
            hits.append((words[index][1], words[index + last][2]))
    return hits


def merge_spans(spans: list[Span]) -> list[Span]:
    """``spans`` sorted, those that overlap (or touch: one's end is the next one's start) made one."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def find_matches(body: str, query: str | ParsedQuery, *, body_line: int = 1) -> list[ChapterMatch]:
    """Every occurrence of any of the query's terms in ``body``, in reading order.

    Phrases match within one line. Never raises; an empty query matches nothing.
    """
    parsed = parse_query(query) if isinstance(query, str) else query
    if parsed.empty:
        return []
    first_words = {term.words[0] for term in parsed.terms}
    prefixes = tuple(term.words[0] for term in parsed.terms if term.prefix and len(term.words) == 1)
    matches: list[ChapterMatch] = []
    for number, line in enumerate(body.split("\n")):
        folded, offsets = fold_with_offsets(line.rstrip("\r"))
        if not any(word in folded for word in first_words):
            continue
        words = []
        for token in _TOKEN.finditer(folded):
            start, end = offsets[token.start()], offsets[token.end() - 1] + 1
            words.append((token.group(0), start, end))
        if not any(
            word in first_words or (prefixes and word.startswith(prefixes)) for word, _, _ in words
        ):
            continue
        spans: list[Span] = []
        for term in parsed.terms:
            spans.extend(_term_hits(term, words))
        for start, end in merge_spans(spans):
            matches.append(ChapterMatch(number, start, end, body_line + number))
    return matches


class GrowingMatches:
    """The matches of one query in lines that arrive in order, as a layout grows.

    Lines already seen never change, and a match never spans lines, so each
    call to :meth:`extend` only looks at the new lines: matching a chapter as
    it is laid out costs the same as matching it once at the end.
    """

    def __init__(self, query: str) -> None:
        self.text = query
        """The query as given."""
        self.query = parse_query(query)
        self.matches: list[ChapterMatch] = []
        """In reading order; ``line`` indexes the lines given so far."""
        self.line_spans: dict[int, list[tuple[int, int, int]]] = {}
        """Line -> ``(start, end, index into matches)`` of each match on it."""
        self.seen = 0
        """How many lines have been looked at."""

    def extend(self, new_lines: list[str]) -> list[int]:
        """Look at the lines that follow those seen; returns the lines where matches were found."""
        start = self.seen
        self.seen += len(new_lines)
        if not new_lines:
            return []
        found_on: list[int] = []
        for found in find_matches("\n".join(new_lines), self.query, body_line=0):
            line = found.line + start
            self.line_spans.setdefault(line, []).append((found.start, found.end, len(self.matches)))
            self.matches.append(ChapterMatch(line, found.start, found.end, line))
            found_on.append(line)
        return found_on
