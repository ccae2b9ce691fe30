"""Snippets made from a section's text (:mod:`.snippets`), and the ranking that picks the sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from peeragogy_tui.core.search import fold, index_for, parse_query, snippet_spans, snippets
from peeragogy_tui.core.search.index import SNIPPET_TOKENS
from peeragogy_tui.core.search.snippets import ELLIPSIS, marked_snippet


def snippet(text: str, query: str) -> tuple[str, list[str]]:
    """The plain snippet and the text of each marked span."""
    plain, spans = snippet_spans(marked_snippet(text, parse_query(query), SNIPPET_TOKENS))
    return plain, [plain[start:end] for start, end in spans]


def test_matches_in_any_case_and_accents_are_marked() -> None:
    assert snippet("Un Café au lait. We like cafe and CAFÉS.", "cafe")[1] == ["Café", "cafe"]
    assert snippet("Un Café au lait.", "CAFÉ")[1] == ["Café"]
    assert snippet("un cafe\u0301 decomposed", "café")[1] == ["cafe\u0301"]


def test_the_variant_table_is_every_character_that_folds_to_one_letter() -> None:
    """The quick table (only characters that decompose or change case are folded) is the plain one."""
    plain: dict[str, str] = {}
    for code in (*range(0x41, 0x5B), *range(0xC0, 0x2000)):
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded != char:
            plain[folded] = plain.get(folded, folded) + char
    assert snippets._variants() == plain
    assert snippets._variants()["e"].startswith("eE") and "é" in plain["e"] and "Ё" in plain["е"]


def test_a_word_is_whole_and_a_prefix_is_a_word_start() -> None:
    assert snippet("learners learning learn", "learn")[1] == ["learn"]
    assert snippet("unfacilitated; Facilitators and facts", "fac*")[1] == ["Facilitators", "facts"]


def test_a_phrase_is_marked_where_it_occurs_whole() -> None:
    text = "A peer alone. " + "filler " * 30 + "Then peer learning happens."
    plain, marked = snippet(text, '"peer learning"')
    assert marked == ["peer learning"]
    assert "happens" in plain


def test_the_window_is_about_fourteen_words_around_the_match_with_ellipses() -> None:
    text = " ".join(f"w{n}" for n in range(200)) + " zyzzyva " + " ".join(f"v{n}" for n in range(200))
    plain, marked = snippet(text, "zyzzyva")
    assert marked == ["zyzzyva"]
    assert plain.startswith(ELLIPSIS) and plain.endswith(ELLIPSIS)
    assert len(plain.strip(ELLIPSIS).split()) == SNIPPET_TOKENS
    assert "w199" in plain and "v0" in plain


def test_a_window_starts_at_the_sentence_of_the_match_when_it_fits() -> None:
    text = "One two three four five six seven. Eight nine zyzzyva ten eleven."
    plain, _ = snippet(text, "zyzzyva")
    assert plain.startswith(f"{ELLIPSIS}Eight nine zyzzyva")


def test_the_window_with_most_terms_wins() -> None:
    text = "garden first. " + "filler " * 40 + "A garden team here. " + "filler " * 40
    _plain, marked = snippet(text, "team garden")
    assert marked == ["garden", "team"]


def test_no_match_in_the_text_gives_its_first_words_unmarked() -> None:
    plain, marked = snippet("Nothing of the title here, " + "word " * 40, "title-only")
    assert marked == [] and plain.startswith("Nothing of") and plain.endswith(ELLIPSIS)
    assert snippet("", "anything") == ("", [])


def test_odd_queries_and_texts_never_raise() -> None:
    for query in ['"unclosed', "a*", "AND", "ǅ", "İstanbul", "x" * 400]:
        for text in ["", "İstanbul ǅungla ß Straße", "\u0301\u0301", "[]*\\" * 50, "é" * 10_000]:
            marked_snippet(text, parse_query(query), SNIPPET_TOKENS)


# --------------------------------------------------------------------------- ranking


@pytest.fixture
def ranked_book(tmp_path: Path) -> Path:
    """One long chapter whose many sections all rank high, and small chapters below and above it."""
    book = tmp_path / "book"
    book.mkdir()
    dense = ("Zyzzyva zyzzyva garden. " * 40 + "\n\n") * 1100
    (book / "long.md").write_text("---\ntitle: Long\n---\n# Long\n\n" + dense, encoding="utf-8")
    for number in range(12):
        words = "garden " * (number + 1) + "filler " * 60
        (book / f"small{number:02}.md").write_text(
            f"---\ntitle: Small {number}\n---\n# Small {number}\n\n{words} zyzzyva\n", encoding="utf-8"
        )
    return book


def reference(index: object, query: str, limit: int) -> list[tuple[str, float]]:
    """The best section of each file by FTS5's own ``ORDER BY rank``, read row by row."""
    best: dict[str, float] = {}
    conn = index.conn  # type: ignore[attr-defined]
    for path, score in conn.execute(
        "SELECT path, -rank FROM docs WHERE docs MATCH ? ORDER BY rank", (parse_query(query).expression,)
    ):
        best.setdefault(path, score)
    return list(best.items())[:limit]


