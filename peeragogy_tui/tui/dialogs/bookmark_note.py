"""Ask for an optional note when bookmarking a place (Enter saves, Escape cancels)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label

__all__ = ["BookmarkNoteDialog"]


class BookmarkNoteDialog(ModalScreen[str | None]):
    """Dismisses with the note ("" for none), or ``None`` when cancelled."""

    DEFAULT_CSS = """
    BookmarkNoteDialog { align: center middle; }
    BookmarkNoteDialog > Vertical {
        width: 70; max-width: 95%; height: auto; border: round $accent;
        background: $panel; padding: 1 2;
    }
    BookmarkNoteDialog Label { width: 1fr; margin-bottom: 1; }
    BookmarkNoteDialog #keys { color: $text-muted; margin: 1 0 0 0; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, place: str) -> None:
        super().__init__()
        self._place = place

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(f"Bookmark {self._place}"))
            yield Input(placeholder="A note for later (optional)", max_length=2000, id="note")
            yield Label(Content("Enter saves · Esc cancels"), id="keys")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
