"""Countdown: pure arithmetic on explicit datetimes (no sleeping, no real clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from peeragogy_tui.core.sessions import Countdown, format_clock

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_not_started_shows_the_full_duration() -> None:
    countdown = Countdown(planned_seconds=600)
    assert countdown.duration() == 600
    assert countdown.elapsed(at(500)) == 0
    assert countdown.remaining(at(500)) == 600
    assert not countdown.is_running() and not countdown.is_paused()
    assert countdown.is_timed()
    assert not countdown.is_over(at(10_000))


def test_running_counts_down_with_the_wall_clock() -> None:
    countdown = Countdown(planned_seconds=600).start(at(0))
    assert countdown.is_running()
    assert countdown.elapsed(at(90)) == 90
    assert countdown.remaining(at(90)) == 510


def test_pause_freezes_and_resume_excludes_the_pause() -> None:
    countdown = Countdown(planned_seconds=600).start(at(0)).pause(at(100))
    assert countdown.is_paused() and not countdown.is_running()
    assert countdown.remaining(at(100)) == 500
    assert countdown.remaining(at(400)) == 500, "time does not run while paused"
    assert countdown.paused_total(at(400)) == 300
    resumed = countdown.resume(at(400))
    assert resumed.paused_seconds == 300
    assert resumed.remaining(at(450)) == 450
    again = resumed.pause(at(500)).resume(at(560))
    assert again.paused_seconds == 360
    assert again.elapsed(at(600)) == 240


def test_pause_resume_and_start_are_idempotent() -> None:
    running = Countdown(planned_seconds=60).start(at(0))
    assert running.resume(at(5)) == running
    assert running.start(at(5)) == running, "starting again does not restart"
    paused = running.pause(at(10))
    assert paused.pause(at(20)) == paused
    assert paused.start(at(30)).paused_seconds == 20, "start on a paused timer resumes it"
    assert Countdown(planned_seconds=60).pause(at(1)).started_at is None


def test_add_and_remove_minutes() -> None:
    countdown = Countdown(planned_seconds=600).start(at(0))
    assert countdown.add_minutes(1).remaining(at(0)) == 660
    assert countdown.add_minutes(-2).duration() == 480
    assert countdown.add_minutes(2).add_minutes(-1).adjust_seconds == 60


def test_duration_never_goes_below_zero() -> None:
    countdown = Countdown(planned_seconds=120).add_minutes(-5)
    assert countdown.duration() == 0
    assert countdown.adjust_seconds == -120
    assert countdown.add_minutes(1).duration() == 60, "removed minutes below zero are not owed"
    assert countdown.is_timed(), "a timed step stays timed at zero"


def test_last_minute_is_highlighted_only_while_running_time_is_left() -> None:
    countdown = Countdown(planned_seconds=300).start(at(0))
    assert not countdown.in_last_minute(at(239))
    assert countdown.in_last_minute(at(240))
    assert countdown.in_last_minute(at(299.5))
    assert not countdown.in_last_minute(at(300))
    assert not Countdown(planned_seconds=60).in_last_minute(at(0)), "not before it starts"


def test_overtime_is_negative_remaining() -> None:
    countdown = Countdown(planned_seconds=300).start(at(0))
    assert not countdown.is_over(at(299))
    assert countdown.is_over(at(300))
    assert countdown.remaining(at(375)) == -75
    assert countdown.overtime(at(375)) == 75
    assert countdown.overtime(at(100)) == 0


def test_an_untimed_step_never_ends_unless_minutes_are_added() -> None:
    countdown = Countdown(planned_seconds=0).start(at(0))
    assert not countdown.is_timed()
    assert not countdown.is_over(at(10_000))
    assert countdown.overtime(at(10_000)) == 0
    assert not countdown.in_last_minute(at(0))
    timed = countdown.add_minutes(2)
    assert timed.is_timed()
    assert timed.remaining(at(30)) == 90


def test_restart_from_stored_fields_gives_the_same_remaining_time() -> None:
    countdown = Countdown(planned_seconds=1200).start(at(0)).pause(at(300)).resume(at(360))
    copy = Countdown(
        planned_seconds=countdown.planned_seconds,
        adjust_seconds=countdown.adjust_seconds,
        started_at=countdown.started_at,
        paused_at=countdown.paused_at,
        paused_seconds=countdown.paused_seconds,
    )
    assert copy.remaining(at(900)) == countdown.remaining(at(900)) == 1200 - 840


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (754.2, "12:35"),
        (60, "1:00"),
        (0.2, "0:01"),
        (0, "0:00"),
        (-0.5, "0:00"),
        (-1, "-0:01"),
        (-75.5, "-1:15"),
        (3723, "1:02:03"),
    ],
)
def test_format_clock(seconds: float, shown: str) -> None:
    assert format_clock(seconds) == shown
