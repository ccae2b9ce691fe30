"""Enter on a "Your answers" search hit opens the review on the run that holds it, at that answer."""

from __future__ import annotations

from textual.widgets import OptionList

from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.store import open_store
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.screens.review import ReviewScreen
from test_search_screen import SIZE, wait_for_results

LONG = "\n".join(f"A line of reflection number {i} that fills the review pane." for i in range(12))


def save_finished_run(exercise, last_answer: str) -> int:  # type: ignore[no-untyped-def]
    with open_store() as store:
        run_id = store.start_run(exercise.id, exercise.title)
        for index, step in enumerate(exercise.steps):
            value = last_answer if index == len(exercise.steps) - 1 else LONG
            if step.type != "text":
                value = None  # skipped
            store.save_answer(run_id, exercise.key(index), value, step_index=index, prompt=step.prompt, step_type=step.type)
        store.finish_run(run_id)
        return run_id


async def test_an_answer_hit_opens_its_run_scrolled_to_it(make_app) -> None:
    exercises = load_exercises(bundled_exercises_dir(), "en")
    exercise = exercises.get("reflect-convening")
    assert exercise is not None and exercise.steps[-1].type == "text"
    holder = save_finished_run(exercise, "Invite the quokkaesque neighbour first.")
    newer = save_finished_run(exercise, "Invite the choir next.")
    with open_store() as store:
        store.start_run(exercise.id, exercise.title)  # opened again: the newest run is empty
    app = make_app(load_handbook(bundled_handbook_dir()), exercises_dir=bundled_exercises_dir(), restore=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        search = app.screen
        await pilot.press(*"quokkaesque")
        await wait_for_results(pilot, search)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.02)
            if isinstance(app.screen, ReviewScreen):
                break
        review = app.screen
        assert isinstance(review, ReviewScreen)
        runs = review.query_one("#runs", OptionList)
        assert runs.highlighted_option is not None and runs.highlighted_option.id == str(holder) != str(newer)
        await pilot.pause()
        found = review.query_one(".-found")
        assert "quokkaesque" in str(found.render()) and "▶ found:" in str(found.render())
        pane = review.query_one("#answers")
        assert pane.scroll_y > 0, "the answer is below the first screen, so the pane scrolled"
        top, bottom = pane.scroll_y, pane.scroll_y + pane.scrollable_content_region.height
        assert top <= found.virtual_region.y < bottom, "the found answer is on screen"
