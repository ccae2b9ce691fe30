"""Defects found by driving the real app at 80x24 as a new user would."""

from __future__ import annotations

from textual.widgets import Label

from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen


def make(start: str = "introduction"):
    return create_app(
        load_handbook(bundled_handbook_dir()),
        exercises=load_exercises(bundled_exercises_dir()),
        start=start,
        restore=False,
    )


async def test_long_scale_legend_wraps_instead_of_being_cut_at_80_columns():
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_exercise("principles-self-assessment")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        await pilot.press("ctrl+o")  # skip to step 2, whose legend is wider than 80 columns
        await pilot.pause()
        legend = app.screen.query_one(".scale-labels", Label)
        text = str(legend.render())
        assert "5 = I regularly build things with others" in text
        room = legend.parent.content_region.width
        assert len(text) > room
        assert legend.outer_size.width <= room
        assert legend.size.height >= 2


async def test_exercise_list_footer_fits_80_columns():
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        keys = {k.action: k for k in footer.query(FooterKey)}
        assert {"review", "session", "toggle_all", "close", "help", "quit"} <= set(keys), sorted(keys)
        visible = footer.scrollable_content_region
        palette = footer.query("FooterKey.-command-palette")
        right = palette.first().region.x if palette else visible.right
        for action, key in keys.items():
            if key.has_class("-command-palette"):
                continue
            assert key.region.right <= right, f"{action} cut off at 80 columns"
