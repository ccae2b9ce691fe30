"""A child process for the fault tests: saves answers in a loop, acknowledging each on stdout.

Usage: python _writer.py DB RUN_ID FIRST [COUNT] [--wait]

With RUN_ID 0 a new run is started. Each answer ``k<i>`` gets the value
``value(i)``, and ``i`` is printed (and flushed) only after ``save_answer``
returned, so every printed number is an acknowledged, committed answer.
With ``--wait`` the process opens nothing until a line arrives on stdin.
"""

from __future__ import annotations

import sys
from pathlib import Path


def value(index: int) -> str:
    """The answer text for step ``index``: varied lengths, multi-line, non-ASCII."""
    return f"answer {index} ✓\n" + "é" * (index % 97) + "\x1b[0m" * (index % 3)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--wait" in sys.argv:
        sys.stdin.readline()
    from peeragogy_tui.core.store import open_store

    db, run_id, first = Path(args[0]), int(args[1]), int(args[2])
    count = int(args[3]) if len(args) > 3 else 1_000_000
    with open_store(db) as store:
        if run_id == 0:
            run_id = store.start_run("fault", "Fault test")
            print(f"run {run_id}", flush=True)
        for index in range(first, first + count):
            store.save_answer(
                run_id, f"k{index}", value(index), step_index=index, prompt=f"prompt {index}"
            )
            print(index, flush=True)


if __name__ == "__main__":
    main()
