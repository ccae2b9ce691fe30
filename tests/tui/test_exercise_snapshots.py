"""Snapshots of the exercise screen at 80×24 with NO_COLOR (review the SVGs before --snapshot-update).

First step: the title and step count on one fixed row, the introduction in a
short pane, the prompt and the whole 1–5 scale below it, the chosen number
marked ◉. A later step: the introduction folded to one line, a checklist
whose ticks read [x] / [ ].
"""

from __future__ import annotations

import pytest

from exercise_support import bundled_app, settled_on_step

SMALL = (80, 24)


class TestExerciseScreenSmallNoColour:
    @pytest.fixture(autouse=True)
    def no_colour(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("NO_COLOR", "1")

    def test_first_step(self, snap_compare):
        async def run_before(pilot):
            pilot.app.open_exercise("principles-self-assessment")
            await settled_on_step(pilot, 0)
            await pilot.press("down", "space")
            await pilot.pause()

        assert snap_compare(bundled_app(), run_before=run_before, terminal_size=SMALL)

    def test_later_step(self, snap_compare):
        async def run_before(pilot):
            pilot.app.open_exercise("group-heartbeat")
            await settled_on_step(pilot, 0)
            await pilot.press("ctrl+o")
            await settled_on_step(pilot, 1)
            await pilot.press("ctrl+o")
            await settled_on_step(pilot, 2)
            await pilot.press("space", "down", "down", "space")
            await pilot.pause()

        assert snap_compare(bundled_app(), run_before=run_before, terminal_size=SMALL)
