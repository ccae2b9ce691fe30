"""The reader exits when its terminal goes away, and a SIGTERM always ends it.

Before this, closing the terminal (an SSH connection or a tmux server gone)
right after the first frame left the process running for ever, deaf to
SIGTERM: Textual's output thread died on the first write that failed (EIO),
its queue filled and the event loop waited in ``Queue.put`` while restoring
the terminal, so neither the loop's signal handlers nor its exit deadline
ever ran. Each case runs the real ``peeragogy`` in a pseudo-terminal of its
own (the child's controlling terminal), waits for the first frame, then
closes the terminal or sends SIGTERM, and fails if the process is still there
30 s later (it exits within the 5 s grace period; 30 s is only a bound that
cannot be reached by a slow machine). What it saved must still be readable.
"""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from peeragogy_tui.core.handbook.tree_snapshot import read_snapshot
from peeragogy_tui.paths import DATA_DIR_ENV, bundled_handbook_dir

REPO = Path(__file__).resolve().parents[2]
STUCK_SAVE_CHILD = Path(__file__).with_name("_stuck_save_child.py")
EXIT_BOUND = 30.0
"""Far beyond the app's 5 s grace period: a process still there after this hangs."""
FIRST_FRAME_TIMEOUT = 60.0
QUIET = 1.0
"""The first frame is drawn once the app has written to the terminal and then been quiet this long."""
ALT_SCREEN = b"\x1b[?1049h"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a POSIX pseudo-terminal")


def start_in_terminal(argv: list[str], home: Path) -> tuple[int, int]:
    """``(pid, terminal master fd)`` of ``argv`` run with a new pseudo-terminal as its controlling terminal."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(REPO),
        DATA_DIR_ENV: str(home),
        "COLUMNS": "120",
        "LINES": "40",
    }
    pid, master = pty.fork()
    if pid == 0:  # the child: nothing but exec (the parent has threads)
        try:
            os.execve(sys.executable, [sys.executable, *argv], env)
        finally:
            os._exit(127)
    return pid, master


def wait_for_first_frame(pid: int, master: int) -> None:
    """Read the terminal until the app entered the alternate screen and then fell quiet."""
    seen = b""
    last_output = time.monotonic()
    deadline = last_output + FIRST_FRAME_TIMEOUT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            seen += chunk
            last_output = time.monotonic()
        elif ALT_SCREEN in seen and len(seen) > 2000 and time.monotonic() - last_output > QUIET:
            return
    ended(pid, 1.0)
    raise AssertionError(f"no first frame within {FIRST_FRAME_TIMEOUT} s; the terminal showed:\n{seen[-2000:]!r}")


def ended(pid: int, bound: float) -> bool:
    """Whether ``pid`` exited within ``bound`` seconds (it is reaped); otherwise it is killed and reaped."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return True
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return False


def assert_saved_files_readable(home: Path, handbook: Path) -> None:
    reading = json.loads((home / "reading.json").read_text(encoding="utf-8"))
    assert isinstance(reading, dict) and reading
    assert read_snapshot(handbook / "en", "en") is not None or not list((home / "cache").glob("tree-*.json"))


@pytest.mark.parametrize("start", ["first start", "second start"])
def test_a_closed_terminal_ends_the_app(private_home: Path, start: str) -> None:
    handbook = bundled_handbook_dir()
    argv = ["-m", "peeragogy_tui", "--handbook", str(handbook)]
    starts = 2 if start == "second start" else 1
    for number in range(starts):
        pid, master = start_in_terminal(argv, private_home)
        try:
            wait_for_first_frame(pid, master)
        finally:
            os.close(master)  # the terminal is gone: the kernel hangs up the child's session
        last = number == starts - 1
        if not ended(pid, EXIT_BOUND):
            raise AssertionError(f"the app was still running {EXIT_BOUND} s after its terminal closed ({start}, run {number + 1})")
        assert last or (private_home / "reading.json").exists()
    assert_saved_files_readable(private_home, handbook)


def test_sigterm_ends_the_app_while_a_save_is_stuck(private_home: Path, tmp_path: Path) -> None:
    private_home.mkdir(parents=True, exist_ok=True)
    before = {"elsewhere#en": {"chapter": "kept", "block": 3, "line": 0, "saved": "2026-12-01T10:00:00"}}
    (private_home / "reading.json").write_text(json.dumps(before), encoding="utf-8")
    marker = tmp_path / "save-started"
    pid, master = start_in_terminal([str(STUCK_SAVE_CHILD), str(marker), "--handbook", str(bundled_handbook_dir())], private_home)
    try:
        wait_for_first_frame(pid, master)
        os.kill(pid, signal.SIGTERM)
        assert ended(pid, EXIT_BOUND), f"a SIGTERM did not end the app within {EXIT_BOUND} s while a save was stuck"
    finally:
        os.close(master)
    assert marker.exists(), "the save never started: the test did not test a stuck save"
    assert json.loads((private_home / "reading.json").read_text(encoding="utf-8")) == before
