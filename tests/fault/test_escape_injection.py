"""Escape injection (issue 13): no control sequence from a file name, title, body or answer reaches the terminal.

A file named ``a-\\e]2;PWNED\\e\\\\.md`` set the terminal title when ``toc``
printed its id. Every command's output now goes through one choke point
(``cli/_output.py``); these tests feed generated control sequences through
every command that prints handbook, exercise or answer text, and assert that
no control character but newline and tab reaches stdout or stderr, and that
``--json`` output still decodes to the original text.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from peeragogy_tui import paths
from peeragogy_tui.cli import app

REPO = Path(__file__).resolve().parents[2]
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never be printed: C0 but \\t and \\n, DEL, C1, bidi embeddings/overrides/isolates."""

SEQUENCES = [
    "\x1b]2;PWNED\x1b\\",  # set the window title (OSC 2, ST)
    "\x1b]52;c;SGVsbG8=\x07",  # write the clipboard (OSC 52, BEL)
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b[31m",  # a colour
    "\x9b6n",  # 8-bit CSI: report the cursor (the terminal would type the answer)
    "\x9d0;x\x9c",  # 8-bit OSC
    "\x1bP+q544e\x1b\\",  # DCS: request terminfo
    "\x07",
    "\x08\x08",
    "\r",
    "\x7f",
    "\u202e",  # right-to-left override
    "\u2066",
    "\x1b",
]
controls = st.lists(st.sampled_from(SEQUENCES), min_size=1, max_size=3).map("".join)
words = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x17F, blacklist_characters="/\\"), max_size=8)


def hostile_text(draw: st.DrawFn) -> str:
    return draw(words) + draw(controls) + draw(words)


@st.composite
def hostile_book(draw: st.DrawFn) -> dict[str, str]:
    """File name -> content: chapters with control sequences in names, titles and bodies."""
    files: dict[str, str] = {}
    for number in range(draw(st.integers(1, 3))):
        name = f"c{number}-{hostile_text(draw)}".replace("\x00", "") + ".md"
        title = hostile_text(draw)
        body = hostile_text(draw)
        front = draw(st.sampled_from(["", f"---\ntitle: {json.dumps(title)}\n---\n", f"---\ntitle: {title}\n---\n"]))
        files[name] = f"{front}# {title}\n\nzqxword {body} [link {hostile_text(draw)}](missing-{number}.md)\n"
    return files


EXERCISE = """---
id: hostile
title: {title}
lang: en
chapters: [c0]
kind: solo
minutes: 5
summary: {summary}
steps:
  - id: one
    type: text
    prompt: {prompt}
---
{intro}
"""


def _assert_clean(result, command: list[str]) -> str:  # type: ignore[no-untyped-def]
    out = result.stdout_bytes.decode("utf-8", "replace") + result.stderr_bytes.decode("utf-8", "replace")
    found = RAW_CONTROL.search(out)
    assert found is None, f"{command}: raw {found.group()!r} in output: {out[max(found.start() - 40, 0):found.end() + 40]!r}"
    assert "Traceback" not in out, (command, out)
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(book=hostile_book(), answer=st.builds(lambda a, b: a + b, words, controls), exercise_text=st.lists(controls, min_size=4, max_size=4))
def test_no_command_prints_a_control_sequence(book: dict[str, str], answer: str, exercise_text: list[str]) -> None:
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        handbook = root / "hb"
        handbook.mkdir()
        for name, content in book.items():
            (handbook / name).write_text(content, encoding="utf-8", errors="surrogatepass")
        exercises = root / "ex"
        exercises.mkdir()
        title, summary, prompt, intro = (json.dumps(f"T{text}") for text in exercise_text)
        (exercises / "hostile.md").write_text(
            EXERCISE.format(title=title, summary=summary, prompt=prompt, intro=f"Intro {exercise_text[3]}"),
            encoding="utf-8",
        )
        paths.set_data_dir_override(root / "home")
        try:
            base = ["--handbook", str(handbook), "--exercises", str(exercises)]
            first = next(iter(sorted(book)))
            commands = [
                ["toc"],
                ["toc", "--json"],
                ["check"],
                ["check", "--json"],
                ["search", "zqxword"],
                ["search", "zqxword", "--json"],
                ["read", first],
                ["read", first, "--plain"],
                ["exercises", "list"],
                ["exercises", "list", "--json"],
                ["exercise", "run", "hostile"],
                ["answers", "list"],
                ["answers", "list", "--json"],
                ["answers", "show", "1"],
                ["answers", "export", "--format", "md"],
                ["answers", "export", "--format", "json"],
                ["search", "--answers", answer.split()[0] if answer.split() else "x"],
            ]
            for command in commands:
                result = runner.invoke(app, base + command, input=answer + "\n")
                out = _assert_clean(result, command)
                if command[-1] == "--json" and result.exit_code in (0, 1) and result.stdout.strip().startswith(("[", "{")):
                    json.loads(result.stdout)  # still valid JSON: control characters as \\u escapes
                if command == ["toc", "--json"]:
                    shown_paths = {row["path"] for row in json.loads(result.stdout)}
                    assert {str(handbook / name) for name in book} <= shown_paths  # byte-exact once decoded
        finally:
            paths.set_data_dir_override(None)