@pytest.mark.parametrize("limit", [1, 5, 13, 50])
def test_hits_are_each_files_best_section_in_fts5_rank_order(ranked_book: Path, limit: int) -> None:
    with index_for(ranked_book, include_exercises=False) as index:
        assert index.conn.execute("SELECT sections FROM files WHERE path LIKE '%long.md'").fetchone()[0] > 60
        for query in ["zyzzyva", "garden", "zyz*", "z*", '"zyzzyva garden"']:
            hits = index.search(query, limit=limit)
            expected = reference(index, query, limit)
            assert [str(hit.path) for hit in hits] == [path for path, _ in expected], query
            assert [hit.score for hit in hits] == pytest.approx([score for _, score in expected]), query
            for hit in hits:
                assert hit.spans, f"{query}: every snippet here shows a match"
                words = {fold(hit.snippet[start:end]).split()[0] for start, end in hit.spans}
                assert all(word.startswith(fold(query.strip('"*')).split()[0][:1]) for word in words)


def test_a_one_letter_prefix_uses_the_prefix_index(ranked_book: Path) -> None:
    with index_for(ranked_book, include_exercises=False) as index:
        (sql,) = index.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'docs'").fetchone()
        assert "prefix = '1 2'" in sql
        assert len(index.search("z*", limit=50)) == 13


@pytest.fixture
def many_long_chapters(tmp_path: Path) -> Path:
    """110 chapters of two sections that all match, densely, and 20 short ones that match once."""
    book = tmp_path / "many"
    book.mkdir()
    for number in range(110):
        paragraph = "zyzzyva garden " * (40 + number % 7) + "filler " * (number % 11) + "\n\n"
        (book / f"long{number:03}.md").write_text(
            f"---\ntitle: Long {number}\n---\n# Long {number}\n\n" + paragraph * 30, encoding="utf-8"
        )
    for number in range(20):
        (book / f"short{number:02}.md").write_text(
            f"---\ntitle: Short {number}\n---\n# Short {number}\n\n{'filler ' * 50}zyzzyva\n", encoding="utf-8"
        )
    return book


@pytest.mark.parametrize("limit", [20, 75, 130, 200])
def test_many_chapters_of_several_sections_rank_as_fts5_ranks_their_best(many_long_chapters: Path, limit: int) -> None:
    with index_for(many_long_chapters, include_exercises=False) as index:
        assert index.conn.execute("SELECT count(*) FROM files WHERE sections > 1").fetchone()[0] == 110
        for query, files in [("zyzzyva", 130), ("z*", 130), ("garden zyzzyva", 110)]:
            hits = index.search(query, limit=limit)
            expected = reference(index, query, limit)
            assert len(hits) == min(limit, files), query
            assert [str(hit.path) for hit in hits] == [path for path, _ in expected], query
            assert [hit.score for hit in hits] == pytest.approx([score for _, score in expected]), query
