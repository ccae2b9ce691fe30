"""The exercise, answers and check commands, driven through Typer's CliRunner."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peeragogy_tui.cli import app
from peeragogy_tui.core.store import open_store

runner = CliRunner()

CONVENING_SCRIPT = "Ann and Bo\n\n4\n1,3\nnames first\n"


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def test_every_new_command_has_help() -> None:
    for args in (
        ["exercises", "list"],
        ["exercise", "run"],
        ["answers", "list"],
        ["answers", "show"],
        ["answers", "export"],
        ["answers", "delete"],
        ["check"],
    ):
        result = invoke(*args, "--help")
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.output and len(result.output.splitlines()) > 3


def test_exercises_list_shows_progress() -> None:
    result = invoke("exercises", "list", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    by_id = {row["id"]: row for row in rows}
    assert len(rows) >= 13 and all(row["error"] is None for row in rows)
    convening = by_id["reflect-convening"]
    assert convening["status"] == "new" and convening["kind"] == "solo"
    assert convening["steps"] == 6 and convening["chapters"] == ["convening"]
    invoke("exercise", "run", "reflect-convening", input="only one\n")
    assert {r["id"]: r for r in json.loads(invoke("exercises", "list", "--json").stdout)}[
        "reflect-convening"
    ]["status"] == "in progress"
    text = invoke("exercises", "list").stdout
    assert "Reflect on Convening" in text and "in progress" in text


def test_exercises_list_reports_broken_files(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("---\nid: bad\ntitle: Bad\n---\n", encoding="utf-8")
    result = invoke("exercises", "list", "--json", "--exercises", str(tmp_path))
    rows = json.loads(result.stdout)
    assert len(rows) == 1 and rows[0]["id"] == "bad"
    assert f"{tmp_path / 'bad.md'}:1: lang: missing (this key is required)" in rows[0]["error"]
    assert "steps: missing" in rows[0]["error"]
    assert rows[0]["status"] is None


def test_run_from_a_script_saves_every_answer() -> None:
    result = invoke("exercise", "run", "reflect-convening", input=CONVENING_SCRIPT + "Dear Sam,\n")
    assert result.exit_code == 0, result.output
    assert "[1/6]" in result.stdout and "Done: 5 of 6 steps answered" in result.stdout
    with open_store() as store:
        (run,) = store.runs()
        assert run.status == "done" and run.finished_at
        assert run.answer_map() == {
            "who-and-why": "Ann and Bo",
            "missing-voice": None,
            "purpose-clarity": 4,
            "how-they-heard": ["A personal message from me", "Word of mouth from another member"],
            "first-ten-minutes": "names first",
            "next-invitation": "Dear Sam,",
        }


def test_an_unfinished_run_resumes_automatically() -> None:
    first = invoke("exercise", "run", "reflect-convening", input="Ann\n")
    assert first.exit_code == 0 and "Input ended at step 2 of 6" in first.stdout
    second = invoke("exercise", "run", "reflect-convening", input="\n3\n2\n\nlast\n")
    assert second.exit_code == 0, second.output
    assert "Resuming your unfinished run #1" in second.stdout and "at step 2 of 6" in second.stdout
    with open_store() as store:
        (run,) = store.runs()
        assert run.status == "done" and run.answer_map()["who-and-why"] == "Ann"


def test_bad_input_line_is_an_error_with_its_line_number() -> None:
    result = invoke("exercise", "run", "principles-self-assessment", input="3\nlots\n")
    assert result.exit_code == 2
    assert "line 2 of the input: 'lots' is not a whole number" in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
    with open_store() as store:
        (run,) = store.runs()
        assert list(run.answer_map().values()) == [3]


def test_unknown_exercise_suggests_a_name() -> None:
    result = invoke("exercise", "run", "reflect-convenin")
    assert result.exit_code == 2
    assert (
        "no exercise 'reflect-convenin'" in result.stderr and "reflect-convening" in result.stderr
    )


def test_prompts_are_printed_without_control_sequences(tmp_path: Path) -> None:
    exercise = (
        '---\nid: evil\ntitle: "Evil \\e[31m title"\nlang: en\nchapters: [x]\nkind: solo\nminutes: 1\n'
        'summary: s\nsteps:\n  - type: text\n    prompt: "Say \\e]0;owned\\a hi"\n---\nBody\n'
    )
    (tmp_path / "evil.md").write_text(exercise, encoding="utf-8")
    result = invoke("exercise", "run", "evil", "--exercises", str(tmp_path), input="ok\n")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Say  hi" in result.stdout


def test_export_json_gives_back_the_same_bytes(tmp_path: Path) -> None:
    tricky = ["[bold]x[/] \x1b[31mred", "[@click=app.quit]", "emoji 🎉 Café", "tab\there"]
    script = "\n".join([tricky[0], "", "4", "2", tricky[1], tricky[2] + " " + tricky[3]]) + "\n"
    assert invoke("exercise", "run", "reflect-convening", input=script).exit_code == 0
    with open_store() as store:
        run_id = store.runs()[0].id
        store.save_answer(
            run_id, "missing-voice", "line one\nline two\r\n", step_index=1, prompt="P"
        )
    out = tmp_path / "answers.json"
    result = invoke("answers", "export", "--format", "json", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    steps = {s["key"]: s for s in json.loads(out.read_bytes().decode("utf-8"))["runs"][0]["steps"]}
    assert steps["who-and-why"]["answer"].encode() == tricky[0].encode()
    assert steps["first-ten-minutes"]["answer"].encode() == tricky[1].encode()
    assert steps["next-invitation"]["answer"].encode() == (tricky[2] + " " + tricky[3]).encode()
    assert steps["missing-voice"]["answer"] == "line one\nline two\r\n"
    assert steps["how-they-heard"]["answer"] == ["A post in a shared space or mailing list"]
    assert steps["purpose-clarity"]["type"] == "scale"
    on_stdout = invoke("answers", "export")
    document = json.loads(on_stdout.stdout_bytes.decode("utf-8"))
    assert document["runs"] == json.loads(out.read_text("utf-8"))["runs"]


def test_export_markdown_and_show_are_plain_text() -> None:
    invoke("exercise", "run", "reflect-convening", input="\x1b[2Jclear me\n")
    md = invoke("answers", "export", "--format", "md")
    assert md.exit_code == 0 and "# Peeragogy answers" in md.stdout
    assert "\x1b" not in md.stdout and "clear me" in md.stdout
    shown = invoke("answers", "show", "1")
    assert shown.exit_code == 0 and "\x1b" not in shown.stdout and "clear me" in shown.stdout
    listed = json.loads(invoke("answers", "list", "--json").stdout)
    assert listed[0]["run"] == 1 and listed[0]["exercise_id"] == "reflect-convening"
    assert listed[0]["status"] == "in progress" and listed[0]["answers"] == 1


def test_delete_asks_for_yes_without_a_terminal() -> None:
    invoke("exercise", "run", "reflect-convening", input="keep\n")
    refused = invoke("answers", "delete", "1", input="y\n")
    assert refused.exit_code == 2
    assert "without confirmation" in " ".join(refused.stderr.split()) and "--yes" in refused.stderr
    with open_store() as store:
        assert store.find_run(1) is not None
    done = invoke("answers", "delete", "1", "--yes")
    assert done.exit_code == 0 and "Deleted run #1" in done.stdout
    with open_store() as store:
        assert store.find_run(1) is None
    assert invoke("answers", "delete", "1", "--yes").exit_code == 2
    assert "No answers yet" in invoke("answers", "list").stdout


def test_check_is_clean_on_bundled_content() -> None:
    result = invoke("check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "No problems found" in result.stderr
    assert json.loads(invoke("check", "--json").stdout) == []


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def chapter(title: str, order: int, permalink: str, body: str) -> str:
    return (
        f"---\ntitle: {title}\norder: {order}\nlang: en\npermalink: {permalink}\nsummary: S.\npart: Start here\n---\n"
        + body
    )


@pytest.fixture
def broken_tree(tmp_path: Path) -> dict[str, Path]:
    book = tmp_path / "handbook" / "en"
    ex = tmp_path / "exercises" / "en"
    paths = {
        "a": write(
            book / "a.md",
            chapter(
                "A",
                1,
                "/chapters/en/a/",
                "# A\n\n## Real heading\n\nSee [B](b.md#nowhere) and\n[gone](missing.md).\n\n"
                "`[not a link](code.md)`\n\n    [indented code](code.md)\n\n"
                "Try [ghost](../../exercises/en/ghost.md) and [good](../../exercises/en/good.md#x).\n",
            ),
        ),
        "b": write(
            book / "b.md", chapter("B", 1, "/chapters/en/a/", "# B\n\n[up](a.md#real-heading)\n")
        ),
        "c": write(book / "c.md", "---\ntitle: [broken\n---\n# C\n"),
        "good": write(
            ex / "good.md",
            "---\nid: good\ntitle: Good\nlang: en\nchapters:\n  - a\n  - zzz\nkind: solo\nminutes: 5\nsummary: S.\n"
            "steps:\n  - type: text\n    prompt: P\n---\nRead [A](../../handbook/en/a.md#real-heading) and\n"
            "[nope](../../handbook/en/nope.md).\n",
        ),
        "bad": write(
            ex / "bad.md",
            "---\nid: bad\ntitle: Bad\nlang: en\nchapters: [a]\nkind: solo\nminutes: 5\n"
            "summary: S.\nsteps:\n  - type: quiz\n    prompt: P\n---\n",
        ),
    }
    return paths


def test_check_reports_every_problem_with_path_and_line(
    broken_tree: dict[str, Path], tmp_path: Path
) -> None:
    result = invoke(
        "check",
        "--handbook",
        str(tmp_path / "handbook"),
        "--exercises",
        str(tmp_path / "exercises"),
    )
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    a, b, c, good, bad = (str(broken_tree[k]) for k in ("a", "b", "c", "good", "bad"))
    expected = [
        f"{a}:20: link '../../exercises/en/ghost.md' names exercise 'ghost', which does not exist",
        f"{a}:13: link 'b.md#nowhere': no heading '#nowhere' in b.md",
        f"{a}:14: broken link 'missing.md': no chapter or exercise there",
        f"{b}:3: duplicate order '1' (also used by a.md)",
        f"{b}:5: duplicate permalink '/chapters/en/a' (also used by a.md)",
        f"{bad}:10: steps[0].type: expected one of text, scale, choice, checklist, timer (got 'quiz')",
        f"{good}:7: chapters[1]: unknown chapter 'zzz'",
        f"{good}:16: broken link '../../handbook/en/nope.md': no chapter or exercise there",
    ]
    for line in expected:
        assert line in lines, f"{line!r} not in {lines}"
    assert any(line.startswith(f"{c}:2: invalid YAML frontmatter") for line in lines)
    assert not any("code.md" in line or "real-heading" in line for line in lines)
    assert len(lines) == len(expected) + 1
    as_json = invoke("check", "--json", "--handbook", str(tmp_path / "handbook"))
    assert as_json.exit_code == 1
    rows = json.loads(as_json.stdout)
    assert {"path": good, "line": 7, "message": "chapters[1]: unknown chapter 'zzz'"} in rows, (
        "a handbook's sibling exercises folder is checked too"
    )


def test_check_of_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    result = invoke("check", "--handbook", str(tmp_path / "nothing"))
    assert result.exit_code == 2 and "handbook directory not found" in " ".join(
        result.stderr.split()
    )
