"""Check that the faster layout in ``core/render/layout.py`` gives exactly the same lines.

``layout._wrap`` computes line breaks itself instead of calling ``Text.wrap``
and ``_table`` assembles row lines directly. This script lays documents out
with the current code and with a reference ``layout.py`` taken from git
(``--reference REV``, default ``HEAD``), comparing every line (text, spans,
style, end), and compares ``_break_offsets`` with Rich's ``divide_line`` on
many random strings. Run it after touching the layout code::

    python benchmarks/check_layout.py [--reference REV] [OUTDIR_FROM_generate.py ...]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
import types
from pathlib import Path

from rich._wrap import divide_line
from rich.text import Span, Text

from peeragogy_tui.core.handbook.markdown_file import read_markdown_file
from peeragogy_tui.core.render import layout as layout_module
from peeragogy_tui.core.render import parse_document
from peeragogy_tui.core.render.blocks import Document, Paragraph, Quote, Table
from peeragogy_tui.core.render.layout import layout_document, make_console
from peeragogy_tui.paths import bundled_handbook_dir


REPO = Path(__file__).resolve().parent.parent


def reference_layout(rev: str) -> types.ModuleType:
    """``core/render/layout.py`` as it was at ``rev``, loaded as a separate module."""
    source = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{rev}:peeragogy_tui/core/render/layout.py"],
        capture_output=True, text=True, check=True,
    ).stdout
    module = types.ModuleType("reference_layout")
    module.__file__ = f"{rev}:layout.py"
    sys.modules[module.__name__] = module  # dataclasses look their module up there
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def same(a: Text, b: Text) -> bool:
    return (a.plain, a.spans, a.style, a.end, a.justify, a.overflow, a.no_wrap) == (
        b.plain,
        b.spans,
        b.style,
        b.end,
        b.justify,
        b.overflow,
        b.no_wrap,
    )


def check_offsets(count: int = 50_000, seed: int = 7) -> int:
    rng = random.Random(seed)
    alphabet = ["a", "b", "c", " ", " ", "  ", "\xa0", "é", "—", "xyzxyzxyzxyz", "日本", "-", ".", ""]
    failures = 0
    for _ in range(count):
        plain = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        width = rng.randint(1, 16)
        expected = divide_line(plain, width, fold=True)
        got = layout_module._break_offsets(plain, width)
        if expected != got:
            failures += 1
            if failures <= 5:
                print(f"offsets differ for {plain!r} at width {width}: rich {expected}, ours {got}")
    return failures


def synthetic() -> Document:
    """Blocks the parser never produces: control characters Rich strips, styled cells, alignments."""
    cells = [
        Text("a\x07b\x08c", end=""),
        Text("styled", style="bold", end=""),
        Text("spans and more words here", spans=[Span(0, 5, "md.em"), Span(3, 9, "md.link")], end=""),
        Text("", style="md.strong", end=""),
    ]
    table = Table(header=cells, rows=[cells[::-1], cells[1:] + cells[:1], [Text("x" * 40, end="")]],
                  aligns=["center", "right", "left"])
    tabbed = Paragraph(Text("tab\there\tand there " * 6, end=""))
    justified = Paragraph(Text("justified text that wraps across several lines " * 3, justify="left", end=""))
    spaced = Paragraph(Text("   leading spaces and a verylongwordthatcannotfitanywhereatall  x  " * 2, end=""))
    return Document([table, tabbed, justified, spaced, Quote([Paragraph(Text("one line", end=""))])], [], [])


def check_documents(paths: list[Path], widths: list[int], reference: types.ModuleType) -> int:
    failures = 0
    for path in [*paths, None]:
        body = read_markdown_file(path).body if path else ""
        for width in widths:
            # A fresh parse for each layout: a layout may restyle a block's own Text in place
            # (one-line paragraphs in quotes), which would make the second layout differ.
            document = parse_document(body) if path else synthetic()
            fast_start = time.perf_counter()
            fast = layout_document(document, width, make_console(width))
            fast_time = time.perf_counter() - fast_start
            document = parse_document(body) if path else synthetic()
            slow_start = time.perf_counter()
            slow = reference.layout_document(document, width, reference.make_console(width))
            slow_time = time.perf_counter() - slow_start
            bad = [i for i, (a, b) in enumerate(zip(fast.lines, slow.lines)) if not same(a, b)]
            if len(fast.lines) != len(slow.lines) or bad or fast.anchors != slow.anchors or fast.block_lines != slow.block_lines:
                failures += 1
                print(f"DIFFERENT: {path.name if path else 'synthetic'} at width {width}: {len(fast.lines)} vs {len(slow.lines)} lines, first bad {bad[:3]}")
            elif width in (40, 92):
                print(f"same: {path.name if path else 'synthetic':28} width {width:3}: {len(fast.lines):6} lines, "
                      f"now {fast_time * 1000:6.1f} ms, reference {slow_time * 1000:6.1f} ms")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", default="HEAD", help="git revision whose layout.py is the reference")
    parser.add_argument("dirs", nargs="*", type=Path, help="more folders of Markdown (e.g. generate.py output)")
    args = parser.parse_args()
    paths = sorted(bundled_handbook_dir().rglob("*.md"))
    for folder in args.dirs:
        paths += sorted(folder.rglob("*.md"))
    failures = check_offsets()
    failures += check_documents(paths, [10, 13, 33, 40, 57, 92], reference_layout(args.reference))
    print(f"OK: identical to {args.reference}" if not failures else f"{failures} FAILURES")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
