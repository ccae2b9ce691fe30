"""What the damage check costs when the answers file is opened.

``open_store`` runs ``PRAGMA quick_check`` on every open (see
``peeragogy_tui/core/store/database.py``). This measures, on seeded stores of
three sizes, ``open_store`` against a baseline in the same run: a bare
``sqlite3.connect`` plus one read of the header, and ``quick_check`` alone.

    python benchmarks/bench_store_open.py [--reps 7]

Each cell: median (min) in ms over ``--reps`` runs.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peeragogy_tui.core.store import open_store  # noqa: E402

SIZES = (200, 2_000, 20_000)
"""Answers per store (10 per run, 400 characters each)."""


def _build(path: Path, answers: int) -> None:
    with open_store(path) as store:

        def work(conn: sqlite3.Connection) -> None:
            for run in range(answers // 10):
                cursor = conn.execute(
                    "INSERT INTO runs (exercise_id, exercise_title, status, started_at, updated_at)"
                    " VALUES ('e', 'E', 'done', 't', 't')"
                )
                for step in range(10):
                    conn.execute(
                        "INSERT INTO answers (run_id, step_key, step_index, step_type, prompt, value_json, updated_at)"
                        " VALUES (?, ?, ?, 'text', 'p', ?, 't')",
                        (cursor.lastrowid, f"k{step}", step, f'"{run:06d}' + "a" * 393 + '"'),
                    )

        store.db.write(work)


def _time(action, reps: int) -> str:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return f"{statistics.median(times):.1f} ({min(times):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    reps = parser.parse_args().reps
    print("| answers | file | open_store | bare connect + read | quick_check alone |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for size in SIZES:
            path = Path(folder) / f"answers-{size}.sqlite3"
            _build(path, size)

            def bare() -> None:
                conn = sqlite3.connect(path)
                conn.execute("PRAGMA user_version").fetchone()
                conn.close()

            def check() -> None:
                conn = sqlite3.connect(path)
                conn.execute("PRAGMA quick_check(1)").fetchall()
                conn.close()

            ours = _time(lambda: open_store(path).close(), reps)  # noqa: B023
            print(
                f"| {size:,} | {path.stat().st_size / 1e6:.1f} MB | {ours} | {_time(bare, reps)} |"
                f" {_time(check, reps)} |"
            )


if __name__ == "__main__":
    main()
