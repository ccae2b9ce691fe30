"""A modal list to pick one item from (the outline, the links of a chapter)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

__all__ = ["PickList"]


class PickList(ModalScreen[int | None]):
    """Dismisses with the chosen index, or ``None`` on Escape."""

    DEFAULT_CSS = """
    PickList { align: center middle; }
    PickList > Vertical {
        width: 80%; max-width: 90; height: auto; max-height: 80%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    PickList Label { width: 1fr; text-style: bold; padding: 0 0 1 0; }
    PickList OptionList { height: auto; max-height: 20; border: none; }
    """

    BINDINGS = [Binding("escape,q", "dismiss_none", "Close")]
    """Escape closes without choosing."""

    def __init__(self, title: str, items: list[Text], *, selected: int = 0, empty: str = "Nothing here.") -> None:
        super().__init__()
        self._heading = title
        self._items = items
        self._initial_index = selected
        self._empty = empty

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self._heading))
            if self._items:
                yield OptionList(*[Option(item) for item in self._items])
            else:
                yield Label(Content(self._empty))

    def on_mount(self) -> None:
        if self._items:
            options = self.query_one(OptionList)
            options.highlighted = min(self._initial_index, len(self._items) - 1)
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_index)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
