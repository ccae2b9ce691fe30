"""Reset and move: `answers import` reads an export back in (twice adds nothing); `exercise reset` asks first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peeragogy_tui.cli import app
from peeragogy_tui.core.store import Claimant, open_store
from peeragogy_tui.core.store.reading import ReadingStore

runner = CliRunner()
SCRIPT = "Ann and Bo\n\n4\n1,3\nnames first\nDear Sam,\n"


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def answered_home() -> None:
    """A finished run of reflect-convening and one bookmark in the current data dir."""
    assert invoke("exercise", "run", "reflect-convening", input=SCRIPT).exit_code == 0
    with open_store() as store:
        ReadingStore(store.db).add_bookmark("bundled#en", "convening", "Convening", block=3, note="café ☕")


def exported(tmp_path: Path, name: str = "export.json") -> Path:
    target = tmp_path / name
    result = invoke("answers", "export", "-o", str(target))
    assert result.exit_code == 0, result.output
    return target


def runs_of(document: dict) -> list[dict]:  # type: ignore[type-arg]
    return [{key: value for key, value in run.items() if key != "run"} for run in document["runs"]]


def test_import_moves_runs_and_bookmarks_and_twice_adds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered_home()
    source = exported(tmp_path)
    before = json.loads(source.read_text("utf-8"))
    assert before["runs"][0]["uuid"] and before["bookmarks"][0]["note"] == "café ☕"
    monkeypatch.setenv("PEERAGOGY_HOME", str(tmp_path / "other-computer"))
    first = invoke("answers", "import", str(source))
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == "Imported 1 run (6 answers) and 1 bookmark."
    again = invoke("answers", "import", str(source))
    assert again.exit_code == 0, again.output
    assert again.stdout.strip() == "Imported 0 runs (0 answers) and 0 bookmarks; 1 run and 1 bookmark were already here."
    after = json.loads(exported(tmp_path, "after.json").read_text("utf-8"))
    assert runs_of(after) == runs_of(before)  # answers byte-exact, scale, uuid and dates kept
    assert after["bookmarks"] == before["bookmarks"]
    assert "Imported 0 runs" in invoke("answers", "import", str(exported(tmp_path, "round.json"))).stdout
    with open_store() as store:
        assert store.statuses() == {"reflect-convening": "done"}


def test_an_export_without_uuids_imports_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answered_home()
    document = json.loads(exported(tmp_path).read_text("utf-8"))
    for run in document["runs"]:
        del run["uuid"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv("PEERAGOGY_HOME", str(tmp_path / "other-computer"))
    assert "Imported 1 run" in invoke("answers", "import", str(old)).stdout
    assert "Imported 0 runs" in invoke("answers", "import", str(old)).stdout


def test_a_bad_file_imports_nothing_and_says_where(tmp_path: Path) -> None:
    answered_home()
    document = json.loads(exported(tmp_path).read_text("utf-8"))
    document["runs"].append({**document["runs"][0], "uuid": "another", "status": "finished"})
    document["runs"][0]["uuid"] = "a-new-one"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    result = invoke("answers", "import", str(bad))
    assert result.exit_code == 2
    assert f"{bad}: run 2 of the file: status \"finished\" is not one of new, in_progress, done" in result.output
    with open_store() as store:
        assert len(store.runs()) == 1  # run 1 of the file was not imported either
    broken = tmp_path / "broken.json"
    broken.write_text('{\n "format": "peeragogy-answers",\n oops\n}', encoding="utf-8")
    result = invoke("answers", "import", str(broken))
    assert result.exit_code == 2 and f"{broken}:3: not valid JSON" in result.output
    assert "Traceback" not in result.output
    markdown = tmp_path / "answers.md"
    markdown.write_text("# Peeragogy answers\n", encoding="utf-8")
    result = invoke("answers", "import", str(markdown))
    assert result.exit_code == 2 and "not --format md" in result.output
    result = invoke("answers", "import", str(tmp_path / "missing.json"))
    assert result.exit_code == 2 and "no such file" in result.output


def test_reset_asks_first_and_spares_other_exercises() -> None:
    answered_home()
    assert invoke("exercise", "run", "reflect-changing", input="one\n").exit_code == 0
    refused = invoke("exercise", "reset", "reflect-convening")
    assert refused.exit_code == 2 and "--yes" in refused.output
    with open_store() as store:
        assert len(store.runs("reflect-convening")) == 1
    done = invoke("exercise", "reset", "reflect-convening", "--yes")
    assert done.exit_code == 0, done.output
    assert "Reset 'Reflect on Convening': deleted 1 run." in done.stdout
    with open_store() as store:
        assert store.runs("reflect-convening") == [] and len(store.runs("reflect-changing")) == 1
    assert "new" in invoke("exercises", "list").stdout


def test_reset_refuses_while_a_run_is_open_elsewhere() -> None:
    assert invoke("exercise", "run", "reflect-convening", input="one\n").exit_code == 0
    with open_store() as store:
        (run,) = store.runs("reflect-convening")
        assert store.claim_run(run.id, Claimant.here()) is None  # a live window (this process) holds it
    result = invoke("exercise", "reset", "reflect-convening", "--yes")
    assert result.exit_code == 2 and f"run #{run.id} is open in another window" in result.output
    with open_store() as store:
        assert len(store.runs("reflect-convening")) == 1


async def test_x_in_the_exercise_list_resets_after_asking() -> None:
    from textual.widgets import OptionList

    from peeragogy_tui.core.exercises import load_exercises
    from peeragogy_tui.core.handbook import load_handbook
    from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
    from peeragogy_tui.tui.app import create_app
    from peeragogy_tui.tui.dialogs.confirm import ConfirmDialog
    from peeragogy_tui.tui.screens.exercise_list import ExerciseListScreen

    answered_home()
    app = create_app(
        load_handbook(bundled_handbook_dir()), exercises=load_exercises(bundled_exercises_dir()),
        start="convening", restore=False,
    )
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseListScreen)
        options = screen.query_one(OptionList)
        options.highlighted = options.get_option_index("reflect-convening")
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Reset “Reflect on Convening”?" in str(dialog.query_one("#question").render())
        assert "1 run and 6 answers" in str(dialog.query_one("#detail").render())
        await pilot.press("n")
        await pilot.pause()
        with open_store() as store:
            assert len(store.runs("reflect-convening")) == 1
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        with open_store() as store:
            assert store.runs("reflect-convening") == []
        label = str(options.get_option(  "reflect-convening").prompt)
        assert "new" in label
