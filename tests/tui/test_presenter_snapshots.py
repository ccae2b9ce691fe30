"""Snapshot tests of presenter mode at 100×30, the size of a terminal shared on a call (review before --snapshot-update)."""

from __future__ import annotations

from textual.widgets import TextArea

from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import create_app

from exercise_support import settled_on_step

SHARED = (100, 30)


def presenting_app(start: str):
    return create_app(
        load_handbook(bundled_handbook_dir()),
        exercises=load_exercises(bundled_exercises_dir()),
        start=start,
        restore=False,
        present=True,
    )


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
