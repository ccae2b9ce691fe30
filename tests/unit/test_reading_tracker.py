"""The reading log gets every update once, in order, from the save thread alone, even when it fails."""

from __future__ import annotations

import threading
import time

from peeragogy_tui.errors import PeeragogyError
from peeragogy_tui.tui.reading_tracker import ReadingTracker
from peeragogy_tui.tui.save_thread import SaveThread

Row = tuple[str, float, float]


class RecordingStore:
    """A reading store that keeps what it is given, slowly, so writers would overlap if they could."""

    def __init__(self, failures: int = 0) -> None:
        self.rows: list[Row] = []
        self.threads: set[int] = set()
        self.failures = failures

    def record_reading(self, handbook: str, chapter_id: str, *, seconds: float, furthest: float) -> None:
        self.threads.add(threading.get_ident())
        time.sleep(0.0005)
        if self.failures:
            self.failures -= 1
            raise PeeragogyError("the disk is full")
        self.rows.append((chapter_id, seconds, furthest))


class Reader:
    """Drives a tracker on a clock it owns, and notes every update its timer hands out, in order."""

    def __init__(self, tracker: ReadingTracker) -> None:
        self.now = 0.0
        self.tracker = tracker
        tracker._clock = lambda: self.now
        self.expected: list[Row] = []
        timer = tracker._timer
        take = timer.take

        def noted_take():
            update = take()
            if update is not None:
                self.expected.append((update.chapter_id, update.seconds, update.furthest))
            return update

        timer.take = noted_take  # type: ignore[method-assign]

    def read(self, chapter_id: str) -> None:
        self.now += 2
        self.tracker.opened(chapter_id)
        self.now += 1
        self.tracker.moved(0.5)
        self.tracker.collect()

    def last_update_collected(self) -> None:
        self.now += 2
        self.tracker.collect()


def tracker_on(store: RecordingStore | None, warnings: list[str] | None = None) -> ReadingTracker:
    return ReadingTracker("book", lambda: store, warn=(warnings if warnings is not None else []).append)


def test_every_update_is_written_once_in_order_by_the_save_thread_alone() -> None:
    store = RecordingStore()
    saves = SaveThread(on_crash=lambda error: None)
    reader = Reader(tracker_on(store))
    for number in range(200):
        reader.read(f"chapter-{number}")
        saves.submit(reader.tracker.write_collected)  # the debounced save, while the app reads on
        if number % 7 == 0:
            reader.tracker.flush(saves)  # the progress view
    reader.last_update_collected()
    reader.tracker.flush(saves)
    assert len(reader.expected) > 400
    assert store.rows == reader.expected
    assert len(store.threads) == 1 and threading.get_ident() not in store.threads
    saves.close()


def test_flush_writes_after_the_saves_asked_for_before_it_and_waits_for_them() -> None:
    store = RecordingStore()
    saves = SaveThread(on_crash=lambda error: None)
    reader = Reader(tracker_on(store))
    release = threading.Event()
    saves.submit(lambda: release.wait(5))  # a slow save (an fsync) holds the thread
    reader.read("one")
    threading.Timer(0.05, release.set).start()
    reader.tracker.flush(saves)
    assert release.is_set(), "the slow save ran first"
    assert store.rows == reader.expected and store.rows[0] == ("one", 1.0, 0.5), "written by the time flush returns"
    saves.close()


def test_updates_a_failing_store_did_not_take_are_written_later_in_order_and_it_is_told_once() -> None:
    store = RecordingStore(failures=3)
    warnings: list[str] = []
    saves = SaveThread(on_crash=lambda error: None)
    reader = Reader(tracker_on(store, warnings))
    for number in range(5):
        reader.read(f"chapter-{number}")
        reader.tracker.flush(saves)
    reader.last_update_collected()
    reader.tracker.flush(saves)
    assert store.rows == reader.expected, "nothing lost, nothing twice"
    assert len(warnings) == 1 and "the disk is full" in warnings[0]
    saves.close()


def test_updates_wait_for_a_store_that_cannot_be_opened_yet() -> None:
    store = RecordingStore()
    available: list[RecordingStore | None] = [None]
    tracker = ReadingTracker("book", lambda: available[0])
    saves = SaveThread(on_crash=lambda error: None)
    reader = Reader(tracker)
    reader.read("one")
    tracker.flush(saves)
    available[0] = store
    reader.read("two")
    reader.last_update_collected()
    tracker.flush(saves)
    assert store.rows == reader.expected
    saves.close()
