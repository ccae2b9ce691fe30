"""Typing into an exercise step: a resumed draft continues where it ended (issue 13)."""

from __future__ import annotations

from textual.widgets import TextArea

from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.store import open_store
from peeragogy_tui.paths import bundled_exercises_dir
from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen

from exercise_support import bundled_app


async def test_a_resumed_draft_puts_the_cursor_at_its_end():
    exercise = load_exercises(bundled_exercises_dir()).get("reflect-convening")
    with open_store() as store:
        run_id = store.start_run(exercise.id, exercise.title)
        store.save_draft(run_id, exercise.key(0), "first line\nsecond line")
    app = bundled_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.open_exercise("reflect-convening")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        area = screen.query_one(TextArea)
        assert app.focused is area
        await pilot.press("space", "a", "n", "d")
        assert area.text == "first line\nsecond line and"
        assert area.cursor_location == (1, len("second line and"))
