"""Drive the real ``peeragogy`` command in tmux and read the screen, as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def capture(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout


def wait_for(session: str, text: str, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = capture(session)
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} did not appear on screen:\n{screen}")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_real_app_in_tmux(tmp_path: Path, size: tuple[int, int]) -> None:
    session = f"peeragogy-test-{uuid.uuid4().hex[:8]}"
    home = tmp_path / "home"
    command = f"PEERAGOGY_HOME={home} {sys.executable} -m peeragogy_tui"
    env = {**os.environ, "TERM": "xterm-256color"}
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", str(size[0]), "-y", str(size[1]), command],
        check=True,
        env=env,
    )
    try:
        screen = wait_for(session, "Introduction to Peeragogy")
        assert "Start here" in screen
        assert "Traceback" not in screen
        subprocess.run(["tmux", "send-keys", "-t", session, "]"], check=True)
        screen = wait_for(session, "· 2/16 ·")
        assert "Peeragogy in a Nutshell" in screen
        subprocess.run(["tmux", "send-keys", "-t", session, "?"], check=True)
        wait_for(session, "Next chapter")
        subprocess.run(["tmux", "send-keys", "-t", session, "Escape"], check=True)
        time.sleep(0.3)
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode == 0:
            time.sleep(0.1)
        saved = (home / "reading.json").read_text("utf-8")
        assert '"chapter": "nutshell"' in saved
        assert oct((home / "reading.json").stat().st_mode & 0o777) == "0o600"
        assert oct(home.stat().st_mode & 0o777) == "0o700"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
