"""The help screen: every key, collected from the live bindings so it never goes stale."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

__all__ = ["HelpScreen"]

_MOUSE = [
    ("click", "open a chapter in the tree, or follow a link"),
    ("wheel", "scroll"),
]


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen underneath it, grouped by where they work."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 84; max-width: 95%; height: 90%; border: round $accent;
        background: $panel; padding: 0 1;
    }
    """

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close help")]
    """Any of these closes help."""

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self._groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._table())

    def _table(self) -> Table:
        table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
        table.add_column("key", style="bold", no_wrap=True, min_width=16)
        table.add_column("does", ratio=1)
        table.add_row(Text("Peeragogy — keys", style="bold underline"), Text("Escape closes this help"))
        for title, bindings in self._groups:
            table.add_row(Text(""), Text(""))
            table.add_row(Text(title, style="bold"), Text(""))
            for binding in bindings:
                keys = ", ".join(self.app.get_key_display(Binding(key, "")) for key in binding.key.split(","))
                table.add_row(Text(keys), Text(binding.tooltip or binding.description or binding.action))
        table.add_row(Text(""), Text(""))
        table.add_row(Text("Mouse", style="bold"), Text(""))
        for key, does in _MOUSE:
            table.add_row(Text(key), Text(does))
        return table

    def action_close(self) -> None:
        self.dismiss(None)
