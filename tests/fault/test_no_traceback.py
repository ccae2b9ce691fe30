"""An unexpected error never puts a traceback (or its locals) on screen, in any mode.

Each test runs the real program in a child process, forces an error whose
locals and message quote a row of answers, and reads what the user would
see: pipes for the CLI and a headless app, a tmux pane for the real
launcher on a real terminal.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("_crashing_app.py")
SECRET = "SECRET-ROW-CONTENTS"


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "PEERAGOGY_HOME": str(home), "TERM": "xterm-256color"}


def _assert_clean(shown: str, home: Path) -> None:
    log = home / "crash.log"
    assert SECRET not in shown, "a local variable or the error's text reached the screen"
    assert "Traceback" not in shown and "locals" not in shown.lower() and "could not decode" not in shown
    assert "unexpected error (RuntimeError)" in shown and str(log) in shown.replace("\n", "")
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "_explode" in text
    assert oct(log.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("mode", ["cli", "headless"])
def test_piped_runs_log_the_crash_and_show_one_paragraph(tmp_path: Path, mode: str) -> None:
    home = tmp_path / "home"
    if mode == "cli":  # `answers list` reads the store only if there is one
        subprocess.run(
            [sys.executable, "-c", "from peeragogy_tui.core.store import open_store; open_store().close()"],
            env=_env(home),
            check=True,
        )
    done = subprocess.run(
        [sys.executable, str(CHILD), mode],
        env=_env(home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    _assert_clean(done.stdout + done.stderr, home)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_real_launcher_on_a_terminal_logs_the_crash_and_exits_2(tmp_path: Path) -> None:
    home = tmp_path / "home"
    server = f"peeragogy-crash-{uuid.uuid4().hex[:8]}"
    done_file = tmp_path / "exit-code"
    env = _env(home)
    command = (
        f"cd {REPO} && PYTHONPATH={REPO} PEERAGOGY_HOME={home} {sys.executable} {CHILD} tui;"
        f" echo $? > {done_file}; sleep 60"
    )
    tmux = ["tmux", "-L", server, "-f", "/dev/null"]
    subprocess.run([*tmux, "new-session", "-d", "-s", "crash", "-x", "100", "-y", "30", command], check=True, env=env)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not done_file.exists():
            time.sleep(0.1)
        time.sleep(0.2)
        screen = subprocess.run(
            [*tmux, "capture-pane", "-p", "-J", "-S", "-200", "-t", "crash"], capture_output=True, text=True
        ).stdout
        assert done_file.exists(), f"the app did not exit after the error:\n{screen}"
        assert done_file.read_text().strip() == "2", screen
        _assert_clean(screen, home)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
