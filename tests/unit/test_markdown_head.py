"""The head of a long chapter is cut only between top-level blocks: its blocks are the chapter's first."""

from __future__ import annotations

import pytest

from peeragogy_tui.core.render import codec, parse_document
from peeragogy_tui.core.render.head import (
    HEAD_CHARS,
    HEAD_TABLE_ROWS,
    LONG_CHAPTER_CHARS,
    document_head,
    markdown_head,
)
from peeragogy_tui.core.render.layout import layout_document
from peeragogy_tui.core.render.model import Table
from peeragogy_tui.core.render.places import Place, blocks_above, place_line, row_place
from peeragogy_tui.core.render.progressive import LayoutJob


def tricky_chapter(repeat: int = 400) -> str:
    """Paragraphs, loose lists, fences and HTML comments holding blank lines, tables, quotes."""
    pieces = ["# A long chapter", ""]
    for number in range(repeat):
        pieces += [
            f"## Section {number}",
            "",
            f"Paragraph {number}: peers learn together, and nobody is the teacher here.",
            "",
            "- a loose item",
            "",
            "- another loose item",
            "",
            "  with an indented second paragraph",
            "",
            "```text",
            "inside a fence",
            "",
            "Column zero text inside the fence, after a blank line.",
            "```",
            "",
            "<!-- a comment",
            "",
            "Column zero text inside the comment.",
            "-->",
            "",
            "| a | b |",
            "|---|---|",
            f"| {number} | cell |",
            "",
            "> a quote",
            "",
        ]
    return "\n".join(pieces) + "\n"


def test_short_chapters_have_no_head():
    assert markdown_head("# Short\n\nHi.\n") is None
    assert markdown_head("x\n\n" * (LONG_CHAPTER_CHARS // 3 + 10)) is not None


def test_head_blocks_are_the_first_blocks_of_the_whole_chapter():
    text = tricky_chapter()
    assert len(text) > LONG_CHAPTER_CHARS
    head = markdown_head(text)
    assert head is not None and text.startswith(head)
    assert HEAD_CHARS <= len(head) < len(text) // 2
    whole, start = parse_document(text), parse_document(head)
    assert len(start.blocks) < len(whole.blocks)
    assert codec.encode(start)["blocks"] == codec.encode(whole)["blocks"][: len(start.blocks)]


def test_never_cut_inside_a_fence_or_a_comment():
    filler = "Filler paragraph with some words in it.\n\n" * (HEAD_CHARS // 40)
    fence = "```\n" + "code line\n\nColumn zero inside the fence.\n\n" * 2000 + "```\n\nAfter the fence.\n\n"
    text = filler + fence + filler * 8
    head = markdown_head(text)
    assert head is not None
    assert head.count("```") % 2 == 0, "the head ends outside the fence"


def test_no_safe_cut_means_parse_it_whole():
    text = "```\n" + "line\n\nColumn zero.\n" * 40_000 + "```\n"
    assert markdown_head(text) is None


def test_document_head_keeps_the_first_blocks_and_their_headings():
    whole = parse_document(tricky_chapter(20))
    head = document_head(whole, 10)
    assert head.partial and head.blocks == whole.blocks[:10]
    assert [h.slug for h in head.headings] == [h.slug for h in whole.headings[: len(head.headings)]]
    assert document_head(whole, len(whole.blocks)) is whole
    decoded = codec.decode(codec.encode(head))
    assert decoded is not None and decoded.partial
    assert decoded.head_share == head.head_share == 10 / len(whole.blocks)
    assert document_head(head, 5).head_share == 5 / len(whole.blocks)


def long_table_chapter(rows: int = 2000, tail: str = "After the table.\n") -> str:
    header = "| # | Who | Notes |\n|---:|:---|---|\n"
    body = "".join(f"| {n} | peer {n} | notes on week {n}, with a few words to wrap |\n" for n in range(rows))
    return "# Attendance\n\nOne row per peer.\n\n" + header + body + "\n" + tail


def test_a_long_table_is_cut_between_rows():
    text = long_table_chapter()
    assert len(text) > LONG_CHAPTER_CHARS
    head = markdown_head(text)
    assert head is not None and text.startswith(head) and head.endswith("|\n")
    assert len(head) >= HEAD_CHARS
    whole, start = parse_document(text), parse_document(head)
    assert len(start.blocks) == 3 and isinstance(start.blocks[2], Table)
    assert 100 < len(start.blocks[2].rows) < len(whole.blocks[2].rows)
    assert start.blocks[2].rows == whole.blocks[2].rows[: len(start.blocks[2].rows)]
    assert start.blocks[:2] == whole.blocks[:2]


def test_the_row_at_the_top_is_found_again_in_the_whole_table_and_at_any_width():
    text = long_table_chapter().replace("| 1500 | peer 1500 |", "| 1500 | a much longer name than any row before it |")
    whole, start = parse_document(text), parse_document(markdown_head(text))
    head_layout = layout_document(start, 60)
    line = head_layout.table_rows[2][40] + 1  # the second line of the table's 40th row (39th below the header)
    place = row_place(head_layout, line)
    assert place == Place(block=2, row=40)
    assert row_place(head_layout, head_layout.block_lines[1]) is None, "a paragraph is no table row"
    for width in (60, 80, 120):
        layout = layout_document(whole, width)
        found = place_line(place, layout, whole, True)
        assert found == layout.table_rows[2][40]
        assert "peer 39 " in layout.lines[found].plain


def test_a_row_not_yet_laid_out_is_waited_for():
    whole = parse_document(long_table_chapter())
    job = LayoutJob(whole, 80)
    job.advance(block=2)
    place = Place(block=2, row=900)
    assert place_line(place, job.layout, whole, job.done) is None
    job.advance(block=2, row=900)
    assert place_line(place, job.layout, whole, job.done) == job.layout.table_rows[2][900]
    assert "peer 899 " in job.layout.lines[job.layout.table_rows[2][900]].plain


@pytest.mark.parametrize(
    ("above", "indent"),
    [("- a list item\n\n", "  "), ("- a list item\n", ""), ("> a quote\n", ""), ("    indented code\n\n", "    ")],
)
def test_a_table_that_is_not_top_level_is_never_cut(above, indent):
    count = 9000
    rows = "".join(f"{indent}| {n} | cell |\n" for n in range(count))
    text = f"Intro.\n\n{above}{indent}| a | b |\n{indent}|---|---|\n" + rows + "\nAfter.\n"
    assert len(text) > LONG_CHAPTER_CHARS
    head = markdown_head(text)
    assert head is None or head.count("| cell |") in (0, count)


def test_document_head_cuts_a_long_table_to_its_first_rows():
    whole = parse_document(long_table_chapter(tail="## After\n\nMore.\n"))
    head = document_head(whole, 200)
    assert head.partial and len(head.blocks) == 3
    assert head.blocks[2].rows == whole.blocks[2].rows[:HEAD_TABLE_ROWS]
    assert [h.slug for h in head.headings] == ["attendance"]


def test_progress_inside_a_long_table_counts_its_rows():
    whole = parse_document(long_table_chapter())  # heading, paragraph, a 2,000-row table, paragraph
    layout = layout_document(whole, 80)
    rows = layout.table_rows[2]
    assert blocks_above(layout, whole, rows[1001]) == pytest.approx(2.5, abs=0.01)
    assert blocks_above(layout, whole, rows[0]) == 2.0
    assert blocks_above(layout, whole, layout.block_lines[1]) == 1.0
    assert blocks_above(layout, whole, layout.block_lines[3]) == 3.0
