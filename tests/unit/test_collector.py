"""The collector stays off while any chapter is being built, and comes back when the last build ends."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from peeragogy_tui.core import collector
from peeragogy_tui.core.collector import keep_out_of_collections, paused_gc, resume_collections


@pytest.fixture(autouse=True)
def collector_state():
    enabled = gc.isenabled()
    gc.enable()
    yield
    assert collector._pauses == 0
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_overlapping_pauses_in_two_threads_end_with_the_last():
    thread_paused, main_done, thread_may_end = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def parse_in_thread() -> None:
        with paused_gc():
            thread_paused.set()
            assert thread_may_end.wait(10)
            seen.append(gc.isenabled())

    with paused_gc():  # the app's layout slice starts first...
        worker = threading.Thread(target=parse_in_thread)
        worker.start()
        assert thread_paused.wait(10)
    main_done.set()  # ...and ends first, with the thread's parse still going
    assert not gc.isenabled(), "the thread's half-built chapter must not be walked"
    thread_may_end.set()
    worker.join(10)
    assert seen == [False]
    assert gc.isenabled(), "on again once the last pause ended"


def test_a_pause_that_began_with_the_collector_off_leaves_it_off():
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def test_resuming_during_a_pause_turns_it_on_when_the_pause_ends():
    gc.disable()  # as the launcher leaves it for the start
    with paused_gc():
        resume_collections()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_kept_objects_are_frozen_and_young_garbage_is_collected_first():
    class Node:
        pass

    first, second = Node(), Node()
    first.other, second.other = second, first  # a garbage cycle, made just now
    gone = weakref.ref(first)
    del first, second
    kept = Node()
    keep_out_of_collections()
    try:
        assert gone() is None, "the young garbage cycle was collected, not kept forever"
        assert gc.is_tracked(kept) and kept not in gc.get_objects(), "what lives on is out of the collector's sight"
    finally:
        gc.unfreeze()
