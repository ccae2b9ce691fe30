"""Snapshot tests of a live session: the shared view at 100×30 and the facilitator view.

The clock is fake and the groups come from a fixed seed, so every frame is the same.
"""

from __future__ import annotations

from session_support import FakeClock, exercise

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.sessions import open_session_store
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import SessionLaunch, create_app

PEOPLE = ["Ana", "Ben", "Chi", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy"]


def cafe_in_round_two(role: str):
    """A café in its second round, 19 minutes 20 seconds in (the last minute), with a harvest so far."""
    clock = FakeClock()
    with open_session_store(clock=clock) as store:
        session_id = store.create(exercise("knowledge-cafe"), participants=PEOPLE, group_size=3, seed=11)
        store.start_timer(session_id)
        clock.tick(minutes=10)
        store.advance(session_id)
        clock.tick(minutes=20)
        store.advance(session_id)
        store.add_entry(session_id, step_key="round-2", kind="question", text="How do we keep momentum?")
        store.add_entry(session_id, step_key="round-2", kind="note", text="Ben's table is stuck", private=True)
        store.add_entry(session_id, step_key="round-2", kind="action", text="Share notes", owner="Ana")
        clock.tick(minutes=19, seconds=20)
    return create_app(
        load_handbook(bundled_handbook_dir()),
        exercises_dir=bundled_exercises_dir(),
        restore=False,
        session=SessionLaunch(session_id, role=role, clock=clock),
    )


def test_shared_view_at_100x30(snap_compare):
    assert snap_compare(cafe_in_round_two("shared"), terminal_size=(100, 30))


def test_facilitator_view(snap_compare):
    assert snap_compare(cafe_in_round_two("facilitator"), terminal_size=(120, 36))
