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


def test_the_apps_search_index_is_built_with_the_short_interval(monkeypatch, tmp_path):
    """A first build computes for seconds in a worker thread; a step of the app's own must not wait 5 ms."""
    import types

    import peeragogy_tui.core.search as search_package
    from peeragogy_tui.tui.search_access import SearchAccess

    before = sys.getswitchinterval()
    during: list[float] = []
    opened = object()

    def index_for(*args, **kwargs):  # type: ignore[no-untyped-def]
        during.append(sys.getswitchinterval())
        return opened

    monkeypatch.setattr(search_package, "index_for", index_for)
    access = SearchAccess()
    access.handbook = types.SimpleNamespace(root=tmp_path, lang="en")  # type: ignore[assignment]
    access._exercises_dir = None
    access._search_index = None
    access._search_lock = threading.Lock()
    access.search_build_progress = None
    assert access.search_index() is opened and access.search_index() is opened  # opened once
    assert len(during) == 1 and during[0] < before
    assert sys.getswitchinterval() == before
