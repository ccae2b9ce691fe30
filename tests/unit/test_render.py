"""Markdown to terminal lines: sanitising, markup-looking text, tables, code, lists, quotes, anchors, links, width."""

from __future__ import annotations

import re
import time

import pytest
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from peeragogy_tui.core.handbook import Handbook, load_handbook
from peeragogy_tui.core.render import Layout, layout_document, parse_document, plain_text
from peeragogy_tui.core.render.blocks import Code, Heading, ListBlock, Paragraph, Quote, Table
from peeragogy_tui.core.render.layout import MIN_COLUMN
from peeragogy_tui.core.sanitize import has_control, strip_control
from peeragogy_tui.paths import bundled_handbook_dir

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def styles_at(line: Text, offset: int) -> list[str | Style]:
    """Every style that applies to character ``offset`` of ``line``."""
    found: list[str | Style] = [line.style] if line.style else []
    found.extend(span.style for span in line.spans if span.start <= offset < span.end)
    return found


def style_names_at(line: Text, offset: int) -> set[str]:
    return {str(style) for style in styles_at(line, offset) if isinstance(style, str)}


def find_line(layout: Layout, needle: str) -> tuple[int, Text]:
    for number, line in enumerate(layout.lines):
        if needle in line.plain:
            return number, line
    raise AssertionError(f"{needle!r} not in {[l.plain for l in layout.lines]}")


def assert_fits(layout: Layout, width: int | None = None) -> None:
    width = width or layout.width
    for number, line in enumerate(layout.lines):
        assert cell_len(line.plain) <= width, f"line {number} is {cell_len(line.plain)} wide: {line.plain!r}"
        assert "\n" not in line.plain


# --- strip_control -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("a\x1b[31mred\x1b[0mb", "aredb"),
        ("a\x1b[38;2;255;0;0mx\x1b[m", "ax"),
        ("clear\x1b[2J\x1b[Hscreen", "clearscreen"),
        ("t\x1b]0;evil title\x07ext", "text"),
        ("t\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ext", "tlinkext"),
        ("a\x1bP1$qm\x1b\\b", "ab"),
        ("a\x1b_apc\x1b\\b", "ab"),
        ("a\x9b31mb", "ab"),
        ("a\x9d0;title\x9cb", "ab"),
        ("a\x90dcs\x9cb", "ab"),
        ("a\x85b\x8dc", "abc"),
        ("a\x1b(0b", "ab"),
        ("a\x1b7b\x1b8c", "abc"),
        ("a\x1bcb", "ab"),
        ("lone escape\x1b", "lone escape"),
        ("a\x00b\x01c\x07d\x08e\x0bf\x0cg\x1fh\x7fi", "abcdefghi"),
        ("windows\r\nline", "windows\nline"),
        ("over\rwrite", "overwrite"),
        ("tabs\tand\nnewlines\n", "tabs\tand\nnewlines\n"),
        ("plain text [bold] café 日本", "plain text [bold] café 日本"),
    ],
)
def test_strip_control(dirty: str, clean: str) -> None:
    assert strip_control(dirty) == clean
    assert not has_control(strip_control(dirty).replace("\t", "").replace("\n", ""))


@pytest.mark.parametrize("introducer", ["\x1b]", "\x1bP", "\x1b_", "\x9d", "\x90", "\x98", "\x9e", "\x9f"])
def test_unterminated_string_sequence_keeps_the_following_text(introducer: str) -> None:
    """A stray introducer (e.g. mojibake U+009D) must not swallow the rest of the paragraph."""
    cleaned = strip_control(f"before {introducer}0;payload\nthe rest of the chapter")
    assert cleaned.startswith("before ")
    assert cleaned.endswith("\nthe rest of the chapter")
    assert not has_control(cleaned.replace("\n", ""))


@pytest.mark.parametrize("unit", ["\x9d", "\x9dab", "\x1b]x", "\x1bP\x1b]", "\x90\x9d"])
def test_strip_control_is_linear_on_stray_introducers(unit: str) -> None:
    text = unit * 30_000
    start = time.perf_counter()
    cleaned = strip_control(text)
    assert time.perf_counter() - start < 1.0
    assert not has_control(cleaned)


def test_strip_control_is_idempotent_on_every_control_character() -> None:
    every = "".join(chr(code) for code in range(0xA0)) + "after"
    cleaned = strip_control(every)
    assert CONTROL.search(cleaned) is None
    assert "\x1b" not in cleaned
    assert cleaned.endswith("after")
    assert strip_control(cleaned) == cleaned


