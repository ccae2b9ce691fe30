"""Inputs for the extraction golden test: every chapter in the repository, generated handbooks, odd cases.

Shared by ``test_search_extract_golden.py`` and the script that writes its
digests (``python tests/unit/extraction_corpus.py`` rewrites
``tests/fixtures/extraction_digests.json``; only do that for an intended change).
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIGESTS = ROOT / "tests" / "fixtures" / "extraction_digests.json"

ODD_CASES = [
    "a `code <b> [x](y) *z* _w_ {{#include a}} &amp;` b",
    "`a` and ``b ` c`` and ```` d ````",
    "private \ue100\ue101\ue10b use ` \ue105 `",
    "<script>\nx\n</script>\n<!-- a\nb -->\n<img alt='A cat' src=x> <b>bold</b> <span\nx>",
    "[^1]: note\n[ref]: http://x 'T'\n> [!NOTE]\n> - [x] done\n1. one\n* two\n: def\n---\n| a | b |\n|---|:-:|",
    "![alt\ntext](u) [link\ntext](v) [ref][r] <https://a.b/c> <mailto:x@y>",
    "&amp; &lt;tag&gt; &#x1b; &#10; &nbsp; &bogus;",
    "{% raw %} {{ #include  file.md }} {%- if x -%}",
    "~~~\ncode *kept*\n~~~\n```py\n` <x> [y](z)\n```\nafter *b*",
    "snake_case _emph_ __strong__ a_b_ _a_b",
    "Title\n=====\nSub\n---\n# H1 #\n## `code` [l](u) ##\n   ### three",
    "\r\nCRLF *lines*\r\n```\r\ncode\r\n```\r\n",
    "# `a<b` c\n# \ue100 raw\n# [link\n# text](u)\n# a &amp; b\n# {{\n# #include x}}\n# _a_\n# b_ *c*",
    "# `x` code\n# \ue100 private use, no code span",
    "# One\n## Two *b*\nThree\n=====\n# snake_case `x|y`\n# ~~gone~~ | bar",
]


def _markdown_files() -> Iterator[tuple[str, Path]]:
    for folder in ("handbook", "tests/fixtures", "exercises"):
        for path in sorted((ROOT / folder).rglob("*.md")):
            yield path.relative_to(ROOT).as_posix(), path


def _generated(work: Path) -> Iterator[tuple[str, Path]]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate
    import generate_scale

    generate_scale.generate(work / "scale", 60)
    generate.generate(work / "big", size=300_000)
    for name in ("scale", "big"):
        for path in sorted((work / name).rglob("*.md")):
            yield f"generated/{path.relative_to(work).as_posix()}", path


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def digests() -> dict[str, str]:
    """Path (or case number) -> SHA-1 of what extraction makes of it: headings and plain text."""
    from peeragogy_tui.core.handbook.markdown_file import parse_markdown_bytes
    from peeragogy_tui.core.search.extract import extract_chapter, markdown_to_plain, scan_headings

    found: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as work:
        for name, path in [*_markdown_files(), *_generated(Path(work))]:
            raw = path.read_bytes()
            body = parse_markdown_bytes(path, raw).body
            doc = extract_chapter(path, raw, path.parent, "id", None)
            whole = (doc.title, doc.headings, doc.body, str(doc.body_line)) if doc else ("",)
            found[name] = _digest(markdown_to_plain(body), *scan_headings(body), *whole)
    for number, text in enumerate(ODD_CASES):
        found[f"case {number}"] = _digest(markdown_to_plain(text), *scan_headings(text))
    return found


if __name__ == "__main__":
    DIGESTS.write_text(json.dumps(digests(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {DIGESTS}")
