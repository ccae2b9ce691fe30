"""``peeragogy session list|report`` through Typer's CliRunner."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from session_support import FakeClock, exercise
from typer.testing import CliRunner, Result

from peeragogy_tui.cli import app
from peeragogy_tui.core.sessions import open_session_store
from peeragogy_tui.core.store import DB_NAME

runner = CliRunner()
SECRET = "SECRETTOKEN4k"


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args))


@pytest.fixture
def sessions(private_home: Path) -> tuple[int, int]:
    """A finished café (with a private entry) and a newer running coaching circle."""
    clock = FakeClock()
    with open_session_store(clock=clock) as store:
        cafe = store.create(
            exercise("knowledge-cafe"),
            participants=["Ann", "Bo", "\x1b[31mRed\x1b[0m"],
            title="Café \x1b]0;pwned\x07 May",
        )
        store.start_timer(cafe)
        clock.tick(minutes=10)
        store.advance(cafe)
        store.add_entry(cafe, step_key="round-1", kind="note", text="Shared note ✓")
        store.add_entry(cafe, step_key="round-1", kind="action", text="Book room", owner="Bo")
        store.add_entry(cafe, step_key="round-1", kind="note", text=SECRET, private=True)
        store.finish(cafe)
        clock.tick(minutes=60)
        circle = store.create(exercise("peer-coaching-circle"), participants=["Cy", "Di"])
    return cafe, circle


def test_session_commands_have_help() -> None:
    for args in (["session"], ["session", "list"], ["session", "report"]):
        result = invoke(*args, "--help")
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.output and len(result.output.splitlines()) > 3


def test_list_without_a_store_does_not_create_one(private_home: Path) -> None:
    result = invoke("session", "list")
    assert result.exit_code == 0
    assert "No sessions yet" in result.output
    assert json.loads(invoke("session", "list", "--json").output) == []
    assert not (private_home / DB_NAME).exists()


def test_list_shows_newest_first_without_control_sequences(sessions: tuple[int, int]) -> None:
    cafe, circle = sessions
    lines = invoke("session", "list").output.splitlines()
    assert lines[0].startswith(f"#{circle}  running  2024-05-01 10:10  Peer Coaching Circle")
    assert "step 1/9: Check-in." in lines[0]
    assert lines[1].startswith(f"#{cafe}  finished  2024-05-01 09:00  Café  May  (knowledge-cafe)")
    assert "3 participants  step 2/8: Round 1." in lines[1]
    assert "\x1b" not in "".join(lines) and "\x07" not in "".join(lines)


def test_list_json(sessions: tuple[int, int]) -> None:
    cafe, circle = sessions
    rows = json.loads(invoke("session", "list", "--json").output)
    assert [row["session"] for row in rows] == [circle, cafe]
    assert rows[1]["title"] == "Café \x1b]0;pwned\x07 May", "JSON keeps text byte-exact"
    assert rows[1]["status"] == "finished" and rows[1]["finished_at"]
    assert rows[1]["current_step"] == {
        "index": 1,
        "key": "round-1",
        "prompt": exercise("knowledge-cafe").steps[1].prompt,
    }
    assert (rows[1]["steps"], rows[1]["participants"]) == (8, 3)


def test_report_to_stdout_in_markdown(sessions: tuple[int, int]) -> None:
    cafe, _ = sessions
    result = invoke("session", "report", str(cafe))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Café ")
    assert "Shared note ✓" in result.output and "Book room (owner: Bo" in result.output
    assert SECRET not in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_report_latest_is_the_newest_session(sessions: tuple[int, int]) -> None:
    result = invoke("session", "report", "latest")
    assert result.exit_code == 0
    assert result.output.startswith("# Peer Coaching Circle")


def test_report_html_to_a_private_file(sessions: tuple[int, int], tmp_path: Path) -> None:
    cafe, _ = sessions
    target = tmp_path / "out" / "café report.html"
    target.parent.mkdir()  # a missing folder is refused (tests/fault/test_data_dir_hygiene.py)
    result = invoke("session", "report", str(cafe), "--format", "html", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert str(target) in result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "Shared note ✓" in html
    assert SECRET not in html
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")], "no temp file left"


@pytest.mark.parametrize("session", ["99", "latest", "abc"])
def test_unknown_sessions_exit_2_with_a_message(private_home: Path, session: str) -> None:
    result = invoke("session", "report", session)
    assert result.exit_code == 2
    assert "peeragogy: error:" in result.output and "fix:" in result.output
    assert "Traceback" not in result.output
    assert not (private_home / DB_NAME).exists()


def test_unknown_session_number_in_an_existing_store(sessions: tuple[int, int]) -> None:
    result = invoke("session", "report", "42")
    assert result.exit_code == 2
    assert "there is no session #42" in result.output
    assert "peeragogy session list" in result.output


def test_bad_format_is_refused(sessions: tuple[int, int]) -> None:
    cafe, _ = sessions
    result = invoke("session", "report", str(cafe), "--format", "pdf")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
