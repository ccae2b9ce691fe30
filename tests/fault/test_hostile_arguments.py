"""Numbers SQLite cannot hold and a closed standard input get a clear message, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peeragogy_tui.cli import app
from peeragogy_tui.core.store import open_store

REPO = Path(__file__).resolve().parents[2]
HUGE = "99999999999999999999999"


def _with_a_store() -> None:
    with open_store() as store:
        store.start_run("reflect-convening", "Reflect on Convening")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["answers", "show", HUGE], f"there is no run #{HUGE}"),
        (["answers", "delete", HUGE, "--yes"], f"there is no run #{HUGE}"),
        (["session", "report", HUGE], f"there is no session #{HUGE}"),
    ],
)
def test_a_number_too_large_for_sqlite_is_just_not_found(args: list[str], says: str) -> None:
    _with_a_store()
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert says in result.stderr and "unexpected" not in result.stderr


def _with_stdin_closed(home: Path, args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PEERAGOGY_HOME": str(home)}
    return subprocess.run(
        f"{sys.executable} -m peeragogy_tui {args} <&-",
        shell=True,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_exercise_run_with_stdin_closed_says_so(private_home: Path) -> None:
    done = _with_stdin_closed(private_home, "exercise run reflect-convening")
    assert done.returncode == 2, done.stderr
    assert "standard input is closed" in done.stderr and "unexpected" not in done.stderr
    assert not (private_home / "crash.log").exists()


def test_delete_with_stdin_closed_refuses_without_asking(private_home: Path) -> None:
    _with_a_store()
    done = _with_stdin_closed(private_home, "answers delete 1")
    assert done.returncode == 2, done.stderr
    assert "without confirmation" in done.stderr and "unexpected" not in done.stderr
    with open_store() as store:
        assert store.find_run(1) is not None
