"""One input for one exercise step: text, scale, choice, checklist or timer.

Labels come from exercise files, so they are built as ``Content`` objects
(never markup) with control sequences stripped.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Button, Digits, Label, RadioButton, RadioSet, SelectionList, TextArea
from textual.widgets.selection_list import Selection

from peeragogy_tui.core.exercises import ChecklistStep, ChoiceStep, ScaleStep, TextStep, TimerStep
from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.tui.widgets.text_box import TextBox

__all__ = ["MarkedRadioButton", "MarkedSelectionList", "StepInput", "TimerPanel", "safe", "unanswered"]


def safe(text: str) -> Content:
    """Untrusted text as literal content."""
    return Content(strip_control(text))


def unanswered(step: Any, value: Any) -> str | None:
    """What to say when Ctrl+N finds nothing entered for ``step``; ``None`` when there is an answer."""
    if isinstance(step, ScaleStep) and value is None:
        return f"pick a number from {step.min} to {step.max}, or skip with Ctrl+O"
    if isinstance(step, ChoiceStep) and (value is None or value == []):
        return f"pick {'at least one option' if step.multiple else 'one option'}, or skip with Ctrl+O"
    if isinstance(step, TextStep) and (value is None or not str(value).strip()):
        return "write an answer, or skip with Ctrl+O"
    return None


class MarkedRadioButton(RadioButton):
    """A radio button whose state reads without colour: ◉ chosen, ○ not."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:  # noqa: N802 - Textual's name for the glyph
        return "◉" if self.value else "○"


