"""Show an exercise before running it again: its earlier runs, and "start a new run".

Opening an exercise that has runs but none to continue (every run is done, or
the unfinished ones are open in other windows) used to start an empty run at
once and turn a done exercise into "in progress". This dialog comes first
instead; nothing is written until "Start a new run" is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.store import ClaimHolder, StoredRun

__all__ = ["ExerciseOverview", "OverviewChoice"]


@dataclass(frozen=True)
class OverviewChoice:
    """``new``: start a new run; ``review``: read run ``run_id``."""

    kind: Literal["new", "review"]
    run_id: int | None = None


def run_line(run: StoredRun, steps: int, holder: ClaimHolder | None) -> Text:
    """``#3  2024-05-01 09:00  done · 5 of 6 answered`` (plus where it is open, if elsewhere)."""
    answered = sum(1 for answer in run.answers if not answer.skipped)
    line = Text(f"#{run.id}  {run.started_at[:16].replace('T', ' ')}  {run.status.replace('_', ' ')}")
    line.append(f" · {answered} of {steps} answered", style="dim")
    if holder is not None:
        line.append(f" · open in another window (pid {holder.pid})", style="italic")
    return line


class ExerciseOverview(ModalScreen[OverviewChoice | None]):
    """The exercise's title, "Start a new run", then its runs newest first (Enter reads one)."""

    DEFAULT_CSS = """
    ExerciseOverview { align: center middle; }
    ExerciseOverview > Vertical {
        width: 80%; max-width: 90; height: auto; max-height: 80%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    ExerciseOverview #overview-title { width: 1fr; text-style: bold; }
    ExerciseOverview #overview-note { width: 1fr; color: $text-muted; padding: 0 0 1 0; }
    ExerciseOverview OptionList { height: auto; max-height: 20; border: none; }
    """

    BINDINGS = [
        Binding("n", "new_run", "Start a new run"),
        Binding("escape,q", "dismiss_none", "Back"),
    ]
    """n starts a new run; Escape goes back without starting anything."""

    def __init__(
        self, title: str, steps: int, runs: list[StoredRun], holders: dict[int, ClaimHolder] | None = None
    ) -> None:
        super().__init__()
        self._heading = title
        self._steps = steps
        self.runs = sorted(runs, key=lambda run: (run.started_at, run.id), reverse=True)
        self.holders = holders or {}

    def compose(self) -> ComposeResult:
        done = sum(1 for run in self.runs if run.status == "done")
        note = f"Done {done} time{'s' if done != 1 else ''}." if done else "Not finished yet."
        held = [self.holders[run.id] for run in self.runs if run.id in self.holders]
        if held:
            note += " " + "; ".join(f"{holder.describe()[0].upper()}{holder.describe()[1:]}" for holder in held) + "."
        with Vertical():
            yield Label(Content(strip_control(self._heading)), id="overview-title")
            yield Label(Content(note), id="overview-note")
            options = [Option(Text("▶ Start a new run", style="bold"), id="new")]
            options += [
                Option(run_line(run, self._steps, self.holders.get(run.id)), id=f"run-{run.id}")
                for run in self.runs
            ]
            yield OptionList(*options)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id == "new":
            self.dismiss(OverviewChoice("new"))
        elif option_id.startswith("run-"):
            self.dismiss(OverviewChoice("review", int(option_id.removeprefix("run-"))))

    def action_new_run(self) -> None:
        self.dismiss(OverviewChoice("new"))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