# --- Markup-looking text stays text -----------------------------------------------------------

MARKUP = ["[bold]", "[/]", "[@click=app.quit]", "[link=https://x.example]", "[red on white]", "[/bold]"]


@pytest.mark.parametrize("literal", MARKUP)
@pytest.mark.parametrize("template", ["{} in a paragraph {}", "# Heading {} {}", "- item {} {}", "> quote {} {}", "| a {} | b {} |\n|---|---|\n| {} | x |"])
def test_markup_is_never_interpreted(literal: str, template: str) -> None:
    markdown = template.replace("{}", literal) + "\n"
    document = parse_document(markdown)
    layout = layout_document(document, 60)
    joined = "\n".join(line.plain for line in layout.lines)
    assert literal in joined
    assert literal in plain_text(document, 60)
    for line in layout.lines:
        for span in line.spans:
            if isinstance(span.style, Style):
                assert not span.style.bold and span.style.color is None and span.style.link is None
                assert "@click" not in (span.style.meta or {})
            else:
                assert span.style.startswith("md."), span.style


def test_paragraph_of_markup_has_no_spans() -> None:
    document = parse_document("[bold]red[/] and [@click=app.quit]quit[/]\n")
    (paragraph,) = document.blocks
    assert isinstance(paragraph, Paragraph)
    assert paragraph.text.plain == "[bold]red[/] and [@click=app.quit]quit[/]"
    assert paragraph.text.spans == []
    for line in layout_document(document, 80).lines:
        assert line.spans == [] and not line.style


def test_control_sequences_never_reach_the_layout() -> None:
    markdown = (
        "# Ti\x1b[31mtle\x1b]0;pwn\x07\n\nPara\x1b[2J\x9b1m text \x07bell\n\n"
        "```\ncode\x1b[1m here\n```\n\n- it\x1bcem\n\n| h\x1b[m | x |\n|---|---|\n| c\x1b]8;;u\x1b\\ | y |\n"
        "\n[li\x1b[5mnk](http://e.example/\x1b[31m)\n"
    )
    document = parse_document(markdown)
    for width in (20, 80):
        for line in layout_document(document, width).lines:
            assert CONTROL.search(line.plain) is None, repr(line.plain)
    text = plain_text(document)
    assert "\x1b" not in text and CONTROL.search(text.replace("\n", "")) is None
    assert "Title" in text and "Para text bell" in text and "code here" in text
    assert all("\x1b" not in href for href in document.links)


# --- HTML left behind by pandoc ----------------------------------------------------------------


@pytest.mark.parametrize(
    "markdown",
    [
        'As shown by <span class="citation">Smith (2010)</span>, peers learn.\n',
        '<span class="citation">Smith (2010)</span> showed that peers learn.\n',
        '<div class="citation">\nSmith (2010)\n</div>\n',
    ],
)
def test_pandoc_citation_keeps_text_and_drops_tags(markdown: str) -> None:
    text = plain_text(parse_document(markdown))
    assert "Smith (2010)" in text
    assert "<" not in text and "citation" not in text and "span" not in text


def test_html_entities_and_breaks() -> None:
    text = plain_text(parse_document("Tom &amp; Jerry<br>next line\n\n<p>A &lt;tag&gt;</p>\n"))
    assert "Tom & Jerry\nnext line" in text
    assert "A <tag>" in text


# --- Tables ------------------------------------------------------------------------------------


def big_table(rows: int) -> str:
    lines = ["| Name | Description | Amount |", "|:--|:-:|--:|"]
    for number in range(rows):
        lines.append(f"| row {number} | {'lorem ipsum ' * (number % 9)}café 日本語 | {number * 7} |")
    return "\n".join(lines) + "\n"


