"""A closed terminal or a SIGTERM saves the draft: the run reopens with the text typed last (issue 13).

The real app runs in tmux (its own server, a real terminal); text is typed,
and within 3 s the terminal is closed (``tmux kill-server`` hangs up the
pane: SIGHUP) or the process gets SIGTERM. The child turns off the periodic
draft save, so only the signal handler can have saved the text.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from textual.widgets import TextArea

from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.paths import DATA_DIR_ENV, bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

CHILD = Path(__file__).with_name("_exercise_child.py")
REPO = Path(__file__).resolve().parent.parent.parent
TYPED = "typed in the last seconds before the terminal closed"


def tmux(server: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", "-L", server, "-f", "/dev/null", *args], capture_output=True, text=True)


def wait_for_screen(server: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux(server, "capture-pane", "-p", "-t", "main").stdout
        if text in screen:
            return screen
        time.sleep(0.05)
    raise AssertionError(f"{text!r} did not appear:\n{screen}")


def wait_gone(pid: int, timeout: float = 10.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return time.monotonic() - start
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    raise AssertionError(f"the app did not exit within {timeout} s of the signal")


async def reopened_text(home: Path) -> str:
    app = create_app(
        load_handbook(bundled_handbook_dir()),
        exercises=load_exercises(bundled_exercises_dir()),
        start="convening",
        restore=False,
    )
    async with app.run_test(size=(100, 32)) as pilot:
        app.open_exercise("reflect-convening")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
        for _ in range(50):
            if app.screen.query(TextArea):
                break
            await pilot.pause()
        return app.screen.query_one(TextArea).text


@pytest.mark.parametrize("how", ["hangup", "sigterm"])
async def test_a_closed_terminal_keeps_the_last_typing(tmp_path: Path, private_home: Path, how: str) -> None:
    server = f"peeragogy-exit-{uuid.uuid4().hex[:8]}"
    pidfile = tmp_path / "child.pid"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TERM": "xterm-256color",
        "PYTHONPATH": str(REPO),
        DATA_DIR_ENV: str(private_home),
    }
    command = shlex.join(
        ["env", "-i", *(f"{key}={value}" for key, value in env.items()), sys.executable, str(CHILD), "reflect-convening", str(pidfile)]
    )
    started = tmux(server, "new-session", "-d", "-s", "main", "-x", "100", "-y", "32", command)
    assert started.returncode == 0, started.stderr
    try:
        wait_for_screen(server, "Step 1 of")
        pid = int(pidfile.read_text())
        tmux(server, "send-keys", "-t", "main", "-l", TYPED)
        wait_for_screen(server, TYPED[-20:], timeout=3.0)
        typed_at = time.monotonic()
        if how == "hangup":
            tmux(server, "kill-server")
        else:
            os.kill(pid, signal.SIGTERM)
        assert time.monotonic() - typed_at < 3.0
        wait_gone(pid)
    finally:
        tmux(server, "kill-server")
    assert await reopened_text(private_home) == TYPED
