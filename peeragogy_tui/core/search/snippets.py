"""Snippets made in Python from a section's text, in the form FTS5 ``snippet()`` gives them.

FTS5's ``snippet()`` tokenizes the whole section twice and scores a window
around every match against every other match, so one snippet of a 16 KB
section cost a quarter of a millisecond, and a prefix such as ``c*`` with
hundreds of matches in a section cost far more: the fifty snippets of a
results page cost as much as ranking every section of the handbook. Here
the first occurrence of each term is found with ``str.find`` (the word as
folded) and a regular expression that accepts any case and accents, run only
on the text before that, and only the few words around the chosen match are
tokenized and marked: the cost no longer grows with the section or with
the number of matches in it.

The window is chosen as FTS5 chooses it, more simply: the first occurrence
of a term with the most other terms near it, then
:data:`~.index.SNIPPET_TOKENS` words centred on it, or starting at the
sentence it is in when that sentence starts close enough before it. Matches
in the window are marked with :data:`~.matching.MARK_START` /
:data:`~.matching.MARK_END` and an ellipsis stands for text cut off at
either end, so :func:`~.matching.snippet_spans` reads the result unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache, partial

from peeragogy_tui.core.search.matching import MARK_END, MARK_START, merge_spans
from peeragogy_tui.core.search.query import ParsedQuery, Term, fold

__all__ = ["ELLIPSIS", "marked_snippet"]

ELLIPSIS = "…"
_TOKEN = re.compile(r"[^\W_]+")
"""A token as the query module (and FTS5's ``unicode61``) splits text."""
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_NEAR_CHARS = 60
"""Two matches this close (in characters) would share a window of about 14 words."""
_SCORED_TERMS = 6
"""Terms counted when choosing between the first occurrences of several terms."""
_REGION_CHARS = 120
"""Text tokenized on each side of the chosen match: more than a window's worth of words."""
_MARKS_BETWEEN = "[\u0300-\u036f]*"
"""Combining accents a letter may carry in decomposed (NFD) text."""


def _fold_in_place(text: str) -> str | None:
    """``text`` folded as :func:`~.query.fold` folds it, or ``None`` if that changes its length."""
    if text.isascii():
        return text.lower()
    folded = _COMBINING.sub("", unicodedata.normalize("NFD", text)).lower()
    return folded if len(folded) == len(text) else None


_VARIANT_CODES = (*range(0x41, 0x5B), *range(0xC0, 0x2000))
"""Where the characters with a variant table entry come from: ASCII capitals, Latin to Greek extended."""
_decompose = partial(unicodedata.normalize, "NFD")


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    """Each folded letter and every character that folds to it (``"e"`` -> ``"eEéÉèÈ…"``).

    Built on the first snippet, so it is part of the first search's time: a
    character that neither decomposes nor changes case folds to itself (or to
    nothing, if it is a combining mark), so only the ~1,400 of ~7,900 that do
    are folded one by one; decomposing and lowering every character runs in
    ``map`` (C), not in a Python loop. The table is the one that folding every
    character gives (a test compares them).
    """
    chars = list(map(chr, _VARIANT_CODES))
    table: dict[str, list[str]] = {}
    for char, decomposed, lower in zip(chars, map(_decompose, chars), map(str.lower, chars)):
        if decomposed == char and lower == char:
            continue
        folded = fold(char)
        if len(folded) == 1 and folded != char:
            table.setdefault(folded, [folded]).append(char)
    return {letter: "".join(chars) for letter, chars in table.items()}


@lru_cache(maxsize=256)
def _word_pattern(word: str) -> re.Pattern[str]:
    """A pattern for ``word`` (folded) as it may be written: any case, any accents (also as combining marks)."""
    variants = _variants()
    pieces = []
    for letter in word:
        chars = variants.get(letter)
        pieces.append(f"[{re.escape(chars)}]" if chars else re.escape(letter))
    return re.compile(_MARKS_BETWEEN.join(pieces))


def _is_match(text: str, at: int, end: int, term: Term) -> bool:
    """True when ``text[at:end]`` (the first word of ``term``) is a whole token there and the rest of a phrase follows."""
    whole = not (term.prefix and len(term.words) == 1)
    return (
        (at == 0 or not text[at - 1].isalnum())
        and (not whole or end == len(text) or not text[end].isalnum())
        and (len(term.words) == 1 or _phrase_follows(text, at, term))
    )


def _first_occurrence(text: str, term: Term) -> int | None:
    """Where ``term`` first matches in ``text`` (its first word as a whole token, or a token's start for a prefix).

    The word as folded, found by ``str.find`` (fast), bounds the search for an
    earlier occurrence in other case or accents (a regular expression, slower).
    """
    word = term.words[0]
    plain = text.find(word)
    while plain >= 0 and not _is_match(text, plain, plain + len(word), term):
        plain = text.find(word, plain + len(word))
    for match in _word_pattern(word).finditer(text, 0, len(text) if plain < 0 else plain):
        if _is_match(text, match.start(), match.end(), term):
            return match.start()
    return None if plain < 0 else plain


def _phrase_follows(text: str, at: int, term: Term) -> bool:
    """True when the words from ``at`` on are the whole phrase ``term``."""
    tokens = []
    for token in _TOKEN.finditer(text, at):
        tokens.append(token)
        if len(tokens) == len(term.words):
            break
    return len(tokens) == len(term.words) and _matches_at(_folded_words(text, tokens), 0, term)


def _occurs_near(text: str, term: Term, at: int) -> bool:
    """True when ``term`` matches within :data:`_NEAR_CHARS` of ``at``."""
    start, end = max(0, at - _NEAR_CHARS), min(len(text), at + _NEAR_CHARS)
    pattern = _word_pattern(term.words[0])
    return any(_is_match(text, m.start(), m.end(), term) for m in pattern.finditer(text, start, end))


def _best_match(text: str, terms: tuple[Term, ...]) -> int | None:
    """Where the snippet goes: the first occurrence of a term with the most other terms near it.

    ``None`` when no term occurs in ``text``. Only the first
    :data:`_SCORED_TERMS` terms count towards "most".
    """
    firsts = sorted(at for term in terms if (at := _first_occurrence(text, term)) is not None)
    if len(terms) == 1 or len(firsts) <= 1:
        return firsts[0] if firsts else None
    scored = terms[:_SCORED_TERMS]
    best, best_score = firsts[0], 0
    for at in firsts:
        score = sum(_occurs_near(text, term, at) for term in scored)
        if score > best_score:
            best, best_score = at, score
    return best


def _starts_sentence(text: str, previous_end: int, start: int) -> bool:
    """True when the gap before a token is white space after ``.`` or ``:`` (FTS5's rule)."""
    gap = text[previous_end:start]
    stripped = gap.rstrip(" \t\n\r")
    return len(stripped) < len(gap) and stripped.endswith((".", ":"))


def _window(tokens: list[re.Match[str]], at: int, count: int, text: str, region_start: int) -> tuple[int, int]:
    """``(first, past the last)`` token index of the window around the token that starts at ``at``."""
    match = next((i for i, token in enumerate(tokens) if token.end() > at), len(tokens) - 1)
    first = max(0, min(match - count // 2, len(tokens) - count))
    for index in range(max(0, match - count + 1), match):
        previous_end = tokens[index - 1].end() if index > 0 else region_start
        if (index > 0 or region_start == 0) and _starts_sentence(text, previous_end, tokens[index].start()):
            first = index  # the last sentence start before the match wins, as in FTS5
    return first, min(len(tokens), first + count)


def _matches_at(words: list[str], index: int, term: Term) -> bool:
    """True when ``term`` (a word or a phrase) matches the words from ``index`` on."""
    last = len(term.words) - 1
    if index + last >= len(words):
        return False
    for offset, wanted in enumerate(term.words):
        word = words[index + offset]
        if word != wanted and not (term.prefix and offset == last and word.startswith(wanted)):
            return False
    return True


def _marks(words: list[str], terms: tuple[Term, ...]) -> list[tuple[int, int]]:
    """``(first, last)`` word index of every term match among ``words``, merged where they share a word."""
    spans: list[tuple[int, int]] = []
    for term in terms:
        head = term.words[0]
        loose = term.prefix and len(term.words) == 1
        for index, word in enumerate(words):
            if (word == head or (loose and word.startswith(head))) and _matches_at(words, index, term):
                spans.append((index, index + len(term.words) - 1))
    return merge_spans(spans)


def _folded_words(text: str, tokens: list[re.Match[str]]) -> list[str]:
    """Each token folded: the window's text folded at once when that keeps its length, else one by one."""
    start = tokens[0].start()
    folded = _fold_in_place(text[start : tokens[-1].end()])
    if folded is None:
        return [fold(token.group(0)) for token in tokens]
    return [folded[token.start() - start : token.end() - start] for token in tokens]


def _past_accents(text: str, end: int) -> int:
    """``end`` moved past combining accents (decomposed text), so a mark never splits a letter from its accent."""
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end


def _region_tokens(text: str, at: int) -> tuple[list[re.Match[str]], int]:
    """The whole tokens within :data:`_REGION_CHARS` of ``at``, and where that region starts."""
    start = max(0, at - _REGION_CHARS)
    end = min(len(text), at + _REGION_CHARS)
    tokens = list(_TOKEN.finditer(text, start, end))
    if tokens and start > 0 and tokens[0].start() == start and text[start - 1].isalnum():
        tokens.pop(0)  # cut by the region's start
    if tokens and end < len(text) and tokens[-1].end() == end and text[end].isalnum():
        tokens.pop()  # cut by the region's end
    return tokens, start


def marked_snippet(text: str, query: ParsedQuery, count: int) -> str:
    """About ``count`` words of ``text`` around its best match, with the matches marked.

    Without a match in ``text`` (the section matched by its title or
    headings) the snippet is the text's first words, unmarked, as FTS5 gives it.
    """
    at = _best_match(text, query.terms)
    tokens, region_start = _region_tokens(text, at if at is not None else 0)
    if not tokens:
        return ""
    if at is None:
        first, past = 0, min(len(tokens), count)
    else:
        first, past = _window(tokens, at, count, text, region_start)
    chosen = tokens[first:past]
    words = _folded_words(text, chosen)
    pieces: list[str] = []
    cursor = chosen[0].start()
    for start_word, end_word in _marks(words, query.terms):
        start, end = chosen[start_word].start(), _past_accents(text, chosen[end_word].end())
        pieces += [text[cursor:start], MARK_START, text[start:end], MARK_END]
        cursor = end
    pieces.append(text[cursor : chosen[-1].end()])
    before = ELLIPSIS if _TOKEN.search(text, 0, chosen[0].start()) else ""
    after = ELLIPSIS if _TOKEN.search(text, chosen[-1].end()) else ""
    return before + "".join(pieces) + after
