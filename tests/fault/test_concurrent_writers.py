"""Eight processes create and write the same answers file at once: nothing is lost or locked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from peeragogy_tui.core.store import open_store

WRITER = Path(__file__).with_name("_writer.py")
sys.path.insert(0, str(WRITER.parent))
from _writer import value

PROCESSES = 8
ANSWERS = 25


def test_eight_writers_at_once(tmp_path: Path) -> None:
    db = tmp_path / "answers.sqlite3"
    procs = [
        subprocess.Popen(
            [sys.executable, str(WRITER), str(db), "0", "0", str(ANSWERS), "--wait"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [proc.communicate(timeout=120) for proc in procs]
    run_ids = []
    for proc, (out, err) in zip(procs, results):
        assert "locked" not in err.lower() and "busy" not in err.lower(), err
        assert proc.returncode == 0, err
        lines = out.split("\n")
        assert lines[0].startswith("run ")
        run_ids.append(int(lines[0].split()[1]))
        assert [int(x) for x in lines[1:] if x] == list(range(ANSWERS))
    assert len(set(run_ids)) == PROCESSES
    with open_store(db) as store:
        runs = store.runs("fault")
        assert sorted(r.id for r in runs) == sorted(run_ids)
        for run in runs:
            assert run.answer_map() == {f"k{i}": value(i) for i in range(ANSWERS)}
        assert store.db.read("PRAGMA integrity_check")[0][0] == "ok"
