"""The countdown of one session step: a pure value based on the wall clock.

A :class:`Countdown` stores *when* it started and how long it has been
paused, never "seconds left". So a process that is killed and reopened
minutes later recomputes the remaining time from the clock and gets the same
answer as one that kept running. Every method takes ``now`` explicitly; tests
pass plain datetimes and never sleep.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime

__all__ = ["Countdown", "format_clock"]


@dataclass(frozen=True)
class Countdown:
    """The timer of one step. Immutable: every change returns a new value."""

    planned_seconds: int
    """From the step's minutes; 0 for an untimed step."""
    adjust_seconds: int = 0
    """The sum of "add a minute" (+60) and "remove a minute" (-60); never takes the duration below 0."""
    started_at: datetime | None = None
    """When the timer first started; ``None`` while it has not."""
    paused_at: datetime | None = None
    """Set while paused."""
    paused_seconds: float = 0.0
    """Total paused time before ``paused_at`` (pauses that have ended)."""

    def duration(self) -> int:
        """The time allowed, in seconds: planned plus adjustments, never negative."""
        return max(0, self.planned_seconds + self.adjust_seconds)

    def elapsed(self, now: datetime) -> float:
        """Running time so far in seconds, pauses excluded (0 before the start)."""
        if self.started_at is None:
            return 0.0
        end = self.paused_at if self.paused_at is not None else now
        return max(0.0, (end - self.started_at).total_seconds() - self.paused_seconds)

    def paused_total(self, now: datetime) -> float:
        """Every second spent paused, including the pause under way."""
        current = (now - self.paused_at).total_seconds() if self.paused_at is not None else 0.0
        return self.paused_seconds + max(0.0, current)

    def remaining(self, now: datetime) -> float:
        """Seconds left: ``duration - elapsed``. Negative means overtime."""
        return self.duration() - self.elapsed(now)

    def is_running(self) -> bool:
        """Started and not paused."""
        return self.started_at is not None and self.paused_at is None

    def is_paused(self) -> bool:
        """Started and paused."""
        return self.paused_at is not None

    def is_timed(self) -> bool:
        """The step has a time limit (planned, or added by the facilitator)."""
        return self.planned_seconds > 0 or self.duration() > 0

    def in_last_minute(self, now: datetime) -> bool:
        """A started timer with ``0 < remaining <= 60``: the moment to highlight."""
        if not self.is_timed() or self.started_at is None:
            return False
        return 0 < self.remaining(now) <= 60

    def is_over(self, now: datetime) -> bool:
        """Timed, started, and no time left (the end signal; overtime from here on)."""
        return self.is_timed() and self.started_at is not None and self.remaining(now) <= 0

    def overtime(self, now: datetime) -> float:
        """Seconds past the end (0 while time is left, or for an untimed step)."""
        if not self.is_timed():
            return 0.0
        return max(0.0, -self.remaining(now))

    def start(self, now: datetime) -> Countdown:
        """Start the timer; a started timer is resumed if paused, else left alone."""
        if self.started_at is None:
            return replace(self, started_at=now, paused_at=None, paused_seconds=0.0)
        return self.resume(now)

    def pause(self, now: datetime) -> Countdown:
        """Pause a running timer (no change otherwise)."""
        if not self.is_running():
            return self
        return replace(self, paused_at=max(now, self.started_at or now))

    def resume(self, now: datetime) -> Countdown:
        """Resume a paused timer; the pause is added to ``paused_seconds``."""
        if self.paused_at is None:
            return self
        pause = max(0.0, (now - self.paused_at).total_seconds())
        return replace(self, paused_at=None, paused_seconds=self.paused_seconds + pause)

    def add_minutes(self, minutes: int) -> Countdown:
        """Add (or, with a negative number, remove) whole minutes; the duration stays >= 0."""
        adjust = max(self.adjust_seconds + 60 * minutes, -self.planned_seconds)
        return replace(self, adjust_seconds=adjust)


def format_clock(seconds: float) -> str:
    """``754.2`` -> ``"12:35"``; ``-75`` -> ``"-1:15"``; an hour or more -> ``"1:02:03"``.

    Rounds towards "more time left": a countdown shows ``0:01`` until the last
    fraction of a second is gone, ``0:00`` at the end, and overtime counts whole
    seconds past it (``-0:01`` one second over).
    """
    whole = math.ceil(seconds) if seconds >= 0 else -math.floor(-seconds)
    sign = "-" if whole < 0 else ""
    whole = abs(whole)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"