def test_table_with_1000_rows() -> None:
    start = time.perf_counter()
    document = parse_document(big_table(1000))
    (table,) = document.blocks
    assert isinstance(table, Table)
    assert [cell.plain for cell in table.header] == ["Name", "Description", "Amount"]
    assert len(table.rows) == 1000
    for width in (24, 60, 120):
        layout = layout_document(document, width)
        assert_fits(layout, layout.wide or width)
        assert (layout.wide > width) == (width == 24), "at 24 cells the columns cannot shrink enough: it scrolls"
        plain = [line.plain for line in layout.lines]
        assert plain[0].startswith("┌") and plain[-1].startswith("└")
        assert sum(1 for line in plain if line.startswith("├")) == 1
        if width >= 60:
            assert any("row 999" in line for line in plain)
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize("width", [10, 15, 20, 33, 40, 80])
@pytest.mark.parametrize("columns", [1, 3, 6, 12])
def test_table_fits_any_width_or_keeps_readable_columns_and_scrolls(width: int, columns: int) -> None:
    header = "|" + "|".join(f" heading {n} " for n in range(columns)) + "|"
    rule = "|" + "---|" * columns
    row = "|" + "|".join(f" cell {n} with a few words " for n in range(columns)) + "|"
    layout = layout_document(parse_document("\n".join([header, rule, row, row]) + "\n"), width)
    table_width = cell_len(layout.lines[0].plain)
    assert len({cell_len(line.plain) for line in layout.lines}) == 1, "the grid stays intact"
    assert layout.lines[0].plain.startswith("┌") and layout.lines[-1].plain.endswith("┘")
    rows = [line.plain for line in layout.lines if line.plain.startswith("│")]
    assert rows and all(line.count("│") == columns + 1 for line in rows)
    inner = [len(cell) - 2 for cell in layout.lines[0].plain[1:-1].split("┬")]
    assert all(cells >= MIN_COLUMN for cells in inner), f"no column narrower than {MIN_COLUMN}: {inner}"
    if table_width <= width:
        assert layout.wide == 0
    else:
        assert layout.wide == table_width, "a table wider than the text is reported, to scroll sideways"
        assert 3 * columns + 1 + MIN_COLUMN * columns > width, "it is wider only when the columns cannot shrink"
    letters = sorted("".join(line.plain for line in layout.lines).replace(" ", ""))
    expected = sorted((header + row + row).replace("|", "").replace(" ", ""))
    assert [c for c in letters if c.isalnum()] == [c for c in expected if c.isalnum()], "no text is lost"


def test_table_alignment_and_cell_styles() -> None:
    markdown = "| Left | Middle | Right |\n|:--|:-:|--:|\n| a | b | c |\n| [x](x.md) | **y** | `z` |\n"
    document = parse_document(markdown)
    layout = layout_document(document, 60)
    number, line = find_line(layout, " a ")
    cells = line.plain.split("│")[1:-1]
    assert cells[0].startswith(" a") and cells[2].endswith("c ")
    assert cells[1].strip() == "b" and abs(cells[1].index("b") - (len(cells[1]) - 1) / 2) <= 1
    _, header = find_line(layout, "Left")
    assert "md.table_header" in style_names_at(header, header.plain.index("Left"))
    _, styled = find_line(layout, "x")
    assert "md.link" in style_names_at(styled, styled.plain.index("x"))
    assert "md.strong" in style_names_at(styled, styled.plain.index("y"))
    assert document.links == ["x.md"]


def test_table_border_style_does_not_leak_into_cells() -> None:
    layout = layout_document(parse_document("| Head |\n|---|\n| body text |\n"), 40)
    _, line = find_line(layout, "body text")
    offset = line.plain.index("body")
    assert "md.table_border" not in style_names_at(line, offset)
    assert "md.table_border" in style_names_at(line, 0)


# --- Code blocks -------------------------------------------------------------------------------


def test_code_block_is_verbatim_and_styled() -> None:
    code = 'def f():\n\tif x:\n        return "[bold]"  # not markup\n\n# not a heading'
    document = parse_document(f"```python\n{code}\n```\n")
    (block,) = document.blocks
    assert isinstance(block, Code) and block.info == "python"
    assert block.code == code.expandtabs(4)
    assert document.headings == []
    layout = layout_document(document, 60)
    assert len(layout.lines) == code.count("\n") + 1
    for line, source in zip(layout.lines, code.expandtabs(4).split("\n")):
        assert line.plain.rstrip() == (" " + source).rstrip()
        assert cell_len(line.plain) == 60, "code lines are padded to the full width"
        assert "md.code" in style_names_at(line, 1)


