"""``peeragogy session start|attach|resume``: they create or find the session, then open the app on it."""

from __future__ import annotations

import pytest
from session_support import FakeClock, exercise
from typer.testing import CliRunner

import peeragogy_tui.cli as cli
from peeragogy_tui.cli import app
from peeragogy_tui.core.sessions import open_session_store

runner = CliRunner()


@pytest.fixture
def opened(monkeypatch, pretend_terminal) -> list[dict]:
    """Record what the app would have been opened with, instead of running it."""
    calls: list[dict] = []

    def fake_open(settings, **options):
        calls.append(options)

    monkeypatch.setattr(cli, "_open_tui", fake_open)
    return calls


def test_start_creates_a_session_with_people_and_groups(opened) -> None:
    result = runner.invoke(
        app, ["session", "start", "knowledge-cafe", "--people", "Ana, Ben, Chi,, Dee ", "--group-size", "2"]
    )
    assert result.exit_code == 0, result.output
    launch = opened[0]["session"]
    assert launch.role == "shared" and not launch.sound
    with open_session_store() as store:
        state = store.load(launch.session_id)
    assert state.exercise_id == "knowledge-cafe"
    assert state.participants == ["Ana", "Ben", "Chi", "Dee"]
    assert sorted(len(group) for group in state.groups_for(0)) == [2, 2]
    assert f"session attach {launch.session_id}" in result.output


def test_start_with_tables_and_facilitator_view(opened) -> None:
    result = runner.invoke(app, ["session", "start", "knowledge-cafe", "--tables", "3", "--facilitator", "--sound"])
    assert result.exit_code == 0, result.output
    launch = opened[0]["session"]
    assert launch.role == "facilitator" and launch.sound
    with open_session_store() as store:
        assert store.load(launch.session_id).participants == ["Table 1", "Table 2", "Table 3"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["no-such-exercise"], "no exercise 'no-such-exercise'"),
        (["knowledge-cafe", "--people", "A, B", "--tables", "2"], "not both"),
        (["knowledge-cafe", "--people", "A, B", "--group-size", "1"], "2"),
    ],
)
def test_start_errors_are_clear(opened, args, message) -> None:
    result = runner.invoke(app, ["session", "start", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert opened == []


def test_attach_and_resume_find_the_latest_running_session(opened) -> None:
    clock = FakeClock()
    with open_session_store(clock=clock) as store:
        first = store.create(exercise("knowledge-cafe"), participants=["A", "B"])
        second = store.create(exercise("peer-coaching-circle"), participants=["A", "B", "C", "D"])
        store.finish(second)
    assert runner.invoke(app, ["session", "attach"]).exit_code == 0
    assert opened[-1]["session"].session_id == first  # the finished one is not "running"
    assert opened[-1]["session"].role == "facilitator"
    assert runner.invoke(app, ["session", "resume"]).exit_code == 0
    assert opened[-1]["session"].session_id == first and opened[-1]["session"].role == "shared"
    result = runner.invoke(app, ["session", "resume", str(second)])
    assert result.exit_code == 0 and "has finished" in result.output


def test_attach_without_sessions_says_how_to_start_one(opened) -> None:
    result = runner.invoke(app, ["session", "attach"])
    assert result.exit_code == 2
    assert "session start" in result.output


def test_start_refuses_a_solo_exercise_and_names_the_group_ones(opened) -> None:
    result = runner.invoke(app, ["session", "start", "reflect-convening", "--people", "Ana, Ben"])
    assert result.exit_code == 2, result.output
    assert "solo exercise" in result.output
    for group_exercise in ("knowledge-cafe", "peer-coaching-circle", "peeragogical-action-review"):
        assert group_exercise in result.output
    assert "started" not in result.output and opened == []
    with open_session_store() as store:
        assert store.list() == []


def test_start_warns_when_the_group_is_smaller_than_the_exercise_needs(opened) -> None:
    small = runner.invoke(app, ["session", "start", "knowledge-cafe", "--people", "Ana, Ben, Chi"])
    assert small.exit_code == 0, small.output
    assert "Warning" in small.output and "8 to 60 people" in small.output and "you have 3" in small.output
    enough = runner.invoke(app, ["session", "start", "knowledge-cafe", "--tables", "8"])
    assert enough.exit_code == 0 and "Warning" not in enough.output
