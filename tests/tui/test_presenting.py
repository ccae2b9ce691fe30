"""Presenter mode with Pilot: toggling, zoom, following the reader into an exercise, no facilitator text."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Digits, Footer, TextArea

from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.render.present import ZOOM_MAX, ZOOM_MIN
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import PeeragogyApp, create_app
from peeragogy_tui.tui.presenting import PRESENT_THEME
from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen
from peeragogy_tui.tui.screens.main import MainScreen
from peeragogy_tui.tui.widgets.chapter_tree import ChapterTree
from peeragogy_tui.tui.widgets.presenter_header import PresenterHeader

SIZE = (100, 30)


def make(start: str = "convening", *, present: bool = False, exercises=None) -> PeeragogyApp:
    return create_app(
        load_handbook(bundled_handbook_dir()),
        exercises=exercises if exercises is not None else load_exercises(bundled_exercises_dir()),
        start=start,
        restore=False,
        present=present,
    )


def header_numbers(screen) -> tuple[str, str]:
    header = screen.query_one(PresenterHeader)
    return header.query_one(".present-number", Digits).value, header.query_one(".present-total", Digits).value


async def test_f5_toggles_presenting_and_restores_the_tree_and_theme():
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        theme_before = app.theme
        tree = screen.query_one(ChapterTree)
        status = screen.query_one("#chapter-status")
        assert tree.display and status.display and screen.query_one(Footer).display
        assert not [header for header in screen.query(PresenterHeader) if header.display]

        await pilot.press("f5")
        await pilot.pause()
        header = screen.query_one(PresenterHeader)  # made when presenter mode first turns on
        assert app.presenting and app.has_class("-presenting")
        assert app.theme == PRESENT_THEME.name
        assert not tree.display and not status.display and not screen.query_one(Footer).display
        assert header.display
        assert header_numbers(screen) == (str(screen.chapter.index + 1), str(len(app.handbook.chapters)))
        assert screen.document_view.presenting and screen.document_view.has_focus

        await pilot.press("f5")
        await pilot.pause()
        assert not app.presenting and not app.has_class("-presenting")
        assert app.theme == theme_before
        assert tree.display and status.display and screen.query_one(Footer).display
        assert not header.display
        assert not screen.document_view.presenting


async def test_presenting_hides_the_tree_even_after_it_was_toggled_back_on():
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        tree = app.screen.query_one(ChapterTree)
        await pilot.press("t", "t")  # hidden, then shown again
        await pilot.pause()
        assert tree.display
        await pilot.press("f5")
        await pilot.pause()
        assert not tree.display
        await pilot.press("t")  # no effect while presenting
        await pilot.press("f5")
        await pilot.pause()
        assert tree.display
        await pilot.press("t")  # hide it: it stays hidden after presenting
        await pilot.press("f5", "f5")
        await pilot.pause()
        assert not tree.display


async def test_zoom_changes_the_text_column_and_spacing():
    app = make(present=True)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.document_view
        await pilot.pause()
        start_width, start_lines = view.layout_result.width, len(view.lines)
        normal_margin = view._laid_out_for[1]
        await pilot.press("plus")
        await pilot.pause()
        assert app.zoom == 1
        assert view.layout_result.width < start_width
        assert len(view.lines) > start_lines  # narrower and more space between blocks
        assert view._laid_out_for[1] > normal_margin  # the column stays centred
        await pilot.press("minus", "minus", "minus")
        await pilot.pause()
        assert app.zoom == -2
        assert view.layout_result.width > start_width
        for _ in range(10):
            await pilot.press("equals_sign")
        await pilot.pause()
        assert app.zoom == ZOOM_MAX
        for _ in range(10):
            await pilot.press("minus")
        await pilot.pause()
        assert app.zoom == ZOOM_MIN


async def test_zoom_keys_do_nothing_when_not_presenting():
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.document_view
        width = view.layout_result.width
        await pilot.press("plus", "plus", "minus")
        await pilot.pause()
        assert app.zoom == 0
        assert view.layout_result.width == width


async def test_presenting_survives_the_next_chapter_and_an_exercise():
    app = make(present=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        first = screen.chapter.index
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.presenting and screen.chapter.index == first + 1
        assert header_numbers(screen)[0] == str(first + 2)
        assert screen.document_view.presenting
        assert any("━" * 10 in line.plain for line in screen.document_view.lines[:3])  # the H1 band

        app.open_exercise("reflect-convening")
        await pilot.pause()
        exercise_screen = app.screen
        assert isinstance(exercise_screen, ExerciseScreen)
        assert exercise_screen.query_one("#present-header").display
        assert not exercise_screen.query_one("#step-count").display
        assert header_numbers(exercise_screen) == ("1", str(len(exercise_screen.exercise.steps)))
        exercise_screen.query_one(TextArea).load_text("an answer")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert header_numbers(exercise_screen)[0] == "2"

        await pilot.press("f5")  # leaving presenter mode on the exercise screen works too
        await pilot.pause()
        assert exercise_screen.query_one("#step-count").display
        assert not exercise_screen.query_one("#present-header").display
        await pilot.press("f5", "escape")
        await pilot.pause()
        assert app.screen is screen and app.presenting
        assert not screen.query_one(ChapterTree).display


async def test_exercise_column_follows_the_zoom():
    app = make(present=True)
    async with app.run_test(size=SIZE) as pilot:
        app.open_exercise("reflect-convening")
        await pilot.pause()
        column = app.screen.query_one("#exercise-column")
        width = column.size.width
        answer = app.screen.query_one(TextArea)
        assert answer.has_focus
        await pilot.press("plus", "minus")  # typed into the answer, not taken as zoom keys
        await pilot.pause()
        assert answer.text == "+-" and app.zoom == 0
        app.screen.set_focus(None)
        await pilot.press("plus")
        await pilot.pause()
        assert app.zoom == 1
        assert column.size.width < width
        await pilot.press("f5")
        await pilot.pause()
        assert column.size.width > width  # back to the full width when not presenting


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 50)])
async def test_presenting_fits_at_common_sizes(size):
    app = make("facilitating-a-workshop", present=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        view = app.screen.document_view
        available = view.scrollable_content_region.width
        margin = view._laid_out_for[1]
        for line in view.lines:
            assert margin + cell_len(line.plain) <= available
        title = app.screen.query_one(".present-title")
        assert title.region.right <= size[0]
        assert app.screen.query_one(PresenterHeader).region.height == 4


# --- facilitator text ---------------------------------------------------------------------------

TOKEN = "FACILITATOR-ONLY-7f3a9c"

EXERCISE = f"""---
id: secret-notes
title: Planted notes
lang: en
chapters: [convening]
kind: group
minutes: 20
group_size: {{min: 2, max: 8}}
summary: An exercise whose facilitator text must never reach a shared screen.
facilitator_notes: |
  Notes for the host only: {TOKEN}-notes
