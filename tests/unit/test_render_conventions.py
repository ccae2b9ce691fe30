"""Markdown that real handbooks use: footnotes, alerts, definition and task lists, autolinks, HTML, includes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.render import layout_document, parse_document, plain_text
from peeragogy_tui.core.render.blocks import Alert, Definitions, Directive, ListBlock, Notes, Quote
from peeragogy_tui.core.render.codec import decode, encode
from peeragogy_tui.core.render.document_cache import StartupDocument
from peeragogy_tui.core.search.extract import markdown_to_plain, scan_headings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BOOK = FIXTURES / "markdown-book"


def chapter_document(name: str):
    handbook = load_handbook(BOOK)
    chapter = handbook.find(name)
    assert chapter is not None, name
    return parse_document(chapter.body, source=chapter.path, root=handbook.root)


def link_at(line: Text, needle: str, links: list[str]) -> str | None:
    at = line.plain.index(needle)
    for span in line.spans:
        if span.start <= at < span.end and isinstance(span.style, Style) and span.style.meta:
            return links[span.style.meta["link"]]
    return None


def roles_at(line: Text, needle: str) -> set[str]:
    at = line.plain.index(needle)
    return {str(span.style) for span in line.spans if span.start <= at < span.end and isinstance(span.style, str)}


def line_with(lines: list[Text], needle: str, start: int = 0) -> int:
    for number in range(start, len(lines)):
        if needle in lines[number].plain:
            return number
    raise AssertionError(f"{needle!r} not in {[line.plain for line in lines]}")


# --------------------------------------------------------------------------- footnotes


def test_footnotes_are_numbered_in_order_with_the_notes_at_the_end() -> None:
    document = chapter_document("footnotes")
    text = plain_text(document, 70)
    assert "history.[1]" in text and "longer,[2]" in text and "twice.[1]" in text
    assert "[^" not in text
    notes = document.blocks[-1]
    assert isinstance(notes, Notes) and [note.number for note in notes.notes] == [1, 2]
    tail = text[text.index("──────") :]
    assert "[1] Learning circles go back" in tail
    assert "They kept going in libraries" in tail  # the second paragraph of the note
    assert tail.index("[1] Learning") < tail.index("[2] A finding")


def test_a_footnote_reference_links_to_its_note_and_the_note_links_back() -> None:
    document = chapter_document("footnotes")
    layout = layout_document(document, 70)
    ref_line = line_with(layout.lines, "history.[1]")
    assert link_at(layout.lines[ref_line], "[1]", document.links) == "#fn-1"
    assert "md.footnote_ref" in roles_at(layout.lines[ref_line], "[1]")
    note_line = layout.anchors["fn-1"]
    assert layout.lines[note_line].plain.startswith("[1] Learning circles")
    assert layout.lines[layout.anchors["fn-2"]].plain.startswith("[2] A finding")
    back_line = line_with(layout.lines, "↩", note_line)
    back = layout.lines[back_line]
    assert link_at(back, "↩", document.links) == "#fnref-1"
    assert layout.anchors["fnref-1"] == ref_line
    # The note is cited twice: its second back link goes to the second reference.
    assert link_at(back, "↩2", document.links) == "#fnref-1-2"
    second = line_with(layout.lines, "twice.[1]")
    assert layout.anchors["fnref-1-2"] == second


# --------------------------------------------------------------------------- alerts


@pytest.mark.parametrize("kind", ["note", "tip", "important", "warning", "caution"])
def test_github_alerts_are_labelled_boxes(kind: str) -> None:
    document = parse_document(f"> [!{kind.upper()}]\n> Body of the {kind}.\n")
    (alert,) = document.blocks
    assert isinstance(alert, Alert) and alert.kind == kind
    layout = layout_document(document, 40)
    lines = [line.plain for line in layout.lines]
    assert lines[0].startswith(f"╭─ {kind.capitalize()} ") and lines[0].endswith("╮")
    assert lines[1].startswith("│ Body of the") and lines[1].endswith("│")
    assert lines[-1].startswith("╰") and lines[-1].endswith("╯")
    assert {cell_len(line) for line in lines} == {40}
    assert f"md.alert_{kind}" in roles_at(layout.lines[0], "╭")
    assert "[!" not in plain_text(document)


def test_obsidian_callouts_keep_their_title_and_map_their_kind() -> None:
    document = chapter_document("alerts")
    faq = [block for block in document.blocks if isinstance(block, Alert)][-1]
    assert faq.kind == "important" and faq.title.plain == "Can I fold this?"
    text = plain_text(document, 60)
    assert "╭─ Important: Can I fold this? " in text
    assert isinstance(document.blocks[-1], Quote)  # an ordinary quote stays a quote
    assert "▌ An ordinary quote." in text


def test_an_alert_nests_its_blocks_and_wraps_inside_the_box() -> None:
    document = parse_document("> [!WARNING]\n> " + "word " * 30 + "\n>\n> - a list\n")
    lines = [line.plain for line in layout_document(document, 30).lines]
    assert all(cell_len(line) == 30 for line in lines)
    assert any("• a list" in line for line in lines)


# --------------------------------------------------------------------------- lists, strike, links


def test_definition_lists_show_terms_and_their_definitions() -> None:
    document = chapter_document("extended")
    (definitions,) = [block for block in document.blocks if isinstance(block, Definitions)]
    term, bodies = definitions.items[0]
    assert term.plain == "Convener" and len(bodies) == 2
    lines = layout_document(document, 60).lines
    number = line_with(lines, "Convener")
    assert "md.term" in roles_at(lines[number], "Convener")
    assert lines[number + 1].plain == "  : The person who calls the group together."
    assert lines[number + 3].plain == "    They also close it."
    assert lines[number + 4].plain == "  : Also called a host."


def test_task_lists_show_their_boxes_in_words() -> None:
    document = chapter_document("extended")
    (tasks,) = [block for block in document.blocks if isinstance(block, ListBlock)]
    assert tasks.checks == [False, True]
    text = plain_text(document)
    assert "[ ] Book a room" in text and "[x] Send the invite" in text


def test_strikethrough_and_bare_autolinks() -> None:
    document = chapter_document("extended")
    lines = layout_document(document, 100).lines
    number = line_with(lines, "Old plan")
    assert "md.strike" in roles_at(lines[number], "Old plan")
    assert link_at(lines[number], "https://peeragogy.org", document.links) == "https://peeragogy.org"
    assert link_at(lines[number], "www.example.org", document.links) == "http://www.example.org"


# --------------------------------------------------------------------------- raw HTML


def test_html_images_show_alt_text_and_style_and_script_never_appear() -> None:
    document = chapter_document("extended")
    text = plain_text(document, 100)
    assert "Logo: [image: Peeragogy logo] and kept words." in text
    assert "color: red" not in text and "never shown" not in text and "alert(" not in text
    assert "<" not in text
    lines = layout_document(document, 100).lines
    assert "md.image" in roles_at(lines[line_with(lines, "[image:")], "[image:")


def test_details_summary_reads_as_its_summary_then_the_markdown_inside() -> None:
    text = plain_text(chapter_document("extended"), 100)
    assert "More about rooms" in text and "Rooms can be online." in text


def test_an_html_block_image_and_entities() -> None:
    document = parse_document('<p align="center">\n  <img src="a.png" alt="Team &amp; friends">\n</p>\n\nafter\n')
    lines = layout_document(document, 60).lines
    assert lines[0].plain == "[image: Team & friends]"
    assert "md.image" in roles_at(lines[0], "[image")
    assert "<script>" not in plain_text(parse_document("<div><script>x()</script>visible</div>"))
    assert plain_text(parse_document("<div><script>x()</script>visible</div>")).strip() == "visible"


# --------------------------------------------------------------------------- includes and directives


def test_includes_inside_the_handbook_folder_are_included() -> None:
    document = chapter_document("includes")
    text = plain_text(document, 80)
    assert "fn main() {" in text and text.count('println!("hello, peers");') == 3
    assert "ANCHOR" not in text
    assert "Shared text pulled in from another file." in text
    assert str(BOOK / "listings" / "main.rs") in document.includes


def test_an_include_outside_the_handbook_folder_is_refused_visibly() -> None:
    document = chapter_document("includes")
    text = plain_text(document, 200)
    assert "SECRET" not in text
    assert "{{#include ../outside-secret.txt}} (outside the handbook folder, not included)" in text
    assert "{{#include listings/missing.md}} (no such file)" in text


def test_other_directives_are_one_dim_line_naming_them() -> None:
    document = chapter_document("includes")
    directives = [block.text for block in document.blocks if isinstance(block, Directive)]
    assert "{{#rustdoc_include listings/main.rs:all}}" in directives
    assert "{% include footer.html %}" in directives
    lines = layout_document(document, 100).lines
    assert "md.directive" in roles_at(lines[line_with(lines, "rustdoc_include")], "rustdoc_include")


def test_includes_select_lines_and_stop_at_a_loop(tmp_path: Path) -> None:
    (tmp_path / "code.txt").write_text("one\ntwo\nthree\nfour\n")
    (tmp_path / "loop.md").write_text("loop {{#include loop.md}}\n")
    chapter = tmp_path / "chapter.md"
    cases = {
        "{{#include code.txt:2}}": "two",
        "{{#include code.txt:2:3}}": "two\nthree",
        "{{#include code.txt::2}}": "one\ntwo",
        "{{#include code.txt:3:}}": "three\nfour",
    }
    for directive, expected in cases.items():
        document = parse_document(f"```\n{directive}\n```\n", source=chapter, root=tmp_path)
        assert document.blocks[0].code == expected, directive  # type: ignore[union-attr]
    looped = plain_text(parse_document("{{#include loop.md}}\n", source=chapter, root=tmp_path), 300)
    assert "includes nest deeper than 10" in looped
    # Without a handbook folder nothing is read.
    assert "not included" not in plain_text(parse_document("x", source=chapter))
    assert "no handbook folder" in plain_text(parse_document("{{#include code.txt}}\n", source=chapter))


def test_a_document_with_includes_is_not_kept_in_the_startup_cache(tmp_path: Path) -> None:
    document = chapter_document("includes")
    cache = StartupDocument(BOOK, "")
    cache.save("includes", "body", document)
    assert not cache.path.exists()
    plain = chapter_document("footnotes")
    cache.save("footnotes", "body", plain)
    assert cache.path.exists()


@pytest.mark.parametrize("name", ["footnotes", "alerts", "extended", "includes"])
def test_the_new_blocks_survive_the_document_codec(name: str) -> None:
    document = chapter_document(name)
    decoded = decode(encode(document))
    assert decoded is not None
    assert decoded.blocks == document.blocks and decoded.links == document.links


# --------------------------------------------------------------------------- search snippets


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("See [the long link\ntext](https://example.com/x) here.", "See the long link\ntext here."),
        ("an _emphasis_ and snake_case", "an emphasis and snake_case"),
        ("`RefCell<T>` and `a_b_`", "RefCell<T> and a_b_"),
        ("cited[^1] once", "cited once"),
        ("[^1]: The note text.", " The note text."),
        ("> [!NOTE]\n> body", "Note\nbody"),
        ('<img src="x.png" alt="A cat">', " A cat "),
        ("<style>\nbody { color: red }\n</style>", "\n\n"),
        ("{{#include foo.md}}\n{% include x.html %}", "include foo.md\ninclude x.html"),
        ("Term\n: Definition", "Term\n Definition"),
    ],
)
def test_search_text_has_no_markdown_syntax(markdown: str, expected: str) -> None:
    assert markdown_to_plain(markdown) == expected
    assert markdown_to_plain(markdown).count("\n") == markdown.count("\n")


def test_search_headings_keep_code_spans() -> None:
    assert scan_headings("## Using `Rc<RefCell<T>>`\n") == ["Using Rc<RefCell<T>>"]


def test_search_snippets_through_the_index_show_text_only(tmp_path: Path) -> None:
    from peeragogy_tui.core.search import index_for

    body = (
        "# Cells\n\nThe [interior mutability\nchapter](https://doc.rust-lang.org/book/ch15-05.html) explains\n"
        "_why_ a `RefCell<T>` helps wombats.[^1]\n\n> [!TIP]\n> Wombats <b>like</b> it.\n\n[^1]: Wombat footnote.\n"
    )
    (tmp_path / "cells.md").write_text(body, encoding="utf-8")
    with index_for(tmp_path, None, include_exercises=False) as index:
        snippets = " ".join(hit.snippet for hit in index.search("wombats", lines=True)) + " ".join(
            hit.snippet for hit in index.search("mutability")
        )
        footnote = index.search("footnote")
    assert "RefCell<T>" in snippets and "](" not in snippets and "_why_" not in snippets
    assert "[^" not in snippets and "[!" not in snippets and "<b>" not in snippets
    assert footnote and "Wombat footnote" in footnote[0].snippet


def test_presenter_mode_marks_no_footnote_link_as_a_web_link() -> None:
    from peeragogy_tui.core.render.present import LINK_MARK

    document = chapter_document("footnotes")
    text = "\n".join(line.plain for line in layout_document(document, 70, presenting=True).lines)
    assert "[1]" + LINK_MARK not in text and "↩" + LINK_MARK not in text
    assert "↩" in text
