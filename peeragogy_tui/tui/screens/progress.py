"""The progress view: chapters read by part, exercises done, answers per week.

The same lines as ``peeragogy progress``, so it reads without colour and at
80×24 (it scrolls; the totals are on the first lines).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from peeragogy_tui.core.progress import ProgressReport
from peeragogy_tui.core.progress_text import progress_lines
from peeragogy_tui.tui.widgets.key_footer import KeyFooter

__all__ = ["ProgressScreen"]

_HEADINGS = ("By part", "Chapters  (", "Exercises  (", "Reflection:")


def _styled(lines: list[str]) -> Text:
    text = Text()
    for number, line in enumerate(lines):
        if number:
            text.append("\n")
        text.append(line, style="bold" if line.startswith(_HEADINGS) or number < 2 else "")
    return text


class ProgressScreen(Screen[None]):
    """Read-only; Escape or q goes back to the reader."""

    DEFAULT_CSS = """
    ProgressScreen #progress-title { text-style: bold; padding: 0 1; background: $boost; }
    ProgressScreen VerticalScroll { padding: 1 2; }
    """

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
    ]

    def __init__(self, report: ProgressReport, handbook_title: str) -> None:
        super().__init__()
        self._report = report
        self._title = handbook_title

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Your progress · {self._title}", no_wrap=True, overflow="ellipsis"), id="progress-title")
        with VerticalScroll():
            yield Static(id="progress-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._draw()
        self.query_one(VerticalScroll).focus()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width = max(self.size.width - 6, 40)
        self.query_one("#progress-body", Static).update(_styled(progress_lines(self._report, width=width)))

    def action_scroll(self, step: int) -> None:
        scroller = self.query_one(VerticalScroll)
        scroller.scroll_relative(y=step, animate=False)
