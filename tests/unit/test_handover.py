"""A busy background thread gets a short switch interval, and the old one comes back when the last ends."""

from __future__ import annotations

import sys
import threading

from peeragogy_tui.tui.handover import quick_handover


def test_overlapping_handovers_restore_the_interval_after_the_last():
    before = sys.getswitchinterval()
    inside, may_end = threading.Event(), threading.Event()

    def busy() -> None:
        with quick_handover():
            inside.set()
            assert may_end.wait(10)

    worker = threading.Thread(target=busy)
    with quick_handover():
        assert sys.getswitchinterval() < before
        worker.start()
        assert inside.wait(10)
    assert sys.getswitchinterval() < before, "the thread's load is still running"
    may_end.set()
    worker.join(10)
    assert sys.getswitchinterval() == before
