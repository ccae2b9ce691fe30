"""Every key typed belongs to the step it was typed in, however fast (issue 13).

Keys are put on the app's queue in one burst, with no pause at all, the way a
fast typist or a terminal paste delivers them: before the screen has
finished opening, and right behind each Ctrl+N while the next step is being
built. Every answer must come out exactly as typed.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from textual import events
from textual.widgets import TextArea

from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.store import open_store
from peeragogy_tui.paths import bundled_handbook_dir
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen

STEPS = 12


def twelve_steps(folder: Path) -> Path:
    lines = [
        "---",
        "id: twelve",
        "title: Twelve quick answers",
        "lang: en",
        "chapters: [convening]",
        "kind: solo",
        "minutes: 5",
        "summary: Twelve text steps.",
        "steps:",
    ]
    for number in range(1, STEPS + 1):
        lines += [f"  - id: q{number:02d}", "    type: text", f"    prompt: Question {number}?"]
    lines += ["---", "", "Twelve questions in a row.", ""]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "twelve.md").write_text("\n".join(lines), encoding="utf-8")
    return folder


def answer(number: int) -> str:
    return f"w{number:02d} abc xyz {number * 7}"


def key_event(char: str) -> events.Key:
    return events.Key("space", " ") if char == " " else events.Key(char, char)


def send_burst(app, keys: list[events.Key]) -> None:
    """Queue every key on the app at once: nothing is processed in between."""
    for event in keys:
        app.post_message(event)


async def wait_for(pilot, condition, rounds: int = 400) -> bool:
    """Let the app work until ``condition()`` holds (True) or it has been idle ``rounds`` times (False)."""
    for _ in range(rounds):
        if condition():
            return True
        await pilot.pause()
    return condition()


def make(tmp_path: Path):
    return create_app(
        load_handbook(bundled_handbook_dir()),
        exercises=load_exercises(twelve_steps(tmp_path / "exercises")),
        start="convening",
        restore=False,
    )


def run_finished(app) -> bool:
    screen = app.screen
    return isinstance(screen, ExerciseScreen) and screen.run is not None and screen.run.done


@pytest.mark.parametrize("pause_after_step_key", [0.0, 0.05], ids=["no-pause", "50ms-after-ctrl-n"])
async def test_keys_typed_fast_across_twelve_steps_land_in_their_own_answers(
    tmp_path: Path, pause_after_step_key: float
):
    app = make(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        app.open_exercise("twelve")
        # The first keys arrive while the screen is still opening.
        for number in range(1, STEPS + 1):
            send_burst(app, [key_event(char) for char in answer(number)] + [events.Key("ctrl+n", None)])
            if pause_after_step_key:
                await asyncio.sleep(pause_after_step_key)
        await wait_for(pilot, lambda: run_finished(app))
    with open_store() as store:
        run = store.latest_run("twelve")
        got = run.answer_map() if run is not None else {}
    assert got == {f"q{n:02d}": answer(n) for n in range(1, STEPS + 1)}


async def test_keys_typed_as_the_screen_opens_are_kept(tmp_path: Path):
    app = make(tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        app.open_exercise("twelve")
        send_burst(app, [key_event(char) for char in "quick start"])

        def typed() -> str | None:
            found = app.screen.query(TextArea) if isinstance(app.screen, ExerciseScreen) else None
            return found.first().text if found else None

        await wait_for(pilot, lambda: typed() == "quick start", rounds=50)
        assert app.is_running, "a typed 'q' must not quit the app"
        assert typed() == "quick start"
