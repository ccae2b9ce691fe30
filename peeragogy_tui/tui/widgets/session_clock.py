"""The big countdown of a session step: digits, a state word, and a bar.

Nothing depends on colour alone: the state is also a word ("Paused",
"Last minute", "TIME'S UP") and overtime counts up with a ``+``.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, ProgressBar, Static

from peeragogy_tui.core.sessions import Countdown, format_clock

__all__ = ["ANSWER_WORD", "SessionClock", "clock_state"]


def clock_state(countdown: Countdown, now: datetime) -> str:
    """One of ``untimed``, ``ready``, ``running``, ``paused``, ``last-minute``, ``over``."""
    if not countdown.is_timed():
        return "untimed"
    if countdown.started_at is None:
        return "ready"
    if countdown.is_over(now):
        return "over"
    if countdown.is_paused():
        return "paused"
    return "last-minute" if countdown.in_last_minute(now) else "running"


_WORDS = {
    "untimed": "No timer for this step",
    "ready": "Ready · space starts the timer",
    "running": "Running",
    "paused": "Paused · space resumes",
    "last-minute": "Last minute",
    "over": "TIME'S UP · n moves on when you are ready",
}


ANSWER_WORD = "No timer: this step asks for answers · Enter (or h) writes them, one per line"
"""What an untimed text step shows where the countdown would be."""


class SessionClock(Vertical):
    """Shows one step's countdown; call :meth:`show` on every tick."""

    DEFAULT_CSS = """
    SessionClock { height: auto; align-horizontal: center; padding: 1 0; }
    SessionClock Digits { width: auto; }
    SessionClock #clock-state { width: auto; text-style: bold; }
    SessionClock ProgressBar { width: auto; }
    SessionClock.-last-minute Digits { color: $warning; }
    SessionClock.-last-minute #clock-state { color: $warning; }
    SessionClock.-over { background: $error 25%; }
    SessionClock.-over Digits { color: $error; text-style: bold; }
    SessionClock.-over #clock-state { color: $error; text-style: bold reverse; }
    SessionClock.-paused Digits { color: $text-muted; }
    SessionClock.-untimed Digits { display: none; }
    SessionClock.-untimed ProgressBar { display: none; }
    """

    STATES = ("untimed", "ready", "running", "paused", "last-minute", "over")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = "untimed"
        self.digits = ""
        self.word = ""

    def compose(self) -> ComposeResult:
        yield Digits("0:00", id="clock-digits")
        yield Static(id="clock-state")
        yield ProgressBar(total=100, show_eta=False, show_percentage=False, id="clock-bar")

    def show(self, countdown: Countdown, now: datetime, *, asks_answers: bool = False) -> str:
        """Draw ``countdown`` at ``now``; returns the state (see :func:`clock_state`).

        ``asks_answers``: an untimed step that wants the group's answers says how to give them.
        """
        state = clock_state(countdown, now)
        remaining = countdown.remaining(now)
        digits = format_clock(remaining) if remaining >= 0 else "+" + format_clock(-remaining)
        if digits != self.digits:
            self.query_one(Digits).update(digits)
            self.digits = digits
        if state != self.state:
            for name in self.STATES:
                self.set_class(name == state, f"-{name}")
            self.state = state
        word = ANSWER_WORD if state == "untimed" and asks_answers else _WORDS[state]
        if countdown.adjust_seconds:
            word += f" · {'+' if countdown.adjust_seconds > 0 else '−'}{abs(countdown.adjust_seconds) // 60} min"
        if word != self.word:
            self.query_one("#clock-state", Static).update(Text(word))
            self.word = word
        duration = countdown.duration()
        done = 100 if duration == 0 else min(100.0, 100 * countdown.elapsed(now) / duration)
        self.query_one(ProgressBar).update(progress=done)
        return state