def test_toc_of_a_title_setting_file_name_shows_the_escape_and_keeps_json_exact(tmp_path: Path) -> None:
    """The issue's exact case, through the real command and a pipe."""
    evil = "a-\x1b]2;PWNED\x1b\\.md"
    (tmp_path / "hb").mkdir()
    (tmp_path / "hb" / evil).write_text("# T\n", encoding="utf-8")
    (tmp_path / "hb" / "b-\x1b]52;c;SGVsbG8=\x07.md").write_text("# B \u202e\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PEERAGOGY_HOME": str(tmp_path / "home")}
    for args in (["toc"], ["toc", "--json"], ["check"], ["search", "T"], ["read", "a-\x1b]2;PWNED\x1b\\"]):
        done = subprocess.run(
            [sys.executable, "-m", "peeragogy_tui", "--handbook", str(tmp_path / "hb"), *args],
            capture_output=True,
            env=env,
            timeout=60,
        )
        shown = (done.stdout + done.stderr).decode("utf-8")
        assert RAW_CONTROL.search(shown) is None, (args, shown)
        assert "Traceback" not in shown
        if args == ["toc"]:
            assert "a-\\u001b]2;PWNED\\u001b\\" in shown  # visible, so the file can be found and renamed
        if args == ["toc", "--json"]:
            rows = json.loads(done.stdout)
            assert str(tmp_path / "hb" / evil) in {row["path"] for row in rows}  # decodes to the exact name


@pytest.mark.parametrize(
    "text",
    ["\x9b31m", "\u202eabc", "x\x85y", "\x7f"],
)
def test_json_escapes_c1_del_and_bidi(text: str, tmp_path: Path) -> None:
    """``json.dumps(ensure_ascii=False)`` leaves C1, DEL and bidi raw; the choke point escapes them."""
    (tmp_path / "hb").mkdir()
    (tmp_path / "hb" / f"n{text}.md").write_text("# T\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--handbook", str(tmp_path / "hb"), "toc", "--json"])
    assert result.exit_code == 0, result.output
    assert RAW_CONTROL.search(result.stdout) is None
    assert json.loads(result.stdout)[0]["path"] == str(tmp_path / "hb" / f"n{text}.md")


async def test_tui_notifications_are_sanitised(tmp_path: Path) -> None:
    """Every toast goes through the app's ``notify``: no control sequence, no markup, in message or title."""
    from peeragogy_tui.core.handbook import load_handbook
    from peeragogy_tui.tui.app import create_app

    (tmp_path / "hb").mkdir()
    (tmp_path / "hb" / "intro.md").write_text("# Intro\n", encoding="utf-8")
    app = create_app(load_handbook(tmp_path / "hb"), restore=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.notify("file a-\x1b]2;PWNED\x1b\\.md [b]bold[/b] \u202eevil", title="T\x1b]52;c;x\x07")
        await pilot.pause()
        (toast,) = list(app._notifications)
        assert toast.message == "file a-.md [b]bold[/b] evil" and toast.title == "T"
        assert toast.markup is False
