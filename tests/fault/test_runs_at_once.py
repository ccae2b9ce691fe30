"""One exercise run belongs to one live process: runs of one exercise at once never merge.

Eight ``peeragogy exercise run group-heartbeat`` processes start together, each
piping its own answers: there must be eight runs, and every answer of every
process must be in the export. A TUI window and a CLI run on one exercise must
not share a run either. A SIGKILLed owner must not block the run forever.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from peeragogy_tui.core.store import open_store

from exercise_support import settled_on_step

REPO = Path(__file__).resolve().parents[2]

PROCESSES = 8
EXERCISE = "group-heartbeat"


def answers_for(number: int) -> list[str]:
    """Process ``number``'s six answer lines (one per step of group-heartbeat)."""
    return [
        str(1 + number % 5),
        f"session plan of process {number}",
        "1,3",
        f"host rota of process {number}",
        f"missed beat of process {number}",
        f"sign of process {number}",
    ]


def env_for(home: Path) -> dict[str, str]:
    return {**os.environ, "PEERAGOGY_HOME": str(home), "PYTHONPATH": str(REPO), "NO_COLOR": "1"}


def test_eight_cli_runs_at_once_never_merge(private_home: Path) -> None:
    # A gate file: every child waits for it, so they all start the run at the same moment.
    gate = private_home.parent / "gate"
    waiter = (
        "import os, sys, time\n"
        f"while not os.path.exists({str(gate)!r}): time.sleep(0.005)\n"
        "from peeragogy_tui.launch import main\n"
        "sys.argv = ['peeragogy', 'exercise', 'run', " + repr(EXERCISE) + "]\n"
        "main()\n"
    )
    procs = []
    for number in range(PROCESSES):
        proc = subprocess.Popen(
            [sys.executable, "-c", waiter],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env_for(private_home),
        )
        assert proc.stdin is not None
        proc.stdin.write("\n".join(answers_for(number)) + "\n")
        proc.stdin.close()
        procs.append(proc)
    time.sleep(0.5)  # let every interpreter start and reach the gate
    gate.write_text("go")
    outputs = []
    for proc in procs:
        out = proc.stdout.read()  # type: ignore[union-attr]
        err = proc.stderr.read()  # type: ignore[union-attr]
        proc.wait(timeout=120)
        assert proc.returncode == 0, out + err
        outputs.append(out)
    saved_as = [line for out in outputs for line in out.splitlines() if "saved as run #" in line]
    assert len(saved_as) == PROCESSES and len(set(saved_as)) == PROCESSES, saved_as
    with open_store(private_home / "answers.sqlite3") as store:
        document = json.loads(store.export_json())
    runs = [run for run in document["runs"] if run["exercise_id"] == EXERCISE]
    assert len(runs) == PROCESSES
    exported = sorted(
        [step["answer"] for step in run["steps"] if step["type"] == "text"] for run in runs
    )
    expected = sorted(
        [line for index, line in enumerate(answers_for(number)) if index in (1, 3, 4, 5)]
        for number in range(PROCESSES)
    )
    assert exported == expected
    assert all(run["status"] == "done" for run in runs)


# -- a TUI window and a CLI run on one exercise -------------------------------------------

CONVENING = "reflect-convening"
CLI_CONVENING = ["cli who", "", "4", "1,3", "cli first minutes", "cli invitation"]


def make_app():  # type: ignore[no-untyped-def]
    from peeragogy_tui.core.exercises import load_exercises
    from peeragogy_tui.core.handbook import load_handbook
    from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
    from peeragogy_tui.tui.app import create_app

    return create_app(
        load_handbook(bundled_handbook_dir()),
        exercises=load_exercises(bundled_exercises_dir()),
        start="convening",
        restore=False,
    )


def run_cli(home: Path, exercise_id: str, lines: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "peeragogy_tui", "exercise", "run", exercise_id],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env_for(home),
        timeout=120,
    )


def cli_waiting_at_step_2(home: Path) -> subprocess.Popen[str]:
    """A piped CLI run of reflect-convening that saved step 1 and now waits for input (holding run #1)."""
    cli = subprocess.Popen(
        [sys.executable, "-m", "peeragogy_tui", "exercise", "run", CONVENING],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_for(home),
    )
    assert cli.stdin is not None and cli.stdout is not None
    cli.stdin.write(CLI_CONVENING[0] + "\n")
    cli.stdin.flush()
    seen = ""
    while "[2/6]" not in seen:
        line = cli.stdout.readline()
        assert line, seen + cli.stderr.read()  # type: ignore[union-attr]
        seen += line
    return cli


