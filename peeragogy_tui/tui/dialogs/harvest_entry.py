"""Record one harvest entry: a note, a question or an action, possibly private."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, TextArea

from peeragogy_tui.tui.widgets.text_box import TextBox

__all__ = ["HarvestDialog", "HarvestDraft"]

_KINDS = (("note", "Note"), ("question", "Question raised"), ("action", "Action"))


@dataclass(frozen=True)
class HarvestDraft:
    """What the facilitator typed; the screen saves it to the session store."""

    kind: str
    text: str
    participant: str | None
    group: str | None
    owner: str | None
    private: bool


def _optional(value: str) -> str | None:
    return value if value.strip() else None


class HarvestDialog(ModalScreen[HarvestDraft | None]):
    """Dismisses with a :class:`HarvestDraft`, or ``None`` on Escape. Text is kept exactly as typed."""

    DEFAULT_CSS = """
    HarvestDialog { align: center middle; }
    HarvestDialog > Vertical {
        width: 84; max-width: 95%; height: auto; max-height: 95%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    HarvestDialog #harvest-title { text-style: bold; width: 1fr; }
    HarvestDialog RadioSet { layout: horizontal; width: 1fr; height: auto; border: none; }
    HarvestDialog TextArea { height: 6; }
    HarvestDialog Horizontal { height: auto; }
    HarvestDialog Horizontal Input { width: 1fr; }
    HarvestDialog #harvest-help { color: $text-muted; width: 1fr; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, step_label: str, *, kind: str = "note") -> None:
        super().__init__()
        self._step_label = step_label
        self._kind = kind

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(f"Harvest · {self._step_label}"), id="harvest-title")
            with RadioSet(id="harvest-kind"):
                for value, label in _KINDS:
                    yield RadioButton(label, value=value == self._kind, name=value)
            yield TextBox(id="harvest-text", soft_wrap=True, show_line_numbers=False)
            with Horizontal():
                yield Input(placeholder="Participant (optional)", id="harvest-participant")
                yield Input(placeholder="Group or table (optional)", id="harvest-group")
            yield Input(placeholder="Owner: who takes this action on (optional)", id="harvest-owner")
            yield Checkbox("Private: keep out of the shared report", id="harvest-private")
            yield Label(Content("ctrl+s saves · Esc cancels · Tab moves between fields"), id="harvest-help")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()
        self._show_owner()

    def _chosen_kind(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else self._kind

    def _show_owner(self) -> None:
        self.query_one("#harvest-owner", Input).display = self._chosen_kind() == "action"

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._show_owner()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        if not text.strip():
            self.notify("Type the note, question or action first.", severity="warning", timeout=3)
            return
        kind = self._chosen_kind()
        self.dismiss(
            HarvestDraft(
                kind=kind,
                text=text,
                participant=_optional(self.query_one("#harvest-participant", Input).value),
                group=_optional(self.query_one("#harvest-group", Input).value),
                owner=_optional(self.query_one("#harvest-owner", Input).value) if kind == "action" else None,
                private=self.query_one(Checkbox).value,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
