"""The reader commands (toc, read) and global options, through Typer's CliRunner and subprocesses."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
import typer
from rich.cells import cell_len
from typer.testing import CliRunner, Result

from peeragogy_tui import __version__
from peeragogy_tui.cli import app
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.paths import bundled_handbook_dir

runner = CliRunner()
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args))


def assert_clean_failure(result: Result) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stdout == ""
    assert result.stderr.startswith("peeragogy: error: ")
    assert "Traceback" not in result.output
    assert "fix: " in result.stderr
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A small handbook with a broken chapter and a chapter full of escape sequences."""
    root = tmp_path / "my handbook"
    write(root / "intro.md", "---\ntitle: Introduction\norder: 1\npermalink: /chapters/en/intro/\n---\n# Introduction\n\n"
          + "Welcome to the handbook. " * 30 + "\n\n## Next steps\n\nRead [more](more.md).\n")
    write(root / "more.md", "---\ntitle: More\norder: 2\n---\n# More\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    write(root / "broken.md", "---\ntitle: Broken\norder: 3\nsummary: one: two\n---\n# Broken\n\nStill readable.\n")
    write(
        root / "hostile.md",
        "---\ntitle: \"Host\\e[31mile\\e]0;pwned\\a\"\norder: 4\n---\n# Hos\x1b[2Jtile\n\n"
        "Red \x1b[31mtext\x1b[0m, a \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\, bell\x07, "
        "C1 \x9b1m csi, title \x1b]0;owned\x07 and [bold]markup[/].\n\n```\ncode \x1b[1mbold\n```\n",
    )
    write(root / "nested/deep.md", "# Deep chapter\n")
    return root


# --- Version and help --------------------------------------------------------------------------


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"peeragogy {__version__}"


def walk_commands(typer_app: typer.Typer, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every command path and its help text, groups included."""
    for command in typer_app.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")
        yield prefix + (name,), command.help or (command.callback.__doc__ or "")
    for group in typer_app.registered_groups:
        sub = group.typer_instance
        name = group.name or sub.info.name
        yield prefix + (name,), group.help or sub.info.help or ""
        yield from walk_commands(sub, prefix + (name,))


def test_every_command_has_help() -> None:
    commands = list(walk_commands(app))
    names = {path for path, _ in commands}
    assert ("toc",) in names and ("read",) in names
    root = invoke("--help")
    assert root.exit_code == 0
    for option in ("--handbook", "--lang", "--data-dir", "--version"):
        assert option in root.stdout
    for path, help_text in commands:
        assert help_text.strip(), f"{' '.join(path)} has no help text"
        if len(path) == 1:
            assert path[0] in root.stdout
        result = invoke(*path, "--help")
        assert result.exit_code == 0, (path, result.output)
        assert result.stdout.startswith("Usage: ")
        first_line = help_text.strip().splitlines()[0]
        assert first_line.split()[0] in result.stdout, (path, result.stdout)


def run_python(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=timeout, env={**os.environ, "NO_COLOR": "1"}
    )


def test_help_does_not_import_textual() -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from peeragogy_tui.cli import app; "
        "r=CliRunner().invoke(app,['--help']); assert r.exit_code==0, r.output; "
        "r=CliRunner().invoke(app,['read','--help']); assert r.exit_code==0, r.output; "
        "print('textual' in sys.modules)"
    )
    result = run_python("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_python_dash_m_version() -> None:
    result = run_python("-m", "peeragogy_tui", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"peeragogy {__version__}"


# --- toc ---------------------------------------------------------------------------------------


def test_toc_lists_chapters_in_reading_order(book: Path) -> None:
    result = invoke("--handbook", str(book), "toc")
    assert result.exit_code == 0, result.output
    handbook = load_handbook(book)
    lines = result.stdout.splitlines()
    positions = [next(i for i, line in enumerate(lines) if f"({c.id})" in line) for c in handbook.chapters]
    assert positions == sorted(positions)
    broken = next(line for line in lines if "(broken)" in line)
    assert "✗" in broken and "broken.md:4" in broken
    assert "\x1b" not in result.stdout and CONTROL.search(result.stdout.replace("\n", "")) is None


def test_toc_json(book: Path) -> None:
    result = invoke("--handbook", str(book), "toc", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    handbook = load_handbook(book)
    assert [row["id"] for row in rows] == [c.id for c in handbook.chapters]
    for row, chapter in zip(rows, handbook.chapters):
        assert set(row) == {"id", "title", "path", "depth", "lang", "fallback", "error"}
        assert row["title"] == chapter.title and CONTROL.search(row["title"]) is None
        assert Path(row["path"]) == chapter.path
        assert row["depth"] == chapter.depth and isinstance(row["depth"], int)
        assert row["lang"] == "en"
        if chapter.id == "broken":
            assert row["error"] and "broken.md:4" in row["error"] and "YAML" in row["error"]
        else:
            assert row["error"] is None, row
    assert rows[0]["id"] == "intro"


def test_toc_json_of_the_bundled_handbook() -> None:
    result = invoke("toc", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["id"] for row in rows] == [c.id for c in load_handbook(bundled_handbook_dir()).chapters]
    assert all(row["error"] is None for row in rows)


def test_toc_reports_summary_problems_on_stderr(tmp_path: Path) -> None:
    write(tmp_path / "SUMMARY.md", "# Summary\n\n- [A](a.md)\n- [Ghost](ghost.md)\n")
    write(tmp_path / "a.md", "# A\n")
    result = invoke("--handbook", str(tmp_path), "toc")
    assert result.exit_code == 0
    assert "(a)" in result.stdout
    assert "SUMMARY.md:4" in result.stderr and "ghost.md" in result.stderr


# --- read --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reference",
    ["intro", "intro.md", "/chapters/en/intro/", "/chapters/en/intro.html", "chapters/en/intro", "ABSOLUTE", "RELATIVE"],
)
def test_read_by_id_path_or_permalink(book: Path, reference: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if reference == "ABSOLUTE":
        reference = str(book / "intro.md")
    elif reference == "RELATIVE":
        monkeypatch.chdir(book.parent)
        reference = f"{book.name}/intro.md"
    result = invoke("--handbook", str(book), "read", reference, "--plain")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Introduction\n")
    assert "Next steps" in result.stdout and "Welcome to the handbook." in result.stdout
    assert result.stderr == ""


def test_read_nested_chapter(book: Path) -> None:
    result = invoke("--handbook", str(book), "read", "nested/deep", "--plain")
    assert result.exit_code == 0, result.output
    assert "Deep chapter" in result.stdout


@pytest.mark.parametrize("width", [20, 47, 100])
def test_read_width(book: Path, width: int) -> None:
    result = invoke("--handbook", str(book), "read", "intro", "--width", str(width))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(cell_len(line) <= width for line in lines)
    assert max(cell_len(line) for line in lines) >= width - 12, "the text uses the width it is given"


def test_read_plain_strips_every_escape(book: Path) -> None:
    for args in (["--plain"], [], ["--plain", "--width", "30"]):
        result = invoke("--handbook", str(book), "read", "hostile", *args)
        assert result.exit_code == 0, result.output
        out = result.stdout
        assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
        assert CONTROL.search(out.replace("\n", "")) is None, repr(out)
        assert "[bold]markup[/]" in out
        assert "Hostile" in out and "text" in out and "code bold" in out
        assert "evil.example" not in out


def test_read_broken_chapter_shows_what_it_can(book: Path) -> None:
    result = invoke("--handbook", str(book), "read", "broken", "--plain")
    assert result.exit_code == 0
    assert "Still readable." in result.stdout
    assert "broken.md:4" in result.stderr and "YAML" in result.stderr


def test_read_unknown_chapter_suggests_close_matches(book: Path) -> None:
    result = invoke("--handbook", str(book), "read", "intor")
    assert_clean_failure(result)
    assert "no chapter 'intor' in this handbook" in result.stderr
    assert "did you mean" in result.stderr and "intro" in result.stderr.split("did you mean", 1)[1]


def test_read_unknown_chapter_without_close_match(book: Path) -> None:
    result = invoke("--handbook", str(book), "read", "zzzzzzzz")
    assert_clean_failure(result)
    assert "did you mean" not in result.stderr
    assert "toc" in result.stderr


def test_read_unknown_chapter_in_bundled_handbook() -> None:
    result = invoke("read", "introductoin")
    assert_clean_failure(result)
    assert "introduction" in result.stderr


def test_read_bundled_chapters() -> None:
    handbook = load_handbook(bundled_handbook_dir())
    for chapter in handbook.chapters[:3]:
        result = invoke("read", chapter.id, "--plain", "--width", "72")
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(chapter.title)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_read_on_a_terminal_uses_styles(book: Path) -> None:
    import pty

    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "peeragogy_tui", "--handbook", str(book), "read", "hostile", "--width", "50"],
        stdout=terminal,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")} | {"TERM": "xterm-256color"},
    )
    os.close(terminal)
    output = b""
    while True:  # read while it writes, so a full pty buffer cannot block it
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    process.wait(timeout=60)
    stderr = process.stderr.read().decode() if process.stderr else ""
    assert process.returncode == 0, stderr
    text = output.decode("utf-8", errors="replace")
    assert "\x1b[" in text, "styles on a terminal"
    visible = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "\x1b" not in visible, "only SGR styles, none from the chapter"
    assert "]0;" not in text and "evil.example" not in text and "\x07" not in text
    assert "Hostile" in visible and "[bold]markup[/]" in visible


# --- global options and bad handbooks -----------------------------------------------------------


def test_missing_handbook(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    for command in (["toc"], ["read", "intro"]):
        result = invoke("--handbook", str(missing), *command)
        assert_clean_failure(result)
        assert str(missing) in result.stderr and "not found" in result.stderr


def test_handbook_is_a_file(tmp_path: Path) -> None:
    file = tmp_path / "a.md"
    write(file, "# A\n")
    result = invoke("--handbook", str(file), "toc")
    assert_clean_failure(result)
    assert "not a directory" in result.stderr


def test_empty_handbook(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = invoke("--handbook", str(tmp_path / "empty"), "toc")
    assert_clean_failure(result)
    assert "no Markdown files" in result.stderr


def test_lang_option(tmp_path: Path) -> None:
    write(tmp_path / "en" / "a.md", "# English\n")
    write(tmp_path / "fr" / "a.md", "# Français\n")
    result = invoke("--handbook", str(tmp_path), "--lang", "fr", "toc", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(row["title"], row["lang"]) for row in rows] == [("Français", "fr")]
    result = invoke("--handbook", str(tmp_path), "--lang", "fr", "read", "a", "--plain")
    assert result.stdout.startswith("Français")
    result = invoke("--handbook", str(tmp_path), "--lang", "de", "toc")
    assert_clean_failure(result)
    assert "'de'" in result.stderr and "en" in result.stderr and "fr" in result.stderr


def test_data_dir_option_is_accepted(book: Path, tmp_path: Path) -> None:
    result = invoke("--data-dir", str(tmp_path / "data"), "--handbook", str(book), "toc", "--json")
    assert result.exit_code == 0, result.output


def test_bad_option_is_a_usage_error() -> None:
    result = invoke("read")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    result = invoke("read", "intro", "--width", "-3")
    assert result.exit_code == 2
