"""SIGKILL a process while it saves answers: the file stays sound and nothing acknowledged is lost."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from peeragogy_tui.core.store import open_store

WRITER = Path(__file__).with_name("_writer.py")
sys.path.insert(0, str(WRITER.parent))
from _writer import value

ROUNDS = 15


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    db = tmp_path / "answers.sqlite3"
    with open_store(db) as store:
        run_id = store.start_run("fault", "Fault test")
    acknowledged: set[int] = set()
    next_index = 0
    for round_number in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(db), str(run_id), str(next_index)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        wanted = rng.randint(0, 30)
        seen = 0
        while seen < wanted:
            line = proc.stdout.readline()
            if not line:
                break
            acknowledged.add(int(line))
            seen += 1
        proc.send_signal(signal.SIGKILL)
        rest, errors = proc.communicate()
        acknowledged.update(int(line) for line in rest.split())
        assert proc.returncode == -signal.SIGKILL, f"seed {seed}: writer ended early: {errors}"
        assert "Traceback" not in errors, f"seed {seed}: {errors}"

        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", (
                f"seed {seed}, round {round_number}"
            )
        finally:
            conn.close()
        with open_store(db) as store:
            saved = store.get_run(run_id).answer_map()
        missing = sorted(i for i in acknowledged if saved.get(f"k{i}") != value(i))
        assert not missing, (
            f"seed {seed}, round {round_number}: acknowledged but lost: {missing[:10]}"
        )
        next_index = max(acknowledged | {int(k[1:]) for k in saved} | {-1}) + 1
    assert len(acknowledged) > ROUNDS, f"seed {seed}: the writers should have saved something"
