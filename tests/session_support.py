"""Shared by the session tests: a fake clock and the bundled group exercises.

Importable from every test folder (pytest puts ``tests/`` on ``sys.path``
because ``tests/conftest.py`` lives there).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from peeragogy_tui.core.exercises import Exercise, load_exercises

REPO = Path(__file__).resolve().parent.parent
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


class FakeClock:
    """A clock that moves only when told to; pass it as ``clock=``."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def tick(self, minutes: float = 0, seconds: float = 0) -> datetime:
        """Move forward and return the new time."""
        self.now += timedelta(minutes=minutes, seconds=seconds)
        return self.now


@cache
def exercise(exercise_id: str) -> Exercise:
    """A bundled English exercise by id."""
    found = load_exercises(REPO / "exercises", "en").get(exercise_id)
    assert found is not None, exercise_id
    return found
