"""Review finished (and earlier) runs of an exercise, with their dates."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.store import StoredAnswer, StoredRun, display_value
from peeragogy_tui.tui.widgets.key_footer import KeyFooter

__all__ = ["ReviewScreen", "answer_text", "run_header", "run_text"]


def run_header(run: StoredRun) -> Text:
    """A run's title, dates and status, sanitised for display."""
    text = Text()
    when = run.finished_at or run.updated_at
    text.append(f"{strip_control(run.exercise_title)}\n", style="bold")
    text.append(f"run #{run.id} · started {run.started_at[:16].replace('T', ' ')} · {run.status.replace('_', ' ')}"
                f" · last change {when[:16].replace('T', ' ')}", style="dim")
    return text


def answer_text(answer: StoredAnswer, *, found: bool = False) -> Text:
    """One prompt and its answer, sanitised for display; ``found`` marks it "▶ found:" (a search hit)."""
    text = Text("▶ found: ", style="bold reverse") if found else Text()
    text.append(strip_control(answer.prompt) + "\n", style="bold")
    shown = "(skipped)" if answer.skipped else display_value(answer.value, answer.step_type, answer.scale)
    text.append(strip_control(shown))
    return text


def run_text(run: StoredRun) -> Text:
    """A run's prompts and answers, sanitised for display, as one text."""
    text = run_header(run)
    text.append("\n\n")
    for answer in run.answers:
        text.append_text(answer_text(answer))
        text.append("\n\n")
    if not run.answers:
        text.append("No answers yet.\n")
    return text


class ReviewScreen(Screen[None]):
    """Runs of one exercise on the left (newest first), the chosen run's answers on the right.

    Opened from a search hit, it selects the run that holds the answer and
    scrolls to it, marked with a bar and "found" (not by colour alone).
    """

    DEFAULT_CSS = """
    ReviewScreen #runs { width: 34; border-right: vkey $primary 30%; }
    ReviewScreen #answers { padding: 0 2; }
    ReviewScreen #answers > Static { margin: 0 0 1 0; }
    ReviewScreen #answers > Static.-found { border-left: thick $accent; padding: 0 0 0 1; }
    ReviewScreen #review-title { text-style: bold; color: $accent; padding: 0 2; }
    """

    BINDINGS = [Binding("escape", "close", "Back", tooltip="Back to the exercise list")]
    """Escape goes back."""

    def __init__(
        self, title: str, runs: list[StoredRun], *, run_id: int | None = None, step_key: str | None = None
    ) -> None:
        super().__init__()
        self._review_title = title
        self.runs = runs
        self._run_id = run_id
        """The run to select first (a search hit's); else the newest."""
        self._step_key = step_key
        """The answer of that run to scroll to and mark."""

    def compose(self) -> ComposeResult:
        yield Label(Text(f"Your runs of {strip_control(self._review_title)}"), id="review-title")
        with Horizontal():
            yield OptionList(
                *[
                    Option(
                        Text(f"#{run.id}  {run.started_at[:16].replace('T', ' ')}  {run.status.replace('_', ' ')}"),
                        id=str(run.id),
                    )
                    for run in self.runs
                ],
                id="runs",
            )
            with VerticalScroll(id="answers"):
                if not self.runs:
                    yield Static(Text("You have not run this exercise yet."), id="answer-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.runs:
            options = self.query_one("#runs", OptionList)
            first = next((i for i, run in enumerate(self.runs) if run.id == self._run_id), 0)
            options.highlighted = first
            self._show(first)
            options.focus()

    def _show(self, index: int) -> None:
        run = self.runs[index]
        pane = self.query_one("#answers", VerticalScroll)
        pane.remove_children()
        found: Static | None = None
        widgets = [Static(run_header(run), classes="run-header")]
        for answer in run.answers:
            hit = run.id == self._run_id and answer.step_key == self._step_key
            widget = Static(answer_text(answer, found=hit), classes="-found" if hit else "")
            if hit:
                found = widget
            widgets.append(widget)
        if not run.answers:
            widgets.append(Static(Text("No answers yet.")))
        pane.mount_all(widgets)
        pane.scroll_home(animate=False)
        if found is not None:
            self.call_after_refresh(pane.scroll_to_widget, found, animate=False, top=True)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index is not None and 0 <= event.option_index < len(self.runs):
            self._show(event.option_index)

    def action_close(self) -> None:
        self.dismiss(None)
