"""The head of a long chapter is cut only between top-level blocks: its blocks are the chapter's first."""

from __future__ import annotations

from peeragogy_tui.core.render import codec, parse_document
from peeragogy_tui.core.render.head import HEAD_CHARS, LONG_CHAPTER_CHARS, document_head, markdown_head


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