def convening_runs(home: Path) -> list[dict[str, object]]:
    with open_store(home / "answers.sqlite3") as store:
        document = json.loads(store.export_json())
    return [run for run in document["runs"] if run["exercise_id"] == CONVENING]


async def test_cli_run_while_a_window_answers_starts_its_own_run(private_home: Path) -> None:
    from textual.widgets import TextArea

    from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.open_exercise(CONVENING)
        # Each step's input is looked up once it is the focused input of that step: looked up a pause
        # after Ctrl+N, it could be the previous step's TextArea, whose refresh after removal crashed
        # the compositor ("No 'text-area--gutter' key in COMPONENT_CLASSES") under load.
        screen = await settled_on_step(pilot, 0)
        screen.query_one(TextArea).load_text("window who")
        await pilot.press("ctrl+n")
        await settled_on_step(pilot, 1)
        assert screen.run is not None and screen.run.index == 1
        done = run_cli(private_home, CONVENING, CLI_CONVENING)
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"run #{screen.run_id} is open in another window (pid {os.getpid()})" in done.stdout
        assert "saved as run #2" in done.stdout
        screen.query_one(TextArea).load_text("window missing voice")
        await pilot.press("ctrl+n")
        await settled_on_step(pilot, 2)
        await pilot.press("escape")
        await pilot.pause()
    runs = {run["run"]: run for run in convening_runs(private_home)}
    assert sorted(runs) == [1, 2]
    window = [(step["key"], step["answer"]) for step in runs[1]["steps"]]  # type: ignore[union-attr]
    assert window == [("who-and-why", "window who"), ("missing-voice", "window missing voice")]
    cli_answers = [step["answer"] for step in runs[2]["steps"]]  # type: ignore[union-attr]
    assert cli_answers[0] == "cli who" and cli_answers[-1] == "cli invitation"
    assert runs[2]["status"] == "done" and runs[1]["status"] == "in_progress"


async def test_window_opened_while_a_cli_run_answers_offers_a_new_run(private_home: Path) -> None:
    from peeragogy_tui.tui.dialogs.confirm import ConfirmDialog
    from peeragogy_tui.tui.dialogs.exercise_overview import ExerciseOverview
    from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen

    cli = cli_waiting_at_step_2(private_home)
    try:
        app = make_app()
        async with app.run_test(size=(100, 32)) as pilot:
            app.open_exercise(CONVENING)
            await pilot.pause()
            overview = app.screen
            assert isinstance(overview, ExerciseOverview)  # its only run is taken: nothing to continue here
            note = str(overview.query_one("#overview-note").render())
            assert f"Run #1 is open in another window (pid {cli.pid})" in note
            await pilot.press("n")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ExerciseScreen) and screen.run_id == 2
            assert screen.run is not None and screen.run.index == 0
            await pilot.press("escape")  # left with no answer: run #2 is not kept
            await pilot.pause()
            # A window opened straight onto the exercise (the claim taken between look and open) asks;
            # saying no leaves nothing behind.
            exercise = app.exercises.get(CONVENING)
            app.push_screen(ExerciseScreen(exercise, app.store))  # type: ignore[arg-type]
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ConfirmDialog)
            assert f"Run #1 is open in another window (pid {cli.pid})" in str(dialog.query_one("#question").render())
            await pilot.press("n")
            await pilot.pause()
            assert not isinstance(app.screen, (ConfirmDialog, ExerciseScreen))
    finally:
        out, err = cli.communicate("\n".join(CLI_CONVENING[1:]) + "\n", timeout=120)
    assert cli.returncode == 0, out + err
    assert "saved as run #1" in out
    (run,) = convening_runs(private_home)  # the windows' runs were left empty, so not kept
    assert run["run"] == 1 and run["status"] == "done"
    assert [step["answer"] for step in run["steps"]][0] == "cli who"  # type: ignore[index]


def test_a_sigkilled_owner_never_blocks_its_run(private_home: Path) -> None:
    owner = cli_waiting_at_step_2(private_home)
    owner.send_signal(signal.SIGKILL)
    owner.wait(timeout=30)
    done = run_cli(private_home, CONVENING, CLI_CONVENING[1:])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "open in another window" not in done.stdout
    assert "Resuming your unfinished run #1" in done.stdout and "saved as run #1" in done.stdout
    (run,) = convening_runs(private_home)
    assert [step["answer"] for step in run["steps"]][0] == "cli who"  # type: ignore[index]
    assert run["status"] == "done"
