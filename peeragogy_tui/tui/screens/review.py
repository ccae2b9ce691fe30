"""Review finished (and earlier) runs of an exercise, with their dates."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.store import StoredRun, display_value

__all__ = ["ReviewScreen", "run_text"]


def run_text(run: StoredRun) -> Text:
    """A run's prompts and answers, sanitised for display."""
    text = Text()
    when = run.finished_at or run.updated_at
    text.append(f"{strip_control(run.exercise_title)}\n", style="bold")
    text.append(f"started {run.started_at[:16].replace('T', ' ')} · {run.status.replace('_', ' ')}"
                f" · last change {when[:16].replace('T', ' ')}\n\n", style="dim")
    for answer in run.answers:
        text.append(strip_control(answer.prompt) + "\n", style="bold")
        shown = "(skipped)" if answer.skipped else display_value(answer.value, answer.step_type)
        text.append(strip_control(shown) + "\n\n")
    if not run.answers:
        text.append("No answers yet.\n")
    return text


class ReviewScreen(Screen[None]):
    """Runs of one exercise on the left (newest first), the chosen run's answers on the right."""

    DEFAULT_CSS = """
    ReviewScreen #runs { width: 34; border-right: vkey $primary 30%; }
    ReviewScreen #answers { padding: 0 2; }
    ReviewScreen #review-title { text-style: bold; color: $accent; padding: 0 2; }
    """

    BINDINGS = [Binding("escape", "close", "Back", tooltip="Back to the exercise list")]
    """Escape goes back."""

    def __init__(self, title: str, runs: list[StoredRun]) -> None:
        super().__init__()
        self._review_title = title
        self.runs = runs

    def compose(self) -> ComposeResult:
        yield Label(Text(f"Your runs of {strip_control(self._review_title)}"), id="review-title")
        with Horizontal():
            yield OptionList(
                *[
                    Option(Text(f"{run.started_at[:16].replace('T', ' ')}  {run.status.replace('_', ' ')}"), id=str(run.id))
                    for run in self.runs
                ],
                id="runs",
            )
            with VerticalScroll(id="answers"):
                yield Static(Text("You have not run this exercise yet.") if not self.runs else Text(""), id="answer-text")
        yield Footer()

    def on_mount(self) -> None:
        if self.runs:
            options = self.query_one("#runs", OptionList)
            options.highlighted = 0
            self._show(0)
            options.focus()

    def _show(self, index: int) -> None:
        self.query_one("#answer-text", Static).update(run_text(self.runs[index]))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index is not None and 0 <= event.option_index < len(self.runs):
            self._show(event.option_index)

    def action_close(self) -> None:
        self.dismiss(None)
