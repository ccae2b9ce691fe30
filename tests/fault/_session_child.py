"""A child process for the session fault tests.

Usage:
  python _session_child.py add DB SESSION         wait for a line on stdin, add it as a note, print the id
  python _session_child.py watch DB SESSION       print "ready", then the text of each new entry it sees
  python _session_child.py crash DB SESSION FIRST  (SESSION 0: set one up) add notes in a loop

``crash`` runs on a fake clock: the session is created at T0, the welcome
timer started at T0, ``advance`` at T0+10 min (round 1's timer starts), a
pause from T0+15 min to T0+16 min; then note ``i`` is added at T0+1000+i s
and ``i`` printed only after it was committed. The parent SIGKILLs it.
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from session_support import T0, FakeClock, exercise

from peeragogy_tui.core.sessions import POLL_SECONDS, SessionWatcher, open_session_store


def note(index: int) -> str:
    """The text of note ``index``: varied, multi-line, with markup and escapes."""
    return f"note {index} ✓ [@click=app.quit]\n" + "é" * (index % 31) + "\x1b[0m" * (index % 2)


def add(db: Path, session_id: int) -> None:
    with open_session_store(db) as store:
        print("ready", flush=True)
        text = sys.stdin.readline().rstrip("\n")
        entry = store.add_entry(session_id, step_key="round-1", kind="note", text=text)
        print(entry, flush=True)


def watch(db: Path, session_id: int) -> None:
    with open_session_store(db) as store:
        watcher = SessionWatcher(store, session_id)
        seen = {entry.id for entry in watcher.poll().entries}  # type: ignore[union-attr]
        print("ready", flush=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            state = watcher.poll()
            for entry in state.entries if state else []:
                if entry.id not in seen:
                    seen.add(entry.id)
                    print(entry.text.encode("unicode_escape").decode("ascii"), flush=True)
                    return
            time.sleep(POLL_SECONDS)


def crash(db: Path, session_id: int, first: int) -> None:
    clock = FakeClock()
    with open_session_store(db, clock=clock) as store:
        if session_id == 0:
            session_id = store.create(
                exercise("knowledge-cafe"), participants=["Ann", "Bo", "Cy", "Di"], group_size=2
            )
            store.start_timer(session_id)
            clock.tick(minutes=10)
            store.advance(session_id)
            clock.tick(minutes=5)
            store.pause(session_id)
            clock.tick(minutes=1)
            store.resume(session_id)
            print(f"session {session_id}", flush=True)
        index = first
        while True:
            clock.now = T0 + timedelta(seconds=1000 + index)
            store.add_entry(session_id, step_key="round-1", kind="note", text=note(index))
            print(index, flush=True)
            index += 1


def main() -> None:
    mode, db, session_id = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    if mode == "add":
        add(db, session_id)
    elif mode == "watch":
        watch(db, session_id)
    else:
        crash(db, session_id, int(sys.argv[4]))


if __name__ == "__main__":
    main()
