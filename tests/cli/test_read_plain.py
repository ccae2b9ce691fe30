"""``peeragogy read --plain``: text for screen readers and pipes, nothing that depends on colour or drawing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from peeragogy_tui.cli import app
from peeragogy_tui.core.render import parse_document
from peeragogy_tui.core.render.plain import reader_text

BOOK = Path(__file__).resolve().parents[1] / "fixtures" / "markdown-book"
DRAWING = re.compile(r"[\u2500-\u259f]")
"""Box drawing and block characters (rules, borders, the quote bar)."""

CHAPTER = """# The title

## A section

Read [the guide](guide.md#start), or https://example.org, and ~~old~~ new.[^1]

> A quote
> > nested

> [!TIP]
> Tip body.

| Name | Count |
|:-----|------:|
| apples | 3 |
| pears | 12 |

- one
  - nested
- [x] done

```
code
```

[^1]: The note.
"""


def plain(width: int = 60) -> list[str]:
    return reader_text(parse_document(CHAPTER), width).split("\n")


def test_links_keep_their_target_and_bare_urls_show_once() -> None:
    text = "\n".join(plain())
    assert "Read the guide <guide.md#start>, or https://example.org, and" in text
    assert "<https://example.org>" not in text


def test_headings_are_plain_lines_without_underlines() -> None:
    lines = plain()
    assert lines[0] == "The title" and lines[1] == ""
    assert lines[2] == "A section" and lines[3] == ""
    assert not any(DRAWING.search(line) for line in lines), [line for line in lines if DRAWING.search(line)]


def test_quotes_and_alerts_are_prefixed_with_a_greater_than_sign() -> None:
    lines = plain()
    start = lines.index("> A quote")
    assert lines[start : start + 3] == ["> A quote", ">", "> > nested"]
    start = lines.index("> Tip")
    assert lines[start + 1] == "> Tip body."


def test_tables_are_aligned_columns_under_a_dashed_header() -> None:
    lines = plain()
    start = next(n for n, line in enumerate(lines) if line.startswith("Name"))
    assert lines[start : start + 4] == ["Name    Count", "------  -----", "apples      3", "pears      12"]


def test_nothing_depends_on_colour() -> None:
    text = "\n".join(plain())
    assert "~~old~~ new.[1]" in text  # struck text is marked in words
    assert "- [x] done" in text and "  - nested" in text
    assert "    code" in text
    assert "Notes\n\n[1] The note." in text and "↩" not in text


def test_read_plain_on_the_fixture_book() -> None:
    result = CliRunner().invoke(app, ["--handbook", str(BOOK), "read", "alerts", "--plain"])
    assert result.exit_code == 0, result.output
    assert "> Note\n> Notes are useful information." in result.stdout
    assert "> Important: Can I fold this?" in result.stdout
    assert not DRAWING.search(result.stdout)
    result = CliRunner().invoke(app, ["--handbook", str(BOOK), "read", "extended", "--plain", "--width", "40"])
    assert "Convener\n  : The person who calls the group\n    together." in result.stdout
    assert all(cell_len(line) <= 40 for line in result.stdout.splitlines())


def test_width_defaults_to_80_when_not_on_a_terminal() -> None:
    long = "# Long\n\n" + "word " * 200 + "\n"
    text = reader_text(parse_document(long), 80)
    result = CliRunner().invoke(app, ["--handbook", str(BOOK), "read", "footnotes", "--plain"])
    assert result.exit_code == 0
    widths = [cell_len(line) for line in result.stdout.splitlines()]
    assert max(widths) <= 80 and max(widths) > 60
    assert max(cell_len(line) for line in text.splitlines()) <= 80


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_width_defaults_to_the_terminal() -> None:
    import pty

    controller, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")} | {"COLUMNS": "44", "TERM": "dumb"}
    process = subprocess.Popen(
        [sys.executable, "-m", "peeragogy_tui", "--handbook", str(BOOK), "read", "footnotes", "--plain"],
        stdout=terminal,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    process.wait(timeout=60)
    assert process.returncode == 0, process.stderr.read().decode() if process.stderr else ""
    lines = output.decode().replace("\r\n", "\n").splitlines()
    assert max(cell_len(line) for line in lines) <= 44
    assert max(cell_len(line) for line in lines) > 34
