"""Who is here, and how to split them: names one per line, and a group size."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, TextArea

from peeragogy_tui.tui.widgets.text_box import TextBox

__all__ = ["RosterChange", "RosterDialog"]


@dataclass(frozen=True)
class RosterChange:
    """Names (blank lines dropped, otherwise exactly as typed) and the group size (``None``: no groups)."""

    names: list[str]
    group_size: int | None


class RosterDialog(ModalScreen[RosterChange | None]):
    """Edit the participants and the group size; dismisses with a :class:`RosterChange` or ``None``."""

    DEFAULT_CSS = """
    RosterDialog { align: center middle; }
    RosterDialog > Vertical {
        width: 70; max-width: 95%; height: auto; max-height: 95%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    RosterDialog Label { width: 1fr; }
    RosterDialog #roster-title { text-style: bold; }
    RosterDialog TextArea { height: 12; }
    RosterDialog #roster-help { color: $text-muted; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, names: list[str], group_size: int | None, *, title: str | None = None) -> None:
        super().__init__()
        self._title = title
        self._names = names
        self._group_size = group_size

    def compose(self) -> ComposeResult:
        with Vertical():
            if self._title:
                yield Label(Content(self._title), id="roster-title")
            yield Label(Content("Participants, one per line (names or table numbers)"))
            yield TextBox("\n".join(self._names), id="roster-names", show_line_numbers=True)
            yield Label(Content("Split into groups of (empty: no groups)"))
            yield Input(str(self._group_size or ""), id="roster-size", type="integer")
            yield Label(
                Content("ctrl+s saves and makes new groups now · Esc cancels"), id="roster-help"
            )

    def on_mount(self) -> None:
        names = self.query_one(TextArea)
        names.focus()
        names.move_cursor(names.document.end)  # typing adds a name; it never splices into the first

    def action_save(self) -> None:
        names = [line for line in self.query_one(TextArea).text.split("\n") if line.strip()]
        size_text = self.query_one(Input).value.strip()
        size = int(size_text) if size_text else None
        if size is not None and size < 2:
            self.notify("A group needs at least 2 people.", severity="warning", timeout=3)
            return
        self.dismiss(RosterChange(names, size))

    def action_cancel(self) -> None:
        self.dismiss(None)