def test_long_code_lines_wrap_within_width() -> None:
    long = "x = " + "+".join(str(n) for n in range(200))
    document = parse_document(f"    {long}\n")
    layout = layout_document(document, 30)
    assert_fits(layout)
    assert all(cell_len(line.plain) == 30 for line in layout.lines)
    pieces = [line.plain[1:-1] for line in layout.lines]
    assert "".join(pieces).rstrip() == long, "code is folded character by character, never reflowed"


def test_code_keeps_spaces_at_fold_points() -> None:
    code = "a = 1          # " + "x" * 20 + "    y"
    layout = layout_document(parse_document(f"```\n{code}\n```\n"), 14)
    assert "".join(line.plain[1:-1] for line in layout.lines).rstrip() == code


# --- Lists and quotes ---------------------------------------------------------------------------


def test_lists() -> None:
    markdown = "- apple\n- banana\n  - inner one\n  - inner two\n\n3. third\n4. fourth\n"
    document = parse_document(markdown)
    bullets, ordered = document.blocks
    assert isinstance(bullets, ListBlock) and not bullets.ordered and len(bullets.items) == 2
    assert isinstance(ordered, ListBlock) and ordered.ordered and ordered.start == 3
    lines = [line.plain for line in layout_document(document, 40).lines]
    assert "• apple" in lines and "• banana" in lines
    inner = [line for line in lines if "inner" in line]
    assert len(inner) == 2 and all(line.startswith("  ") and "◦ inner" in line for line in inner)
    assert "3. third" in lines and "4. fourth" in lines


def test_long_list_items_wrap_under_their_text() -> None:
    words = " ".join(f"word{n}" for n in range(40))
    layout = layout_document(parse_document(f"1. {words}\n"), 30)
    assert_fits(layout)
    assert layout.lines[0].plain.startswith("1. word0")
    assert all(line.plain.startswith("   ") for line in layout.lines[1:])
    assert " ".join(line.plain.strip() for line in layout.lines).replace("1. ", "", 1) == words


def test_list_marker_style_does_not_leak_into_item_text() -> None:
    layout = layout_document(parse_document("- plain item\n  - nested item\n"), 40)
    for needle in ("plain item", "nested item"):
        _, line = find_line(layout, needle)
        assert "md.bullet" not in style_names_at(line, line.plain.index(needle)), needle
        marker = line.plain.strip()[0]
        assert "md.bullet" in style_names_at(line, line.plain.index(marker))


def test_block_quotes() -> None:
    document = parse_document("> first paragraph\n>\n> second *em*\n>> nested\n")
    (quote,) = document.blocks
    assert isinstance(quote, Quote) and len(quote.children) == 3
    layout = layout_document(document, 40)
    assert all(line.plain.startswith("▌ ") for line in layout.lines)
    _, nested = find_line(layout, "nested")
    assert nested.plain.startswith("▌ ▌ ")
    _, line = find_line(layout, "first paragraph")
    offset = line.plain.index("first")
    assert "md.quote" in style_names_at(line, offset)
    assert "md.rule" not in style_names_at(line, offset), "the bar's style leaks into the text"
    _, em = find_line(layout, "second")
    assert "md.em" in style_names_at(em, em.plain.index("em"))


# --- Headings and anchors ----------------------------------------------------------------------


def test_headings_get_anchors_at_their_line() -> None:
    markdown = (
        "# Top\n\nIntro " + "words " * 40 + "\n\n## The Knowledge Café\n\n- a\n- b\n\n"
        "### Deep *one*\n\n```\ncode\n```\n\n## Top\n\nEnd.\n"
    )
    document = parse_document(markdown)
    assert [h.slug for h in document.headings] == ["top", "the-knowledge-cafe", "deep-one", "top-1"]
    for width in (20, 50, 100):
        layout = layout_document(document, width)
        assert set(layout.anchors) == {h.slug for h in document.headings}
        for heading in document.headings:
            line = layout.lines[layout.anchors[heading.slug]]
            assert line.plain == heading.text.plain[: len(line.plain)]
            assert heading.text.plain.startswith(line.plain)
        assert layout.anchors["top"] < layout.anchors["the-knowledge-cafe"] < layout.anchors["top-1"]


def test_block_lines_map_back_to_blocks() -> None:
    document = parse_document("# A\n\npara one\n\n- x\n- y\n\npara two\n")
    layout = layout_document(document, 30)
    assert len(layout.block_lines) == len(document.blocks)
    for index, first in enumerate(layout.block_lines):
        assert layout.block_at(first) == index
    assert layout.block_at(len(layout.lines) - 1) == len(document.blocks) - 1


