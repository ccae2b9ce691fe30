"""Two processes share a live session; a SIGKILLed facilitator loses nothing acknowledged."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from session_support import T0, FakeClock, exercise

from peeragogy_tui.core.sessions import POLL_SECONDS, SessionWatcher, open_session_store

CHILD = Path(__file__).with_name("_session_child.py")
sys.path.insert(0, str(CHILD.parent))
from _session_child import note

ROUNDS = 6
POLLS_PER_SECOND = round(1 / POLL_SECONDS)


def _child(*args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def _line(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        raise AssertionError(f"child ended early: {proc.communicate()[1]}")
    return line.rstrip("\n")


def test_a_second_process_sees_an_entry_the_other_saved(tmp_path: Path) -> None:
    db = tmp_path / "answers.sqlite3"
    with open_session_store(db) as store:
        sid = store.create(exercise("knowledge-cafe"), participants=["Ann", "Bo"])
        watcher = SessionWatcher(store, sid)
        first = watcher.poll()
        assert first is not None and first.entries == []
        proc = _child("add", db, sid)
        try:
            assert _line(proc) == "ready"
            assert watcher.poll() is None, "nothing changed yet"
            assert proc.stdin is not None
            proc.stdin.write("from the other window ✓ [@click=app.quit]\n")
            proc.stdin.flush()
            entry_id = int(_line(proc))
        finally:
            proc.communicate(timeout=30)
        assert proc.returncode == 0
        # Committed before the child acknowledged it: the next poll must show it,
        # so a window polling every POLL_SECONDS shows it within a second.
        for _ in range(POLLS_PER_SECOND):
            state = watcher.poll()
            if state is not None:
                break
            time.sleep(POLL_SECONDS)
        assert state is not None, "the other process's entry was not seen within a second"
        assert state.revision == first.revision + 1
        assert [(e.id, e.text) for e in state.entries] == [
            (entry_id, "from the other window ✓ [@click=app.quit]")
        ]


def test_the_other_process_sees_this_ones_entry(tmp_path: Path) -> None:
    db = tmp_path / "answers.sqlite3"
    with open_session_store(db) as store:
        sid = store.create(exercise("knowledge-cafe"), participants=["Ann", "Bo"])
        proc = _child("watch", db, sid)
        try:
            assert _line(proc) == "ready"
            store.add_entry(sid, step_key="welcome", kind="question", text="Who hosts? 🎉")
            seen = _line(proc)
        finally:
            proc.kill()
            proc.communicate()
    assert seen == "Who hosts? 🎉".encode("unicode_escape").decode("ascii")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_session_resumes_with_its_step_timer_and_every_entry(tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    db = tmp_path / "answers.sqlite3"
    acknowledged: set[int] = set()
    sid, next_index = 0, 0
    for round_number in range(ROUNDS):
        proc = _child("crash", db, sid, next_index)
        if sid == 0:
            sid = int(_line(proc).split()[1])
        for _ in range(rng.randint(0, 25)):
            acknowledged.add(int(_line(proc)))
        proc.send_signal(signal.SIGKILL)
        rest, errors = proc.communicate()
        acknowledged.update(int(line) for line in rest.split())
        assert proc.returncode == -signal.SIGKILL, f"seed {seed}: child ended early: {errors}"

        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
        clock = FakeClock(T0)
        reopen_at = clock.tick(minutes=25)
        with open_session_store(db, clock=clock) as store:
            assert store.latest_running() == sid
            state = store.load(sid)
        where = f"seed {seed}, round {round_number}"
        assert state.current_index == 1 and state.current.step_key == "round-1", where
        countdown = state.current.countdown
        assert countdown.is_running(), where
        # Round 1 (20 min) started at T0+10 min, paused one minute: at T0+25 min, 6 min are left.
        assert countdown.remaining(reopen_at) == 6 * 60, where
        assert state.groups_for(1) == state.groups[0], where
        saved = {
            int(entry.text.split()[1]): entry.text
            for entry in state.entries
            if entry.step_key == "round-1"
        }
        lost = sorted(i for i in acknowledged if saved.get(i) != note(i))
        assert not lost, f"{where}: acknowledged but lost: {lost[:10]}"
        next_index = max(acknowledged | set(saved) | {-1}) + 1
    assert len(acknowledged) > ROUNDS, f"seed {seed}: the children should have saved something"
