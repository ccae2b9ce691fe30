"""No terminal: every full-screen entry point refuses at once with exit 2 and says what to run instead.

Before this, ``peeragogy </dev/null >/dev/null``, ``peeragogy | cat`` and
``peeragogy session start … | cat`` drew the app into the pipe and spun at
96–99 % CPU until killed (issue 13). Each case runs the real command in a
child process whose stdin/stdout are pipes, files or a pseudo-terminal, with
a timeout, and reads the child's own CPU time from ``wait4``.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEADLINE = 30.0
"""A spinning app never exits; a refusal takes well under a second even on a loaded machine."""
CPU_LIMIT = 10.0
"""CPU seconds of the whole child, interpreter start-up included; a spin would use all of DEADLINE."""

ENTRY_POINTS = [
    pytest.param([], id="bare"),
    pytest.param(["--handbook", "{handbook}"], id="handbook"),
    pytest.param(["--present"], id="present"),
    pytest.param(["--lang", "en", "--data-dir", "{home}"], id="reader-options"),
    pytest.param(["--follow-symlinks"], id="typer-root"),
    pytest.param(["session", "start", "knowledge-cafe", "--tables", "3"], id="session-start"),
]


def run_without_terminal(args: list[str], *, home: Path, stdin: object, stdout: object) -> tuple[int, str, float]:
    """``(exit code, stderr, CPU seconds)`` of ``peeragogy ARGS``; fails if it does not exit in time."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PEERAGOGY_HOME": str(home), "TERM": "xterm-256color"}
    child = subprocess.Popen(
        [sys.executable, "-m", "peeragogy_tui", *args],
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    started = time.monotonic()
    assert child.stderr is not None
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > DEADLINE:
            child.kill()
            child.wait()
            pytest.fail(f"peeragogy {' '.join(args)} was still running after {DEADLINE} s")
        time.sleep(0.05)
    child.returncode = os.waitstatus_to_exitcode(status)
    stderr = child.stderr.read()
    child.stderr.close()
    return child.returncode, stderr, usage.ru_utime + usage.ru_stime


def _filled(args: list[str], tmp_path: Path, home: Path) -> list[str]:
    handbook = tmp_path / "hb"
    handbook.mkdir(exist_ok=True)
    (handbook / "intro.md").write_text("# Intro\n", encoding="utf-8")
    return [word.format(handbook=handbook, home=home) for word in args]


def _assert_refused(code: int, stderr: str, cpu: float, which: str) -> None:
    assert code == 2, stderr
    assert "Traceback" not in stderr
    assert f"needs a terminal, but its {which}" in stderr, stderr
    assert cpu < CPU_LIMIT, f"{cpu:.1f} CPU seconds: it spun"


@pytest.mark.parametrize("args", ENTRY_POINTS)
def test_pipes_both_ways_are_refused(args: list[str], tmp_path: Path, private_home: Path) -> None:
    """``peeragogy </dev/null >/dev/null`` and ``echo | peeragogy | cat``."""
    args = _filled(args, tmp_path, private_home)
    code, stderr, cpu = run_without_terminal(args, home=private_home, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    _assert_refused(code, stderr, cpu, "input and output are not terminals")
    if "session" in args:
        assert "peeragogy session report" in stderr
    else:
        assert "peeragogy read --plain CHAPTER" in stderr and "peeragogy exercise run ID" in stderr


@pytest.mark.parametrize("args", ENTRY_POINTS)
def test_output_into_a_pipe_is_refused(args: list[str], tmp_path: Path, private_home: Path) -> None:
    """``peeragogy | cat`` typed at a terminal: stdin is the terminal, stdout a pipe."""
    args = _filled(args, tmp_path, private_home)
    leader, follower = pty.openpty()
    try:
        code, stderr, cpu = run_without_terminal(args, home=private_home, stdin=follower, stdout=subprocess.PIPE)
    finally:
        os.close(follower)
        os.close(leader)
    _assert_refused(code, stderr, cpu, "output is not a terminal")


def test_input_from_a_file_is_refused(tmp_path: Path, private_home: Path) -> None:
    """``peeragogy < notes.txt`` at a terminal: stdout is the terminal, stdin a file."""
    notes = tmp_path / "notes.txt"
    notes.write_text("q\n", encoding="utf-8")
    leader, follower = pty.openpty()
    try:
        with notes.open("rb") as stdin:
            code, stderr, cpu = run_without_terminal([], home=private_home, stdin=stdin, stdout=follower)
    finally:
        os.close(follower)
        os.close(leader)
    _assert_refused(code, stderr, cpu, "input is not a terminal")


def test_closed_stdin_is_refused(private_home: Path) -> None:
    """``peeragogy <&-``: no stdin at all."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PEERAGOGY_HOME": str(private_home)}
    done = subprocess.run(
        ["sh", "-c", f"exec {sys.executable} -m peeragogy_tui <&-"],
        capture_output=True,
        text=True,
        env=env,
        timeout=DEADLINE,
    )
    assert done.returncode == 2, done.stderr
    assert "needs a terminal" in done.stderr and "Traceback" not in done.stderr


def test_session_start_without_a_terminal_creates_no_session(private_home: Path) -> None:
    code, stderr, _cpu = run_without_terminal(
        ["session", "start", "knowledge-cafe", "--tables", "3"],
        home=private_home,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
    )
    assert code == 2 and "Session #" not in stderr
    listed = subprocess.run(
        [sys.executable, "-m", "peeragogy_tui", "session", "list", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "PEERAGOGY_HOME": str(private_home)},
        timeout=DEADLINE,
    )
    assert listed.returncode == 0 and listed.stdout.strip() in ("", "[]"), listed.stdout


def test_attach_and_resume_without_a_terminal_are_refused(private_home: Path) -> None:
    from peeragogy_tui.core.exercises.loader import load_exercises
    from peeragogy_tui.core.sessions import open_session_store
    from peeragogy_tui.paths import bundled_exercises_dir

    cafe = load_exercises(bundled_exercises_dir(), "en").get("knowledge-cafe")
    assert cafe is not None
    store = open_session_store()
    try:
        session_id = store.create(cafe, participants=["Table 1", "Table 2"], group_size=None, title=None)
    finally:
        store.close()
    for command in ("attach", "resume"):
        code, stderr, cpu = run_without_terminal(
            ["session", command, str(session_id)], home=private_home, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE
        )
        _assert_refused(code, stderr, cpu, "input and output are not terminals")
        assert "peeragogy session report" in stderr
