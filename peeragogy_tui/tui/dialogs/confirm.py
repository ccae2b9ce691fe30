"""Ask yes or no before doing something the user may not expect (opening a web link)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label

__all__ = ["ConfirmDialog"]


class ConfirmDialog(ModalScreen[bool]):
    """Dismisses with ``True`` for yes."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical {
        width: 70; max-width: 90%; height: auto; border: round $warning;
        background: $panel; padding: 1 2;
    }
    ConfirmDialog Label { width: 1fr; margin-bottom: 1; }
    ConfirmDialog Horizontal { height: auto; align-horizontal: right; }
    ConfirmDialog Button { margin-left: 2; }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]
    """y confirms; n or Escape cancels."""

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self._question = question
        self._detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self._question), id="question")
            if self._detail:
                yield Label(Content(self._detail), id="detail")
            with Horizontal():
                yield Button("No", id="no", variant="default")
                yield Button("Yes", id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
