"""Raw HTML links and anchors in the rendered chapter, and the ``f`` list of links (issue 9)."""

from __future__ import annotations

from peeragogy_tui.core.render import layout_document, parse_document
from peeragogy_tui.core.render.codec import decode, encode
from peeragogy_tui.core.render.layout import make_console
from peeragogy_tui.core.render.link_list import LinkRow, link_rows
from peeragogy_tui.core.render.places import has_heading

TEXT = """\
# Title

Intro with <a href="other.md#x">an HTML link</a> and [a Markdown one](other.md#x).

<a id="raw-anchor"></a>

Paragraph after the anchor.

<h3 id="custom-id">Heading with an id</h3>

Some [text](b.md), [the same target](b.md), [](c.md) and a note.[^1]

<div>
<a href="in-block.md">in a block</a>
</div>

`<a id="in-code" href="code.md">`

[^1]: The note.
"""


def test_an_inline_html_link_is_a_link_with_its_text() -> None:
    document = parse_document(TEXT)
    paragraph = next(block for block in document.blocks if "Intro" in getattr(getattr(block, "text", None), "plain", ""))
    spans = [(paragraph.text.plain[s.start : s.end], s.style.meta["link"]) for s in paragraph.text.spans if hasattr(s.style, "meta") and "link" in s.style.meta]
    assert spans == [("an HTML link", 0), ("a Markdown one", 1)]
    assert document.links[:2] == ["other.md#x", "other.md#x"]
    assert "code.md" not in document.links


def test_html_anchors_are_places_to_go() -> None:
    document = parse_document(TEXT)
    assert set(document.html_anchors) == {"raw-anchor", "custom-id"}
    assert has_heading(document, "raw-anchor") and has_heading(document, "custom-id")
    assert not has_heading(document, "in-code")
    laid_out = layout_document(document, 60, make_console(60))
    assert laid_out.lines[laid_out.anchors["raw-anchor"]].plain.startswith("Paragraph after the anchor")
    assert "Heading with an id" in laid_out.lines[laid_out.anchors["custom-id"]].plain


def test_anchors_survive_the_document_cache() -> None:
    document = parse_document(TEXT)
    decoded = decode(encode(document))
    assert decoded is not None and decoded.html_anchors == document.html_anchors
    assert decode({**encode(document), "anchors": {"x": "not a block"}}) is None


def test_f_lists_links_by_text_once_per_target() -> None:
    rows = link_rows(parse_document(TEXT))
    assert [(row.text, row.target) for row in rows] == [
        ("an HTML link", "other.md#x"),
        ("text", "b.md"),
        ("c.md", "c.md"),  # no text: the target names it
        ("in-block.md", "in-block.md"),  # an HTML block's link: listed, to follow from the list
    ]
    assert all(isinstance(row, LinkRow) for row in rows)
