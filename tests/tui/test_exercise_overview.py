"""Opening an exercise that is done shows it first; nothing is started, and done stays done."""

from __future__ import annotations

from textual.widgets import OptionList, TextArea

from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.store import open_store
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.dialogs.exercise_overview import ExerciseOverview
from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen
from peeragogy_tui.tui.screens.main import MainScreen
from peeragogy_tui.tui.screens.review import ReviewScreen

SIZE = (100, 32)
EXERCISE = "reflect-convening"


def make():  # type: ignore[no-untyped-def]
    return create_app(
        load_handbook(bundled_handbook_dir()),
        exercises=load_exercises(bundled_exercises_dir()),
        start="convening",
        restore=False,
    )


def finished_run() -> int:
    exercise = load_exercises(bundled_exercises_dir()).get(EXERCISE)
    assert exercise is not None
    with open_store() as store:
        run_id = store.start_run(exercise.id, exercise.title)
        store.save_answer(run_id, exercise.key(0), "Ann and Bo", step_index=0, prompt=exercise.steps[0].prompt)
        store.finish_run(run_id)
    return run_id


def status_and_runs() -> tuple[str | None, int]:
    with open_store() as store:
        return store.statuses().get(EXERCISE), len(store.runs(EXERCISE))


async def test_a_finished_exercise_shows_its_runs_and_starts_nothing() -> None:
    run_id = finished_run()
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        app.open_exercise(EXERCISE)  # as a chapter's link does
        await pilot.pause()
        overview = app.screen
        assert isinstance(overview, ExerciseOverview)
        options = overview.query_one(OptionList)
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert lines[0] == "▶ Start a new run"
        assert lines[1].startswith(f"#{run_id} ") and "done · 1 of 6 answered" in lines[1]
        assert "Done 1 time." in str(overview.query_one("#overview-note").render())
        assert status_and_runs() == ("done", 1)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert status_and_runs() == ("done", 1)
        # Enter on an earlier run reads it.
        app.open_exercise(EXERCISE)
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.query_one("#runs", OptionList).highlighted_option.id == str(run_id)  # type: ignore[union-attr]
    assert status_and_runs() == ("done", 1)


async def test_a_new_run_left_empty_is_not_kept_and_done_stays_done() -> None:
    finished_run()
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        app.open_exercise(EXERCISE)
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen) and screen.run is not None and screen.run.index == 0
        assert status_and_runs() == ("in_progress", 2)  # the run exists while it is open
        await pilot.press("escape")
        await pilot.pause()
        assert status_and_runs() == ("done", 1)
        # A new run with an answer is kept, and continuing it needs no overview.
        app.open_exercise(EXERCISE)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        screen.query_one(TextArea).load_text("Cleo and Dev")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert status_and_runs() == ("in_progress", 2)
        app.open_exercise(EXERCISE)
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen) and app.screen.run.index == 1  # type: ignore[union-attr]