# --- Links -------------------------------------------------------------------------------------


def test_links_carry_their_index_in_style_meta() -> None:
    markdown = (
        "See [the first link](a.md) and [second](b.md#x), then a long line "
        + "filler " * 20
        + "[a third link that wraps across lines](https://example.org/).\n\n- [in a list](c.md)\n"
    )
    document = parse_document(markdown)
    assert document.links == ["a.md", "b.md#x", "https://example.org/", "c.md"]
    texts = ["the first link", "second", "a third link that wraps across lines", "in a list"]
    layout = layout_document(document, 30)
    covered: dict[int, str] = {}
    for line in layout.lines:
        for span in line.spans:
            if isinstance(span.style, Style) and "link" in (span.style.meta or {}):
                index = span.style.meta["link"]
                covered[index] = (covered.get(index, "") + " " + line.plain[span.start : span.end]).strip()
                assert "md.link" in style_names_at(line, span.start)
    assert sorted(covered) == [0, 1, 2, 3]
    for index, text in enumerate(texts):
        assert " ".join(covered[index].split()) == text


def test_images_show_their_alt_text() -> None:
    text = plain_text(parse_document("Look: ![a diagram](d.png) and ![](e.png)\n"))
    assert "[image: a diagram]" in text and "[image]" in text


# --- Width -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Handbook:
    return load_handbook(bundled_handbook_dir())


@pytest.mark.parametrize("width", [10, 24, 41, 80, 132])
def test_bundled_chapters_fit_the_width(bundled: Handbook, width: int) -> None:
    for chapter in bundled.chapters:
        document = parse_document(chapter.body)
        layout = layout_document(document, width)
        assert layout.width == width
        table_lines = {
            number
            for index, block in enumerate(document.blocks)
            if isinstance(block, Table)
            for number in range(layout.block_lines[index], _block_end(layout, index))
        }
        for number, line in enumerate(layout.lines):
            if number not in table_lines:  # a table too wide for the width scrolls sideways instead
                assert cell_len(line.plain) <= width, f"{chapter.id} line {number}: {line.plain!r}"
        assert_fits(layout, max(width, layout.wide))
        assert layout.lines, chapter.id
        text = plain_text(document, width)
        assert "\x1b" not in text and CONTROL.search(text.replace("\n", "")) is None
        assert all(cell_len(line) <= max(width, layout.wide) for line in text.splitlines())


def _block_end(layout: Layout, index: int) -> int:
    return layout.block_lines[index + 1] if index + 1 < len(layout.block_lines) else len(layout.lines)


def test_tiny_widths_are_clamped() -> None:
    layout = layout_document(parse_document("# Heading\n\nSome text that wraps.\n"), 3)
    assert layout.width == 10
    assert_fits(layout)


def test_wide_characters_count_as_two_cells() -> None:
    text = "日本語のテキスト" * 10
    layout = layout_document(parse_document(text + "\n"), 21)
    assert_fits(layout)
    assert "".join(line.plain for line in layout.lines) == text


@pytest.mark.parametrize("markdown", ["", "\n\n", "# \n", "---\n", "> \n", "- \n", "|a|\n|-|\n", "```\n```\n", "<!-- c -->\n"])
def test_odd_input_never_raises(markdown: str) -> None:
    document = parse_document(markdown)
    layout = layout_document(document, 20)
    assert_fits(layout)
    assert isinstance(plain_text(document), str)


def test_every_block_kind_is_parsed() -> None:
    document = parse_document("# H\n\np\n\n```\nc\n```\n\n---\n\n> q\n\n- l\n\n|t|\n|-|\n|r|\n")
    kinds = [type(block).__name__ for block in document.blocks]
    assert kinds == ["Heading", "Paragraph", "Code", "Rule", "Quote", "ListBlock", "Table"]
    assert isinstance(document.blocks[0], Heading) and document.blocks[0].level == 1


def test_relayout_never_restyles_the_parsed_document():
    """A quote laid out twice must not pile styles onto the parsed Text."""
    from peeragogy_tui.core.render import layout_document, parse_document

    document = parse_document("> one short line\n")
    quote = document.blocks[0]
    paragraph = quote.children[0]
    before = list(paragraph.text.spans)
    for width in (40, 60, 40):
        layout_document(document, width)
    assert list(paragraph.text.spans) == before