class MarkedSelectionList(SelectionList[int]):
    """A selection list whose ticks read without colour: [x] ticked, [ ] not."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        index = self.scroll_offset.y + y
        if index >= self.option_count or len(segments) < 4:
            return strip
        ticked = self.get_option_at_index(index).value in self._selected
        # Textual draws a box whose sides take its background colour; the marks take the label's style,
        # so they read as plainly as the label, with or without colour.
        style = segments[3].style
        marks = [Segment("[", style), Segment("x" if ticked else " ", style), Segment("]", style)]
        return Strip([*marks, *segments[3:]], strip.cell_length)


class TimerPanel(Vertical):
    """A countdown for a timed pause: start, pause, and a note."""

    DEFAULT_CSS = """
    TimerPanel { height: auto; }
    TimerPanel Digits { width: auto; margin: 0 1; }
    TimerPanel .-last-minute { color: $warning; }
    TimerPanel .-finished { color: $error; }
    TimerPanel Horizontal { height: auto; }
    """

    remaining: reactive[int] = reactive(0)
    """Seconds left."""

    running: reactive[bool] = reactive(False)
    """True while counting down."""

    def __init__(self, minutes: int) -> None:
        super().__init__()
        self.total = minutes * 60
        self.set_reactive(TimerPanel.remaining, self.total)

    def compose(self) -> ComposeResult:
        yield Digits(self._digits(), id="countdown")
        with Horizontal():
            yield Button("Start", id="timer-toggle", variant="primary")
            yield Button("Reset", id="timer-reset")

    def on_mount(self) -> None:
        self._ticker = self.set_interval(1.0, self._tick, pause=True)

    def _digits(self) -> str:
        return f"{self.remaining // 60:02d}:{self.remaining % 60:02d}"

    def _tick(self) -> None:
        if self.remaining > 0:
            self.remaining -= 1
        if self.remaining == 0:
            self.running = False
            self.app.bell()
            self.notify("Time is up.", timeout=5)

    def watch_remaining(self) -> None:
        if not self.is_mounted:
            return
        digits = self.query_one(Digits)
        digits.update(self._digits())
        digits.set_class(0 < self.remaining <= 60, "-last-minute")
        digits.set_class(self.remaining == 0, "-finished")

    def watch_running(self, running: bool) -> None:
        if not self.is_mounted:
            return
        (self._ticker.resume if running else self._ticker.pause)()
        self.query_one("#timer-toggle", Button).label = "Pause" if running else "Start"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "timer-toggle":
            event.stop()
            self.running = not self.running and self.remaining > 0
        elif event.button.id == "timer-reset":
            event.stop()
            self.running = False
            self.remaining = self.total


class StepInput(Vertical):
    """The input for one step; :meth:`value` reads what the person entered."""

    DEFAULT_CSS = """
    StepInput { height: auto; }
    StepInput TextArea { height: 10; min-height: 5; }
    StepInput RadioSet, StepInput SelectionList { width: 1fr; height: auto; max-height: 14; }
    StepInput .scale-labels { color: $text-muted; width: 100%; }
    """

    def __init__(self, step: Any, *, answer: Any = None, draft: str | None = None) -> None:
        super().__init__()
        self.step = step
        self.answer = answer
        self.draft = draft

    def compose(self) -> ComposeResult:
        step = self.step
        if isinstance(step, TextStep):
            text = self.draft if self.draft is not None else (self.answer if isinstance(self.answer, str) else "")
            yield TextBox(text, soft_wrap=True, show_line_numbers=False, id="answer-text")
        elif isinstance(step, ScaleStep):
            if step.min_label or step.max_label:
                yield Label(safe(f"{step.min} = {step.min_label or ''}    {step.max} = {step.max_label or ''}"), classes="scale-labels")
            with RadioSet(id="answer-scale", compact=True):
                for number in range(step.min, step.max + 1):
                    label = str(number)
                    if number == step.min and step.min_label:
                        label += f"  {step.min_label}"
                    if number == step.max and step.max_label:
                        label += f"  {step.max_label}"
                    yield MarkedRadioButton(safe(label), value=self.answer == number)
        elif isinstance(step, ChoiceStep) and not step.multiple:
            with RadioSet(id="answer-choice", compact=True):
                for option in step.options:
                    yield MarkedRadioButton(safe(option), value=self.answer == option)
        elif isinstance(step, (ChoiceStep, ChecklistStep)):
            items = step.options if isinstance(step, ChoiceStep) else step.items
            chosen = set(self.answer) if isinstance(self.answer, list) else set()
            yield MarkedSelectionList(
                *[Selection(safe(item), index, item in chosen) for index, item in enumerate(items)],
                id="answer-many",
            )
        elif isinstance(step, TimerStep):
            yield TimerPanel(step.minutes)
            note = self.draft if self.draft is not None else (self.answer if isinstance(self.answer, str) else "")
            yield Label(safe("Notes (optional):"))
            yield TextBox(note, soft_wrap=True, show_line_numbers=False, id="answer-text")

    def on_mount(self) -> None:
        # A resumed draft or answer: new typing goes after the old text, not before it.
        for area in self.query("#answer-text").results(TextArea):
            area.move_cursor(area.document.end)

    def main_control(self) -> Widget | None:
        """The control that takes the answer's keys (``None`` before it is composed)."""
        for selector in ("#answer-text", "#answer-scale", "#answer-choice", "#answer-many"):
            found = self.query(selector)
            if found:
                return found.first()
        return None

    def draft_text(self) -> str | None:
        """Free text typed so far (text and timer steps), for drafts."""
        found = self.query("#answer-text")
        return found.first(TextArea).text if found else None

    def value(self) -> Any:
        """The answer as the engine expects it; ``None`` when nothing was chosen."""
        step = self.step
        if isinstance(step, (TextStep, TimerStep)):
            return self.query_one("#answer-text", TextArea).text
        if isinstance(step, ScaleStep):
            index = self.query_one("#answer-scale", RadioSet).pressed_index
            return None if index < 0 else step.min + index
        if isinstance(step, ChoiceStep) and not step.multiple:
            index = self.query_one("#answer-choice", RadioSet).pressed_index
            return None if index < 0 else step.options[index]
        if isinstance(step, (ChoiceStep, ChecklistStep)):
            items = step.options if isinstance(step, ChoiceStep) else step.items
            selected = sorted(self.query_one("#answer-many", SelectionList).selected)
            return [items[i] for i in selected]
        return None