steps:
  - type: text
    prompt: Write one thing.
    hint: A short hint everyone sees.
    facilitator: "{TOKEN}-step1"
  - type: scale
    prompt: How sure are you?
    min: 1
    max: 5
    facilitator: "{TOKEN}-step2"
  - type: choice
    prompt: Pick one.
    options: [left, right]
    facilitator: "{TOKEN}-step3"
  - type: checklist
    prompt: Tick what you did.
    items: [read, wrote]
    facilitator: "{TOKEN}-step4"
  - type: timer
    prompt: Talk in pairs.
    minutes: 5
    facilitator: "{TOKEN}-step5"
---
Everyone reads this introduction.
"""


def screen_text(app: PeeragogyApp) -> str:
    """What the current screen shows: its screenshot, and the rendering of every widget that is
    displayed, scrolled into view or not (a ``display: none`` widget, such as a facilitator-only
    panel hidden by presenter mode, is not shown)."""
    parts = [app.export_screenshot().replace("&#160;", " ")]
    for widget in app.screen.query("*"):
        if not all(node.display for node in widget.ancestors_with_self if node is not app):
            continue
        parts.append(str(widget.render()))
        if isinstance(widget, TextArea):
            parts.append(widget.text)
    return "\n".join(parts)


async def test_facilitator_text_never_shows_while_presenting(tmp_path: Path):
    (tmp_path / "secret-notes.md").write_text(EXERCISE, encoding="utf-8")
    exercises = load_exercises(tmp_path)
    assert not exercises.broken, exercises.broken
    exercise = exercises.get("secret-notes")
    assert exercise is not None and TOKEN in (exercise.facilitator_notes or "")
    assert all(TOKEN in (step.facilitator or "") for step in exercise.steps)

    app = make(present=True, exercises=exercises)
    async with app.run_test(size=SIZE) as pilot:
        app.open_exercise("secret-notes")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        seen_prompts = []
        assert "A short hint everyone sees." in screen_text(app)  # hints do show
        for _ in exercise.steps:
            text = screen_text(app)
            assert TOKEN not in text
            seen_prompts.append(screen.run.current_step.prompt)
            assert screen.run.current_step.prompt in text  # the check does see what is on screen
            await pilot.press("ctrl+o")
            await pilot.pause()
        assert seen_prompts == [step.prompt for step in exercise.steps]
        assert screen.run.done
        assert TOKEN not in screen_text(app)


async def test_no_color_still_works_while_presenting(monkeypatch):
    """With NO_COLOR set, presenter mode is drawn in greys only; its structure needs no colour."""
    import re

    monkeypatch.setenv("NO_COLOR", "1")
    app = make(present=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.no_color and app.theme == PRESENT_THEME.name
        svg = app.export_screenshot()
        # text styles and cell backgrounds (not the window frame's traffic lights)
        colours = set(re.findall(r"\{ fill: #([0-9a-fA-F]{6})|<rect fill=\"#([0-9a-fA-F]{6})\"", svg))
        colours = {a or b for a, b in colours}
        assert len(colours) > 1
        for colour in colours:
            r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
            assert max(r, g, b) - min(r, g, b) <= 4, colour  # grey (the export's default text is #c5c8c6)
        text = svg.replace("&#160;", " ")
        assert "C O N V E N I N G" in text and "CHAPTER" in text
