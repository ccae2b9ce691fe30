"""The exercise screen at 80×24 and without colour (issue 11).

The title, the prompt and the whole input are on screen for every bundled
exercise, on the first step and the next; the introduction folds away after
the first step (Ctrl+T opens it); choices read ◉/○ and [x]/[ ] without
colour; Ctrl+N on an unanswered scale names its real bounds; in presenter
mode a toast sits on a free bottom row.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import RadioButton, RadioSet, SelectionList, Static, TextArea
from textual.widgets._toast import Toast

from peeragogy_tui.core.exercises import ScaleStep
from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen
from peeragogy_tui.tui.widgets.exercise_intro import ExerciseIntro

from exercise_support import bundled_app, settled_on_step

SMALL = (80, 24)


def make(**options):
    return bundled_app(**options)


def visible_rows(widget, within: Region) -> int:
    return widget.region.intersection(within).height


def assert_question_on_screen(screen: ExerciseScreen, where: str) -> None:
    width, height = screen.size
    usable = Region(0, 0, width, height - 1)  # the footer's row
    title = screen.query_one("#exercise-title")
    assert usable.contains_region(title.region) and title.region.height == 1, f"{where}: the title scrolled away"
    prompt = screen.query_one("#prompt", Static)
    assert usable.contains_region(prompt.region), f"{where}: the prompt is cut off {prompt.region}"
    body = screen.query_one("#step-body").region.intersection(usable)
    control = screen.step_input.main_control()
    if isinstance(control, TextArea):
        assert visible_rows(control, body) >= 5, f"{where}: the answer box shows {visible_rows(control, body)} rows"
    else:
        assert body.contains_region(control.region), f"{where}: the choices are cut off {control.region} in {body}"


async def test_every_exercise_shows_title_prompt_and_input_at_80x24():
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        for exercise in app.exercises.exercises:
            app.open_exercise(exercise.id)
            screen = await settled_on_step(pilot, 0)
            assert_question_on_screen(screen, f"{exercise.id} step 1")
            await pilot.press("ctrl+o")
            screen = await settled_on_step(pilot, 1)
            assert_question_on_screen(screen, f"{exercise.id} step 2")
            assert screen.query_one(ExerciseIntro).folded
            await pilot.press("escape")
            for _ in range(50):
                if not isinstance(app.screen, ExerciseScreen):
                    break
                await pilot.pause()


async def test_the_intro_folds_after_the_first_step_and_ctrl_t_opens_it():
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        app.open_exercise("reflect-convening")
        screen = await settled_on_step(pilot, 0)
        intro = screen.query_one(ExerciseIntro)
        assert not intro.folded and "Every learning group" in str(screen.query_one("#exercise-intro").render())
        await pilot.press("ctrl+t")
        assert intro.folded
        await pilot.press("ctrl+t")
        assert not intro.folded
        await pilot.press("ctrl+t")
        screen.query_one(TextArea).load_text("an answer")
        await pilot.press("ctrl+n")
        screen = await settled_on_step(pilot, 1)
        assert intro.folded
        assert "Ctrl+T" in str(screen.query_one("#intro-folded").render())
        await pilot.press("ctrl+t")
        assert not intro.folded


async def test_choices_and_ticks_read_without_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        app.open_exercise("principles-self-assessment")
        screen = await settled_on_step(pilot, 0)
        await pilot.press("down", "space")
        marks = [button.render().plain.split()[0] for button in screen.query(RadioButton)]
        assert marks == ["▐○▌", "▐◉▌", "○", "○", "○"] or [m.strip("▐▌") for m in marks] == ["○", "◉", "○", "○", "○"]
        assert screen.query_one(RadioSet).pressed_index == 1
        await pilot.press("escape")
        app.open_exercise("group-heartbeat")
        screen = await settled_on_step(pilot, 0)
        await pilot.press("ctrl+o", "ctrl+o")
        screen = await settled_on_step(pilot, 2)
        ticks = screen.query_one(SelectionList)
        await pilot.press("space", "down", "down", "space")
        lines = [ticks.render_line(y).text for y in range(ticks.option_count)]
        assert [line.split()[0] for line in lines] == ["[x]", "[", "[x]", "[", "["]
        assert all(line.startswith("[ ]") for index, line in enumerate(lines) if index not in (0, 2))


async def test_ctrl_n_on_an_unanswered_scale_names_its_bounds():
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        app.open_exercise("principles-self-assessment")
        screen = await settled_on_step(pilot, 0)
        step = screen.run.current_step
        assert isinstance(step, ScaleStep)
        await pilot.press("ctrl+n")
        await pilot.pause()
        messages = [notification.message for notification in app._notifications]
        assert f"pick a number from {step.min} to {step.max}, or skip with Ctrl+O" in messages
        assert screen.run.index == 0


async def test_toasts_sit_on_a_free_bottom_row_in_presenter_mode():
    app = make(present=True)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.open_exercise("reflect-convening")
        screen = await settled_on_step(pilot, 0)
        await pilot.press("ctrl+n")  # nothing written: a warning toast
        for _ in range(50):
            if screen.query(Toast):
                break
            await pilot.pause()
        await pilot.pause()
        toast = screen.query(Toast).first()
        row = screen.query_one("#toast-row").region
        assert toast.region.height == 1 and row.contains_region(toast.region), (toast.region, row)
        for selector in ("#exercise-column", "#present-header"):
            assert not screen.query_one(selector).region.overlaps(toast.region), selector
