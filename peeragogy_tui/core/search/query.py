"""Turn whatever a person types into a safe FTS5 expression.

Nothing the user types is passed to FTS5 as syntax. The input is read as
words, ``"quoted phrases"`` and a trailing ``*`` for prefixes; every word is
folded (lower case, accents dropped) and quoted, so ``AND``, ``NEAR(``, ``-``,
``:``, ``^`` or an unclosed ``"`` are just text, never errors. All terms must
match (an implicit AND). When nothing searchable is left, :attr:`ParsedQuery.note`
says why in one line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from peeragogy_tui.core.sanitize import strip_control

__all__ = ["MAX_QUERY_CHARS", "MAX_TERMS", "ParsedQuery", "Term", "fold", "parse_query", "tokens"]

MAX_QUERY_CHARS = 500
"""Input past this length is ignored (a query is a few words, not a document)."""
MAX_TERMS = 24
"""At most this many terms are searched for; the rest are dropped with a note."""

_WORD = re.compile(r"[^\W_]+")
"""A token as FTS5's ``unicode61`` tokenizer sees one: letters and digits only."""
_CHUNK = re.compile(r"[^\W_]+(?:['’.\-/@][^\W_]+)*(\*)?")
"""A word as typed: ``e-mail`` or ``don't`` hold two tokens and become a phrase."""
_SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})


def fold(text: str) -> str:
    """Lower case without accents: ``"Café"`` -> ``"cafe"``.

    Uses canonical (NFD) decomposition, like FTS5's ``remove_diacritics``,
    rather than NFKD, so ligatures, superscripts and letters such as ``ø``
    (which have no decomposition) stay as the index has them.
    The result may be longer than ``text``; see :func:`fold_with_offsets`.
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`fold` plus, for each folded character, the index it came from in ``text``."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = fold(char)
        pieces.append(folded)
        offsets.extend([index] * len(folded))
    return "".join(pieces), offsets


def tokens(text: str) -> list[str]:
    """The folded tokens of ``text``, split as the index splits them."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class Term:
    """One thing that must match: a word or a phrase, optionally a prefix."""

    words: tuple[str, ...]
    """Folded tokens; more than one makes a phrase."""
    prefix: bool = False
    """The last word matches any word that starts with it (``facilit*``)."""

    def fts(self) -> str:
        """This term as FTS5 syntax: ``"knowledge cafe"`` or ``"facilit" *``."""
        quoted = '"' + " ".join(self.words) + '"'
        return quoted + " *" if self.prefix else quoted

    def __str__(self) -> str:
        text = " ".join(self.words)
        text = f'"{text}"' if len(self.words) > 1 else text
        return text + "*" if self.prefix else text


@dataclass(frozen=True)
class ParsedQuery:
    """What the user typed, as terms; :attr:`expression` is safe to give to FTS5 ``MATCH``."""

    text: str
    terms: tuple[Term, ...]
    note: str | None = None
    """Why nothing (or not everything) can be searched for, in one line."""

    @property
    def empty(self) -> bool:
        """True when there is nothing to search for."""
        return not self.terms

    @property
    def expression(self) -> str:
        """The FTS5 query: every term quoted, joined by spaces (all must match)."""
        return " ".join(term.fts() for term in self.terms)


def _chunk_terms(text: str, *, phrase: bool, prefix: bool) -> list[Term]:
    """Terms from unquoted text (one per word), or one phrase from quoted text."""
    folded = fold(text)
    if phrase:
        words = tuple(_WORD.findall(folded))
        return [Term(words, prefix)] if words else []
    terms = []
    for match in _CHUNK.finditer(folded):
        words = tuple(_WORD.findall(match.group(0)))
        terms.append(Term(words, match.group(1) is not None))
    return terms


def parse_query(text: str) -> ParsedQuery:
    """Read a query as typed. Never raises, whatever ``text`` holds."""
    cleaned = strip_control(text).translate(_SMART_QUOTES)[:MAX_QUERY_CHARS].replace("\n", " ")
    parts = cleaned.split('"')
    closed_quotes = (len(parts) - 1) // 2 * 2
    terms: list[Term] = []
    for index, part in enumerate(parts):
        inside = index % 2 == 1 and index <= closed_quotes
        prefix = inside and index + 1 < len(parts) and parts[index + 1].lstrip().startswith("*")
        terms.extend(_chunk_terms(part, phrase=inside, prefix=prefix))
    unique = tuple(dict.fromkeys(terms))
    note = None
    if not unique:
        shown = " ".join(cleaned.split())
        if shown:
            note = f"nothing to search for in '{shown[:40]}': type a word (letters or digits)"
        else:
            note = "type a word to search for"
    elif len(unique) > MAX_TERMS:
        note = f"only the first {MAX_TERMS} words are searched for"
        unique = unique[:MAX_TERMS]
    return ParsedQuery(cleaned, unique, note)
