"""TextBox: drawing a text box whose component styles are gone (removed mid-frame) never raises."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import TextArea

from peeragogy_tui.tui.widgets.text_box import TextBox


class _Host(App[None]):
    def __init__(self, box: TextArea) -> None:
        super().__init__()
        self.box = box

    def compose(self) -> ComposeResult:
        yield self.box


async def test_stock_textarea_raises_when_drawn_without_its_component_styles() -> None:
    """The Textual behaviour TextBox works around (if this stops raising, TextBox can go)."""
    app = _Host(TextArea("hello"))
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        app.box._component_styles.clear()  # what Widget._on_remove does before a last draw
        app.box._rich_style_cache.clear()  # as after any style update
        with pytest.raises(KeyError, match="text-area--gutter"):
            app.box.render_lines(Region(0, 0, 20, 2))


async def test_text_box_draws_blank_lines_then_recovers() -> None:
    app = _Host(TextBox("hello"))
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        app.box._component_styles.clear()
        app.box._rich_style_cache.clear()
        lines = app.box.render_lines(Region(0, 0, 20, 2))
        assert [line.cell_length for line in lines] == [20, 20] and all(not line.text.strip() for line in lines)
        app.stylesheet.update(app.box)  # styles come back
        assert "hello" in "".join(line.text for line in app.box.render_lines(Region(0, 0, 20, 4)))
        assert isinstance(app.box, TextArea)  # queries for TextArea still find it
