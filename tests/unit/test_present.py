"""Presenter mode's pure layout: column width and spacing per zoom step, big headings, marked links."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.style import Style
from rich.text import Span, Text

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.render import layout_document, parse_document
from peeragogy_tui.core.render.layout import make_console
from peeragogy_tui.core.render.present import (
    LINK_MARK,
    ZOOM_DEFAULT,
    ZOOM_MAX,
    ZOOM_MIN,
    block_gap,
    clamp_zoom,
    mark_links,
    present_heading,
    present_width,
    spaced_upper,
)
from peeragogy_tui.paths import bundled_handbook_dir

ZOOMS = range(ZOOM_MIN, ZOOM_MAX + 1)


def styles_over(text: Text, start: int, end: int) -> set[str]:
    """Role names of spans covering all of ``start:end``."""
    return {str(s.style) for s in text.spans if s.start <= start and end <= s.end and isinstance(s.style, str)}


def link_targets_over(text: Text, start: int, end: int) -> set[int]:
    return {
        s.style.meta["link"]
        for s in text.spans
        if isinstance(s.style, Style) and s.style.meta and s.start <= start and end <= s.end
    }


# --- zoom geometry ------------------------------------------------------------------------------


def test_zoom_range_and_default():
    assert ZOOM_MIN < ZOOM_DEFAULT < ZOOM_MAX
    assert clamp_zoom(ZOOM_MAX + 5) == ZOOM_MAX
    assert clamp_zoom(ZOOM_MIN - 5) == ZOOM_MIN
    assert clamp_zoom(1) == 1


@pytest.mark.parametrize("available", [30, 60, 80, 99, 100, 160, 300])
def test_zooming_in_narrows_the_column_and_it_always_fits(available):
    widths = [present_width(available, zoom) for zoom in ZOOMS]
    assert widths == sorted(widths, reverse=True)
    assert all(8 <= width <= available - 4 for width in widths)


def test_zoom_changes_the_width_on_a_shared_100_column_screen():
    widths = [present_width(98, zoom) for zoom in ZOOMS]
    assert len(set(widths)) == len(widths)  # every step visibly changes it
    assert widths[0] > 80 and widths[-1] < 50


def test_zooming_in_adds_space_between_blocks():
    gaps = [block_gap(zoom) for zoom in ZOOMS]
    assert gaps == sorted(gaps)
    assert gaps[0] == 1 and gaps[-1] >= 3


def test_gap_is_the_number_of_blank_lines_between_blocks():
    document = parse_document("First.\n\nSecond.\n\nThird.")
    for gap in (1, 2, 3):
        lines = [line.plain for line in layout_document(document, 40, presenting=True, gap=gap).lines]
        assert lines == ["First."] + [""] * gap + ["Second."] + [""] * gap + ["Third."]


# --- spaced capitals ----------------------------------------------------------------------------


def test_spaced_upper_spaces_letters_and_words():
    assert spaced_upper(Text("Knowledge Café")).plain == "K N O W L E D G E   C A F É"
    assert spaced_upper(Text("Knowledge Café"), spaced=False).plain == "KNOWLEDGE CAFÉ"


def test_spaced_upper_keeps_styles_and_link_targets_on_their_letters():
    text = Text("see docs now", spans=[Span(4, 8, "md.link"), Span(4, 8, Style(meta={"link": 3}))])
    big = spaced_upper(text)
    start = big.plain.index("D")
    end = big.plain.index("S", start) + 1
    assert big.plain[start:end] == "D O C S"
    assert "md.link" in styles_over(big, start, end)
    assert link_targets_over(big, start, end) == {3}
    assert not styles_over(big, start - 1, start)  # the gap before the word stays plain


def test_spaced_upper_keeps_combining_marks_on_their_letter_and_grows_with_case():
    assert spaced_upper(Text("Cafe\u0301")).plain == "C A F E\u0301"
    assert spaced_upper(Text("Straße"), spaced=False).plain == "STRASSE"
    styled = spaced_upper(Text("aß b", spans=[Span(1, 2, "md.em")]), spaced=False)
    assert styled.plain == "ASS B"
    assert styles_over(styled, 1, 3) == {"md.em"}


# --- links --------------------------------------------------------------------------------------


def test_every_link_is_marked_and_the_mark_follows_the_link():
    document = parse_document("See [one](a.md) and [two](b.md#x).")
    text = document.blocks[0].text
    marked = mark_links(text)
    assert marked.plain == f"See one{LINK_MARK} and two{LINK_MARK}."
    first = marked.plain.index(LINK_MARK)
    second = marked.plain.rindex(LINK_MARK)
    for at, index in ((first, 0), (second, 1)):
        assert "md.link" in styles_over(marked, at, at + len(LINK_MARK))
        assert link_targets_over(marked, at, at + len(LINK_MARK)) == {index}
    assert document.blocks[0].text.plain == "See one and two."  # the parsed document is not changed


def test_text_without_links_is_left_alone():
    text = Text("plain *text*", spans=[Span(6, 12, "md.em")])
    assert mark_links(text) is text


def test_links_are_marked_in_lists_quotes_and_tables_when_presenting():
    markdown = "- item [a](a.md)\n\n> quoted [b](b.md)\n\n| c |\n|---|\n| [d](d.md) |\n"
    lines = [line.plain for line in layout_document(parse_document(markdown), 40, presenting=True).lines]
    for word in ("a", "b", "d"):
        assert any(f"{word}{LINK_MARK}" in line for line in lines), (word, lines)
    plain = [line.plain for line in layout_document(parse_document(markdown), 40).lines]
    assert not any(LINK_MARK in line for line in plain)


# --- headings -----------------------------------------------------------------------------------


def test_h1_is_a_centred_band_between_heavy_rules():
    console = make_console(40)
    lines = present_heading(1, Text("Convening"), 40, console, lambda t, w, c: [t])
    assert [line.plain for line in lines] == [
        "━" * 40,
        " " * 40,
        "C O N V E N I N G".center(40),
        " " * 40,
        "━" * 40,
    ]
    assert {str(s.style) for s in lines[1].spans} == {"md.band"}
    assert "md.band" in styles_over(lines[2], 0, 40)
    start = lines[2].plain.index("C")
    assert "md.h1" in styles_over(lines[2], start, start + 1)


def test_h2_is_spaced_capitals_between_rules():
    layout = layout_document(parse_document("Intro.\n\n## Share the roles\n\nBody."), 50, presenting=True)
    plain = [line.plain for line in layout.lines]
    at = plain.index("S H A R E   T H E   R O L E S")
    assert plain[at - 1] == plain[at + 1] == "─" * 50
    assert layout.anchors["share-the-roles"] == at - 1  # a jump lands on the whole heading


def test_a_long_heading_falls_back_to_wrapped_capitals_that_fit():
    title = "A heading that is far too long to be letter spaced on one line of this width"
    layout = layout_document(parse_document(f"# {title}\n\n## {title}"), 40, presenting=True)
    for line in layout.lines:
        assert cell_len(line.plain) <= 40
    joined = " ".join(line.plain.strip() for line in layout.lines)
    assert "FAR TOO LONG" in joined
    assert "F A R" not in joined


def test_smaller_headings_keep_their_normal_look():
    layout = layout_document(parse_document("### Small one"), 40, presenting=True)
    assert [line.plain for line in layout.lines] == ["Small one"]


def test_rules_and_bands_carry_their_role_as_a_span():
    # Rich's Text.render ignores the base style of a line that has no spans.
    console = make_console(30, {"md.h1": Style(bold=True), "md.band": Style(reverse=True), "md.rule": Style(dim=True)})
    layout = layout_document(parse_document("# Title\n\n## Sub"), 30, console, presenting=True)
    for line in layout.lines:
        if line.plain.strip(" ━─") == "" and line.plain:
            segments = list(line.render(console))
            assert all(segment.style for segment in segments), line.plain


# --- the whole bundled handbook -----------------------------------------------------------------


@pytest.mark.parametrize("width", [24, 45, 71])
def test_every_bundled_chapter_fits_when_presenting(width):
    handbook = load_handbook(bundled_handbook_dir())
    for chapter in handbook.chapters:
        layout = layout_document(parse_document(chapter.body), width, presenting=True, gap=2)
        for number, line in enumerate(layout.lines):
            # Only a table too wide for the column is wider (it scrolls sideways), never past layout.wide.
            if cell_len(line.plain) > width:
                assert line.plain[0] in "┌│├└" and cell_len(line.plain) <= layout.wide, (chapter.id, number)
            assert "\n" not in line.plain
        assert set(layout.anchors.values()) <= set(range(len(layout.lines)))
