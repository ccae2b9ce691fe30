"""A long chapter is indexed in sections: one hit per chapter, a snippet and line from the matching section."""

from __future__ import annotations

from pathlib import Path

import pytest

from peeragogy_tui.core.search import index_for
from peeragogy_tui.core.search.matching import find_matches
from peeragogy_tui.core.search.sections import SECTION_CHARS, split_sections

PARAGRAPH = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n\n"


def long_body(paragraphs: int) -> str:
    parts = []
    for number in range(paragraphs):
        if number % 500 == 0:
            parts.append(f"Part {number // 500}\n\n")
        parts.append(PARAGRAPH)
    return "".join(parts) + "The zyzzyva lives at the very end.\n"


def test_sections_join_back_into_the_body_and_keep_lines_and_headings() -> None:
    body = long_body(3000)
    headings = "\n".join(f"Part {n}" for n in range(6))
    sections = split_sections(headings, body, body_line=5)
    assert len(sections) > 10
    assert "\n".join(section.body for section in sections) == body
    assert all(len(section.body) <= SECTION_CHARS for section in sections)
    assert all(not section.body.startswith("ipsum") for section in sections), "cut at a blank line, not mid-paragraph"
    whole = find_matches(body, "zyzzyva", body_line=5)
    (last,) = [m for s in sections for m in find_matches(s.body, "zyzzyva", body_line=s.body_line)]
    assert last.file_line == whole[0].file_line
    owners = {heading: index for index, s in enumerate(sections) for heading in s.headings.split("\n") if heading}
    assert sorted(owners) == sorted(headings.split("\n")), "every heading is kept, once"
    for heading, index in owners.items():
        assert f"\n{heading}\n" in "\n" + sections[index].body, f"{heading} is in the section that holds it"


def test_a_short_body_is_one_section_as_it_was() -> None:
    assert split_sections("A\nB", "a\n\nb\n", 3) == [split_sections("A\nB", "a\n\nb\n", 3)[0]]
    (only,) = split_sections("A\nB", "a\n\nb\n", 3)
    assert (only.headings, only.body, only.body_line) == ("A\nB", "a\n\nb\n", 3)


def test_one_line_longer_than_a_section_stays_whole() -> None:
    body = "short\n\n" + "x" * (SECTION_CHARS * 2) + "\n\nend\n"
    sections = split_sections("", body, 1)
    assert "\n".join(s.body for s in sections) == body
    assert any(len(s.body) >= SECTION_CHARS * 2 for s in sections)


@pytest.fixture
def long_book(tmp_path: Path) -> Path:
    book = tmp_path / "book"
    book.mkdir()
    (book / "big.md").write_text("---\ntitle: Big\n---\n# Big\n\n" + long_body(30_000), encoding="utf-8")
    (book / "small.md").write_text("---\ntitle: Small\n---\n# Small\n\nLorem and a zyzzyva.\n", encoding="utf-8")
    return book


def test_a_long_chapter_is_one_hit_with_the_snippet_and_line_of_its_matching_section(long_book: Path) -> None:
    with index_for(long_book, include_exercises=False) as index:
        sections = dict(index.conn.execute("SELECT path, sections FROM files").fetchall())
        assert sections[str(long_book / "big.md")] > 100, "about 2.5 MB: many sections"
        assert sections[str(long_book / "small.md")] == 1
        result = index.search("lorem", lines=True)
        assert sorted(hit.title for hit in result) == ["Big", "Small"], "one hit per chapter, not per section"
        (big,) = [hit for hit in index.search("zyzzyva", lines=True) if hit.title == "Big"]
        assert "zyzzyva" in big.snippet and big.snippet[slice(*big.spans[0])].lower() == "zyzzyva"
        text = (long_book / "big.md").read_text(encoding="utf-8").split("\n")
        assert "zyzzyva" in text[big.line - 1], "the hit's line is the file line of the match"


def test_a_changed_long_chapter_replaces_all_its_sections(long_book: Path) -> None:
    with index_for(long_book, include_exercises=False) as index:
        before = index.conn.execute("SELECT count(*) FROM docs").fetchone()[0]
        big = long_book / "big.md"
        big.write_text("---\ntitle: Big\n---\n# Big\n\nNow short, with a quokka.\n", encoding="utf-8")
        index.refresh()
        assert index.conn.execute("SELECT count(*) FROM docs").fetchone()[0] == 2 < before
        assert [hit.title for hit in index.search("lorem")] == ["Small"]
        assert [hit.title for hit in index.search("quokka")] == ["Big"]
        big.unlink()
        index.refresh()
        assert index.conn.execute("SELECT count(*) FROM docs").fetchone()[0] == 1


def test_a_first_build_uses_the_tuned_fts5_settings_and_restores_merging(long_book: Path) -> None:
    with index_for(long_book, include_exercises=False) as index:
        assert index.conn.execute("PRAGMA page_size").fetchone()[0] == 65536
        config = dict(index.conn.execute("SELECT k, v FROM docs_config").fetchall())
        assert config["pgsz"] == 65000
        assert config["automerge"] == 4, "later updates merge segments again"
        assert len(index.search("zyzzyva")) == 2
