"""Pilot tests: the exercise list, a run, resume with a draft, and review."""

from __future__ import annotations

from textual.widgets import OptionList, ProgressBar, TextArea

from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.store import open_store
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.dialogs.exercise_overview import ExerciseOverview
from peeragogy_tui.tui.screens.exercise_list import ExerciseListScreen
from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen
from peeragogy_tui.tui.screens.review import ReviewScreen

SIZE = (100, 32)


def make(start: str = "convening"):
    return create_app(
        load_handbook(bundled_handbook_dir()),
        exercises=load_exercises(bundled_exercises_dir()),
        start=start,
        restore=False,
    )


async def test_list_shows_chapter_exercises_and_progress():
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, ExerciseListScreen)
        ids = [o.id for o in screen.query_one(OptionList).options if o.id]
        assert set(ids) == {e.id for e in app.exercises.for_chapter("convening")}
        assert "0 of" in str(screen.query_one("#done-count").render())
        await pilot.press("a")
        all_ids = [o.id for o in screen.query_one(OptionList).options if o.id]
        assert len(all_ids) == len(app.exercises.exercises) >= 12


async def test_run_saves_each_answer_and_resumes_with_draft():
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        app.open_exercise("reflect-convening")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        pasted = "Line one [bold]\nline two \x1b[31m\n\nline four"
        screen.query_one(TextArea).load_text(pasted)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.run.index == 1
        screen.query_one(TextArea).load_text("half-written thought")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExerciseScreen)
    with open_store() as store:
        run = store.unfinished_run("reflect-convening")
        assert run is not None
        assert run.answers[0].value == pasted
        exercise = app.exercises.get("reflect-convening")
        assert store.get_draft(run.id, exercise.key(1)) == "half-written thought"
    again = make()
    async with again.run_test(size=SIZE) as pilot:
        again.open_exercise("reflect-convening")
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, ExerciseScreen)
        assert screen.run.index == 1
        assert screen.query_one(TextArea).text == "half-written thought"
        assert "Step 2 of" in str(screen.query_one("#step-count").render())


async def test_finish_and_review_keeps_earlier_runs():
    app = make("principles")
    async with app.run_test(size=SIZE) as pilot:
        for time in range(2):
            app.open_exercise("principles-self-assessment")
            await pilot.pause()
            if time == 1:  # done once: the overview comes first, and n starts a new run
                assert isinstance(app.screen, ExerciseOverview)
                await pilot.press("n")
                await pilot.pause()
            screen = app.screen
            while not screen.run.done:
                await pilot.press("ctrl+o")
                await pilot.pause()
            assert "Done" in str(screen.query_one("#step-count").render())
            await pilot.press("escape")
            await pilot.pause()
        app.review_exercise("principles-self-assessment")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert len(app.screen.runs) == 2
        assert all(run.status == "done" for run in app.screen.runs)


async def test_scale_and_choice_inputs_record_values():
    app = make("principles")
    async with app.run_test(size=SIZE) as pilot:
        app.open_exercise("principles-self-assessment")
        await pilot.pause()
        screen = app.screen
        step = screen.run.current_step
        assert step.type == "scale"
        await pilot.press("down", "down", "enter")
        await pilot.press("ctrl+n")
        await pilot.pause()
        key = screen.exercise.key(0)
        assert screen.run.answers[key] in range(step.min, step.max + 1)
        progress = screen.query_one("#step-progress", ProgressBar)
        assert progress.progress == 1


async def test_finished_summary_names_the_scale():
    from peeragogy_tui.core.store import record_step, start_or_resume

    exercise = load_exercises(bundled_exercises_dir()).get("reflect-convening")
    with open_store() as store:  # every step but the last answered, the scale with 5
        opened = start_or_resume(store, exercise)
        for index, value in enumerate(["Ann and Bo", None, 5, ["Word of mouth from another member"], "names"]):
            opened.run.skip() if value is None else opened.run.answer(value)
            record_step(store, opened.run_id, opened.run, index)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        app.open_exercise("reflect-convening")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen) and screen.run.index == 5
        await pilot.press("ctrl+o")
        await pilot.pause()
        shown = "\n".join(str(widget.render()) for widget in screen.query("#step-slot Static"))
        assert "5 of 5 (Anyone invited could explain it)" in shown
    with open_store() as store:
        (run,) = store.runs("reflect-convening")
        assert "> 5 of 5 (Anyone invited could explain it)" in store.export_markdown()
