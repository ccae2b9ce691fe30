"""Reading time per chapter, counted from activity rather than from the wall clock.

The time between two moves (opening, scrolling, a key) counts as reading, up
to :data:`IDLE_CAP` seconds: a reader who walks away from an open chapter for
an hour is not credited with an hour. Pure; the caller passes monotonic times.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["IDLE_CAP", "ReadingTimer", "ReadingUpdate"]

IDLE_CAP = 120.0
"""The most one pause between moves may add, in seconds."""


@dataclass(frozen=True)
class ReadingUpdate:
    """What to add to one chapter's reading log."""

    chapter_id: str
    seconds: float
    furthest: float


class ReadingTimer:
    """Tracks the open chapter: seconds read since the last :meth:`take`, and the furthest point."""

    def __init__(self) -> None:
        self.chapter_id: str | None = None
        self._last: float | None = None
        self._seconds = 0.0
        self._furthest = 0.0

    def activity(self, now: float, furthest: float | None = None) -> None:
        """The reader did something at ``now``; ``furthest`` is how far down the chapter they see (0–1)."""
        if self.chapter_id is None:
            return
        if self._last is not None:
            self._seconds += min(max(now - self._last, 0.0), IDLE_CAP)
        self._last = now
        if furthest is not None:
            self._furthest = max(self._furthest, min(max(furthest, 0.0), 1.0))

    def open(self, chapter_id: str, now: float) -> ReadingUpdate | None:
        """Switch to ``chapter_id``; returns what was read of the chapter before (if anything)."""
        self.activity(now)
        update = self.take()
        self.chapter_id = chapter_id
        self._last = now
        self._seconds = 0.0
        self._furthest = 0.0
        return update

    def take(self) -> ReadingUpdate | None:
        """What was read since the last call (time is then reset; the furthest point is kept)."""
        if self.chapter_id is None or (self._seconds <= 0 and self._furthest <= 0):
            return None
        update = ReadingUpdate(self.chapter_id, self._seconds, self._furthest)
        self._seconds = 0.0
        return update
