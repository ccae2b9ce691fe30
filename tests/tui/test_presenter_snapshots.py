"""Snapshot tests of presenter mode at 100×30, the size of a terminal shared on a call (review before --snapshot-update)."""

from __future__ import annotations

from textual.widgets import TextArea

from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen

SHARED = (100, 30)


def presenting_app(start: str):
    return create_app(
        load_handbook(bundled_handbook_dir()),
        exercises=load_exercises(bundled_exercises_dir()),
        start=start,
        restore=False,
        present=True,
    )


async def settled_on_step(pilot, index: int, rounds: int = 200) -> None:
    """Wait (for conditions, not time) until the exercise screen shows step ``index`` with its input focused.

    Under load the screen, the step and the focus each arrive a few messages
    apart; a snapshot taken between them showed the previous step or no cursor.
    """
    app = pilot.app

    def ready() -> bool:
        screen = app.screen
        if not isinstance(screen, ExerciseScreen) or screen.run is None or screen.run.index != index:
            return False
        step = screen.step_input
        return step is not None and step.main_control() is not None and app.focused is step.main_control()

    for _ in range(rounds):
        if ready():
            return
        await pilot.pause()
    raise AssertionError(f"the exercise screen never settled on step {index + 1}")


class TestPresenterMode:
    def test_chapter(self, snap_compare):
        """Chapter 4 of 16: large digits, the title band, a centred column, no tree or footer."""
        assert snap_compare(presenting_app("convening"), terminal_size=SHARED)

    def test_chapter_zoomed_in(self, snap_compare):
        """Two zoom steps in: a narrower column and two blank lines between blocks."""
        assert snap_compare(presenting_app("convening"), press=["plus", "plus"], terminal_size=SHARED)

    def test_exercise_timer_step(self, snap_compare):
        """Step 2 of 8 of the Knowledge Café: the prompt big and centred, the hint, a central timer."""

        async def run_before(pilot):
            app = pilot.app
            app.open_exercise("knowledge-cafe")
            await settled_on_step(pilot, 0)
            await pilot.press("ctrl+n")
            await settled_on_step(pilot, 1)
            for area in app.screen.query(TextArea):
                area.cursor_blink = False
            await pilot.pause()

        assert snap_compare(presenting_app("conversational-leadership"), run_before=run_before, terminal_size=SHARED)
