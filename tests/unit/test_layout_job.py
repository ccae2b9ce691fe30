"""A chapter laid out a slice at a time is the same as laid out at once, and places are found in it."""

from __future__ import annotations

from dataclasses import replace

from peeragogy_tui.core.render import layout_document, parse_document
from peeragogy_tui.core.render.places import Place, place_line
from peeragogy_tui.core.render.progressive import LayoutJob, layout_weight, retired_pieces
from peeragogy_tui.core.search.matching import GrowingMatches, find_matches

TABLE = "| a | b |\n|---|---|\n" + "".join(f"| row {n} | cell {n} |\n" for n in range(100))
CODE = "```\n" + "".join(f"line {n}\n" for n in range(700)) + "```\n"
MARKDOWN = (
    "# Top\n\nIntro with a [link](x.md).\n\n"
    + TABLE
    + "\n## Middle\n\n"
    + CODE
    + "\n- a\n- b\n\n> quoted\n\n"
    + "\n\n".join(f"Paragraph {n} says quokka {n}." for n in range(200))
    + "\n\n## Bottom\n\nThe end, with a note.[^1] And another.[^1]\n\n[^1]: The note.\n"
)


def plains(lines):
    return [line.plain for line in lines]


def test_slices_make_exactly_the_whole_layout_and_never_change_what_is_laid_out():
    document = parse_document(MARKDOWN)
    whole = layout_document(document, 40)
    job = LayoutJob(document, 40)
    seen: list[str] = []
    steps = 0
    while not job.advance(lines=len(job.layout.lines) + 5):
        steps += 1
        now = plains(job.layout.lines)
        assert now[: len(seen)] == seen, "lines already laid out never change"
        seen = now
    assert steps > 30, "tables and code blocks come in pieces, not whole"
    assert plains(job.layout.lines) == plains(whole.lines)
    assert [line.spans for line in job.layout.lines] == [line.spans for line in whole.lines]
    assert job.layout.anchors == whole.anchors
    assert "fn-1" in whole.anchors and "fnref-1-2" in whole.anchors, "footnote anchors are laid out too"
    assert job.layout.block_lines == whole.block_lines


def test_advance_stops_at_a_block_or_heading_and_finish_lays_out_the_rest():
    document = parse_document(MARKDOWN)
    job = LayoutJob(document, 60)
    job.advance(anchor="middle")
    assert "middle" in job.layout.anchors and "bottom" not in job.layout.anchors
    job.advance(block=10)
    assert len(job.layout.block_lines) == 11
    assert not job.done
    assert job.advance(seconds=0.0) is False, "no time: nothing more, not done"
    assert plains(job.finish().lines) == plains(layout_document(document, 60).lines)
    assert job.done


def test_place_line_waits_for_its_line_then_falls_back_like_a_missing_heading():
    document = parse_document(MARKDOWN)
    whole = layout_document(document, 60)
    job = LayoutJob(document, 60)
    job.advance(lines=5)
    deep = Place(block=len(document.blocks) - 1)
    assert place_line(deep, job.layout, document, job.done) is None
    assert place_line(Place(anchor="bottom", block=0), job.layout, document, job.done) is None
    assert place_line(Place(anchor="no-such-heading", block=0), job.layout, document, job.done) == 0
    assert place_line(Place(line=3), job.layout, document, job.done) == 3
    job.finish()
    assert place_line(deep, job.layout, document, True) == whole.block_lines[-1]
    assert place_line(Place(anchor="bottom"), job.layout, document, True) == whole.anchors["bottom"]
    assert place_line(Place(block=10_000), job.layout, document, True) == whole.block_lines[-1]


def test_growing_matches_equal_matching_the_whole_text_at_once():
    lines = plains(layout_document(parse_document(MARKDOWN), 30).lines)
    whole = find_matches("\n".join(lines), "quokka", body_line=0)
    growing = GrowingMatches("quokka")
    for start in range(0, len(lines), 7):
        growing.extend(lines[start : start + 7])
    assert [(m.line, m.start, m.end) for m in growing.matches] == [(m.line, m.start, m.end) for m in whole]
    assert len(whole) == 200
    assert sum(len(spans) for spans in growing.line_spans.values()) == 200


def test_layout_weight_counts_table_rows_and_code_lines():
    document = parse_document(MARKDOWN)
    assert layout_weight(document) >= len(document.blocks) + 100 + 700 // 16
    assert 10 < layout_weight(document, limit=10) <= layout_weight(document)


def test_a_wide_table_comes_a_few_rows_a_piece_so_a_slice_can_end_on_time():
    """A piece of a 20-column table is about 64 cells (three rows), and finding the column widths
    of 1,000 rows is itself cut into pieces: no piece holds the slice up for long."""
    columns = 20
    header = "|" + "|".join(f" c{n} " for n in range(columns)) + "|\n|" + "---|" * columns + "\n"
    body = "".join("|" + "|".join(f" r{row}c{n} " for n in range(columns)) + "|\n" for row in range(1000))
    document = parse_document(header + body)
    job = LayoutJob(document, 200)
    rows_per_step: list[int] = []
    while not job.done:
        before = len(job.layout.table_rows.get(0, []))
        job._step()
        rows_per_step.append(len(job.layout.table_rows.get(0, [])) - before)
    assert max(rows_per_step) == 64 // columns
    assert rows_per_step[:2] == [0, 0], "the column widths are measured in pieces first"
    assert sum(rows_per_step) == 1001  # the header and every row
    assert plains(job.layout.lines) == plains(layout_document(document, 200).lines)


def test_retired_pieces_hold_every_line_in_order_in_small_pieces_and_leave_the_layout_alone():
    layout = layout_document(parse_document(MARKDOWN), 40)
    before = list(layout.lines)
    pieces = retired_pieces(layout, per_piece=64)
    assert len(pieces) == -(-len(before) // 64) > 1
    assert all(1 <= len(piece) <= 64 for piece in pieces)
    assert [id(line) for piece in pieces for line in piece] == [id(line) for line in before]
    assert layout.lines == before, "a caller still holding the layout sees every line"
    assert retired_pieces(LayoutJob(parse_document(""), 40).layout) == []


def test_a_table_is_measured_once_and_laid_out_at_a_new_width_as_if_fresh():
    wide = "| name | note |\n|---|---|\n" + "".join(f"| row {n} | {'word ' * (n % 9)}end |\n" for n in range(60))
    document = parse_document(wide)
    table = document.blocks[0]
    assert table.natural_widths is None
    layout_document(document, 80)
    assert table.natural_widths == [len("row 59"), len("word " * 8 + "end")]
    for width in (30, 50, 120):
        again = layout_document(document, width)
        fresh = layout_document(parse_document(wide), width)
        assert plains(again.lines) == plains(fresh.lines)
    assert replace(table, rows=table.rows[:3]).natural_widths is None, "a cut copy measures its own rows"
