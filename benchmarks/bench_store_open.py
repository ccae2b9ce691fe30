"""What the damage check costs when the answers file is opened.

``open_store`` runs ``PRAGMA quick_check`` on every open (see
``peeragogy_tui/core/store/database.py``). This measures, on seeded stores of
three sizes, ``open_store`` against a baseline in the same run: a bare
``sqlite3.connect`` plus one read of the header, and ``quick_check`` alone.

    python benchmarks/bench_store_open.py [--reps 7] [--no-write]

Each cell: median (min) in ms over ``--reps`` runs; the three are timed in turn
within each repetition (interleaved, the order rotating), so load from
elsewhere hits them alike. The table, with the machine's state, is printed and
written to ``benchmarks/store_open_results.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_reader import calibrate

from peeragogy_tui.core.store import open_store

RESULTS = HERE / "store_open_results.md"

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


Action = Callable[[], object]


def _interleaved(actions: dict[str, Action], reps: int) -> dict[str, str]:
    """``median (min)`` in ms of each action, timed once each per repetition, the order rotating."""
    names = list(actions)
    times: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(reps):
        for name in names[rep % len(names) :] + names[: rep % len(names)]:
            started = time.perf_counter()
            actions[name]()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: f"{statistics.median(t):.1f} ({min(t):.1f})" for name, t in times.items()}


def _actions(path: Path) -> dict[str, Action]:
    def bare() -> None:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version").fetchone()
        conn.close()

    def check() -> None:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA quick_check(1)").fetchall()
        conn.close()

    return {"open_store": lambda: open_store(path).close(), "bare": bare, "check": check}


def _table(reps: int) -> list[str]:
    lines = [
        "| answers | file | open_store | bare connect + read | quick_check alone |",
        "|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as folder:
        for size in SIZES:
            path = Path(folder) / f"answers-{size}.sqlite3"
            _build(path, size)
            cells = _interleaved(_actions(path), reps)
            lines.append(
                f"| {size:,} | {path.stat().st_size / 1e6:.1f} MB | {cells['open_store']} | {cells['bare']} |"
                f" {cells['check']} |"
            )
    return lines


def _header(reps: int, when: str, loads: tuple[float, float], speeds: tuple[float, float]) -> list[str]:
    """What ran, when, and how busy and fast the machine was at the start and the end."""
    return [
        "# Opening the answers file",
        "",
        (
            f"`python benchmarks/bench_store_open.py --reps {reps}`, {when}; Python {platform.python_version()},"
            f" SQLite {sqlite3.sqlite_version}. Load average {loads[0]:.2f} at the start, {loads[1]:.2f} at the"
            f" end; CPU speed check {speeds[0]:.0f} / {speeds[1]:.0f} ms (a fixed Python loop, start / end;"
            " about 84 ms on the quiet host of older results)."
        ),
        "",
        (
            "Median (min) in ms of each, the three timed in turn within every repetition. `open_store` runs"
            " `PRAGMA quick_check` on open; the baselines, on the same file in the same run, are a bare"
            " `sqlite3.connect` plus one read of the header, and `quick_check` alone."
        ),
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help=f"print only; do not write {RESULTS.name}")
    args = parser.parse_args()
    load_start, speed_start = os.getloadavg()[0], calibrate()
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    table = _table(args.reps)
    loads, speeds = (load_start, os.getloadavg()[0]), (speed_start, calibrate())
    text = "\n".join([*_header(args.reps, when, loads, speeds), *table, ""])
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
