"""Documents survive JSON exactly; anything else is refused on the way in or out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.style import Style
from rich.text import Span, Text

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.render import parse_document
from peeragogy_tui.core.render.blocks import Document, Heading, ListBlock, Paragraph, Quote
from peeragogy_tui.core.render.codec import Unencodable, decode, encode
from peeragogy_tui.paths import bundled_handbook_dir

REPO = Path(__file__).resolve().parents[2]

EVERYTHING = """# Title *with* `code` and a [link](other.md#part)

Text with **bold**, _em_, ~~strike~~, ![an image](x.png), ![](y.png),
a [web link](https://example.org "t") and<br>a break.
Hard break follows\\
here.

## Title

> A quote with a [link](a.md)
>
> > nested, with a list:
> > 1. one
> > 2. two

3. three
4. four
   - nested **bullet**
   - [x] task

   more in item four

---

| left | centre | right |
|:-----|:------:|------:|
| *a*  | [b](b.md) | `c` |
| d    |        | ![e](e.png) |

```python
print("code")
```

    indented code

<div class="x">html <span>block</span></div>

Some <span class="citation">inline html</span> text.

### Title
"""


def signature(text: Text) -> tuple[Any, ...]:
    """Everything about a Text, stricter than ``Text.__eq__`` (which compares plain text and spans)."""
    spans = tuple((s.start, s.end, type(s.style).__name__, s.style) for s in text.spans)
    return (text.plain, spans, text.end, text.style, text.justify, text.overflow, text.no_wrap, text.tab_size)


def walk(blocks: list[Any]) -> list[Any]:
    out: list[Any] = []
    for block in blocks:
        out.append(block)
        if isinstance(block, Quote):
            out.extend(walk(block.children))
        elif isinstance(block, ListBlock):
            for item in block.items:
                out.extend(walk(item))
    return out


def assert_round_trip(document: Document) -> None:
    decoded = decode(json.loads(json.dumps(encode(document))))
    assert decoded is not None
    assert decoded == document
    assert decoded.links == document.links
    for got, want in zip(walk(decoded.blocks), walk(document.blocks), strict=True):
        assert type(got) is type(want)
        for name in ("text",):
            if hasattr(want, name):
                assert signature(getattr(got, name)) == signature(getattr(want, name))
        for name in ("header",):
            if hasattr(want, name):
                assert [signature(t) for t in got.header] == [signature(t) for t in want.header]
                assert [[signature(t) for t in row] for row in got.rows] == [[signature(t) for t in row] for row in want.rows]
    in_tree = [block for block in walk(decoded.blocks) if isinstance(block, Heading)]
    assert len(in_tree) == len(decoded.headings)
    assert all(a is b for a, b in zip(in_tree, decoded.headings)), "headings are the blocks in the tree"


def test_every_kind_of_block_round_trips() -> None:
    document = parse_document(EVERYTHING)
    kinds = {type(block).__name__ for block in walk(document.blocks)}
    assert kinds == {"Heading", "Paragraph", "Quote", "ListBlock", "Rule", "Table", "Code"}
    assert len(document.links) >= 4 and len(document.headings) == 3
    assert_round_trip(document)


def test_every_bundled_chapter_round_trips() -> None:
    handbook = load_handbook(bundled_handbook_dir())
    assert len(handbook.chapters) > 10
    for chapter in handbook.chapters:
        assert_round_trip(parse_document(chapter.body))


def test_generated_benchmark_chapters_round_trip(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    generate(tmp_path)
    for name in ("big", "table-1000"):
        assert_round_trip(parse_document((tmp_path / "en" / f"{name}.md").read_text(encoding="utf-8")))


def test_empty_document_round_trips() -> None:
    assert_round_trip(parse_document(""))


@pytest.mark.parametrize(
    "text",
    [
        Text("x", spans=[Span(0, 1, "md.match")], end=""),
        Text("x", spans=[Span(0, 1, "bold red")], end=""),
        Text("x", spans=[Span(0, 1, Style(bold=True))], end=""),
        Text("x", spans=[Span(0, 1, Style(meta={"link": 0, "other": 1}))], end=""),
        Text("x", end="\n"),
        Text("x", style="bold", end=""),
    ],
    ids=["search-role", "style-string", "style-object", "extra-meta", "end", "text-style"],
)
def test_encode_refuses_what_the_parser_never_makes(text: Text) -> None:
    with pytest.raises(Unencodable):
        encode(Document([Paragraph(text)], ["a.md"], []))


def good() -> dict[str, Any]:
    return encode(parse_document("# H\n\nSee [a](a.md).\n\n> q\n\n1. x\n\n| a |\n|---|\n| b |\n"))


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: None,
        lambda d: [],
        lambda d: {"blocks": d["blocks"]},
        lambda d: {**d, "links": "a.md"},
        lambda d: {**d, "links": [1]},
        lambda d: {**d, "blocks": "x"},
        lambda d: {**d, "blocks": [["nope"]]},
        lambda d: {**d, "blocks": [[]]},
        lambda d: {**d, "blocks": [["h", 7, ["H", []], "h"]]},
        lambda d: {**d, "blocks": [["h", True, ["H", []], "h"]]},
        lambda d: {**d, "blocks": [["h", 1, ["H", []]]]},
        lambda d: {**d, "blocks": [["p", ["abc", [[0, 9, "md.em"]]]]]},
        lambda d: {**d, "blocks": [["p", ["abc", [[2, 1, "md.em"]]]]]},
        lambda d: {**d, "blocks": [["p", ["abc", [[0, 1, "bold red"]]]]]},
        lambda d: {**d, "blocks": [["p", ["abc", [[0, 1, 5]]]]]},
        lambda d: {**d, "blocks": [["p", ["abc", [[0, 1, True]]]]]},
        lambda d: {**d, "blocks": [["p", ["abc", [[0, 1]]]]]},
        lambda d: {**d, "blocks": [["p", [3, []]]]},
        lambda d: {**d, "blocks": [["list", "yes", 1, []]]},
        lambda d: {**d, "blocks": [["list", True, -1, []]]},
        lambda d: {**d, "blocks": [["table", [], [["x"]], []]]},
        lambda d: {**d, "blocks": [["code", "x", None]]},
        lambda d: {**d, "blocks": [["quote", [["quote", []]] * 2] + [[]]]},
        lambda d: {**d, "blocks": [nested_quotes(500)]},
    ],
)
def test_decode_rejects_damage_without_raising(damage: Any) -> None:
    assert decode(damage(good())) is None


def nested_quotes(depth: int) -> list[Any]:
    block: list[Any] = ["hr"]
    for _ in range(depth):
        block = ["quote", [block]]
    return block


def test_decode_accepts_what_encode_made() -> None:
    document = decode(good())
    assert document is not None and document.links == ["a.md"] and len(document.headings) == 1


def test_decoded_text_has_control_sequences_removed() -> None:
    data = good()
    data["blocks"] = [["p", ["evil \x1b[31mred\x1b[0m \x9b31m", []]], ["code", "\x1b]8;;http://x\x07y", ""]]
    data["links"] = ["\x1b[2Jx.md"]
    document = decode(data)
    assert document is not None
    plain = document.blocks[0].text.plain + document.blocks[1].code + document.links[0]
    assert "\x1b" not in plain and "\x9b" not in plain and "\x07" not in plain
