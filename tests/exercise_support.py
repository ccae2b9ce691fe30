"""Shared helpers for tests that drive the exercise screen."""

from __future__ import annotations

from typing import Any

from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import PeeragogyApp, create_app
from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen


def bundled_app(start: str = "convening", **options: Any) -> PeeragogyApp:
    """The app on the bundled handbook and exercises, no restored reading position."""
    return create_app(
        load_handbook(bundled_handbook_dir()),
        exercises=load_exercises(bundled_exercises_dir()),
        start=start,
        restore=False,
        **options,
    )


async def settled_on_step(pilot: Any, index: int, rounds: int = 200) -> ExerciseScreen:
    """Wait (for conditions, not time) until the exercise screen shows step ``index`` with its input focused.

    Under load the screen, the step and the focus each arrive a few messages
    apart; a test that looks between them sees the previous step or no cursor.
    """
    app = pilot.app
    for _ in range(rounds):
        screen = app.screen
        if isinstance(screen, ExerciseScreen) and screen.run is not None and screen.run.index == index:
            step = screen.step_input
            if step is not None and step.main_control() is not None and app.focused is step.main_control():
                await pilot.pause()
                return screen
        await pilot.pause()
    raise AssertionError(f"the exercise screen never settled on step {index + 1}")
