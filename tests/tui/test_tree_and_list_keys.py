"""The chapter tree and the exercise list move with j/k as the reader does (issue 11)."""

from __future__ import annotations

from pathlib import Path

from exercise_support import bundled_app
from textual.widgets import OptionList

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.screens.exercise_list import ExerciseListScreen
from peeragogy_tui.tui.widgets.chapter_tree import ChapterTree


def small_handbook(folder: Path) -> Path:
    folder.mkdir()
    for number, name in enumerate(("Start", "Middle", "End"), start=1):
        (folder / f"0{number}-{name.lower()}.md").write_text(f"# {name}\n\nText.\n", encoding="utf-8")
    return folder


async def test_j_and_k_move_in_the_chapter_tree(tmp_path: Path) -> None:
    app = create_app(load_handbook(small_handbook(tmp_path / "book")), restore=False)
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.screen.query_one(ChapterTree)
        tree.focus()
        await pilot.pause()
        start = tree.cursor_line
        await pilot.press("j")
        assert tree.cursor_line == start + 1
        await pilot.press("j", "k")
        assert tree.cursor_line == start + 1


async def test_j_and_k_move_in_the_exercise_list() -> None:
    app = bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseListScreen)
        options = screen.query_one(OptionList)
        first = options.highlighted
        await pilot.press("j")
        assert options.highlighted is not None and first is not None and options.highlighted > first
        await pilot.press("k")
        assert options.highlighted == first
