"""Feeds the reader's moves to a :class:`~peeragogy_tui.core.reading_time.ReadingTimer` and stores them.

The main screen calls :meth:`opened` and :meth:`moved` on the app's thread.
:meth:`collect` (also on the app's thread) takes what was read since the last
time; :meth:`write_collected` writes it to the reading log, and it runs only on
the app's :class:`~peeragogy_tui.tui.save_thread.SaveThread` (on the same
debounce as the reading position, on chapter changes and on quit).
:meth:`flush` collects, hands the write to that thread and waits for it.

Why every write goes through the save thread: that thread is one worker that
runs its saves in the order they were asked for, so there is only ever one
writer and the log gets each update once, in order, without a writer lock of
our own. (``flush`` used to write on the app's thread, which needed a second
lock in case it overlapped a save.) The one lock left guards the list of
collected updates, which the app's thread appends to while the save thread
writes and removes them.

A store that cannot be written only costs progress figures: it is reported
once, never raised, and what was not written is tried again next time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from peeragogy_tui.core.reading_time import ReadingTimer, ReadingUpdate
from peeragogy_tui.errors import PeeragogyError

if TYPE_CHECKING:
    from peeragogy_tui.core.store.reading import ReadingStore
    from peeragogy_tui.tui.save_thread import SaveThread

__all__ = ["ReadingTracker"]


class ReadingTracker:
    """Reading time and furthest point of the open chapter, for one handbook key."""

    def __init__(
        self,
        handbook_key: str,
        open_store: Callable[[], ReadingStore | None],
        *,
        clock: Callable[[], float] = time.monotonic,
        warn: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.handbook_key = handbook_key
        self._open_store = open_store
        self._clock = clock
        self._warn = warn
        self._timer = ReadingTimer()
        self._pending: list[ReadingUpdate] = []
        """Collected, not yet written (guarded by ``_lock``: written from the save thread)."""
        self._lock = threading.Lock()
        self._warned = False

    def opened(self, chapter_id: str) -> None:
        update = self._timer.open(chapter_id, self._clock())
        if update is not None:
            with self._lock:
                self._pending.append(update)

    def moved(self, furthest: float) -> None:
        self._timer.activity(self._clock(), furthest)

    def collect(self) -> None:
        """Take what was read since the last call, to be written by :meth:`write_collected` (app's thread)."""
        self._timer.activity(self._clock())
        update = self._timer.take()
        if update is not None:
            with self._lock:
                self._pending.append(update)

    def write_collected(self) -> None:
        """Write every collected update to the reading log, oldest first (on the save thread only)."""
        with self._lock:
            if not self._pending:
                return
        store = self._open_store()
        if store is None:
            return
        try:
            while True:
                with self._lock:
                    if not self._pending:
                        return
                    update = self._pending[0]
                store.record_reading(
                    self.handbook_key, update.chapter_id, seconds=update.seconds, furthest=update.furthest
                )
                with self._lock:
                    self._pending.pop(0)
        except PeeragogyError as error:
            if not self._warned:
                self._warned = True
                self._warn(f"Reading progress is not being saved: {error}")

    def flush(self, saves: SaveThread) -> None:
        """Write what was read so far, after every save asked for before, and wait (app's thread).

        The write is one more save on ``saves``, so it can never overlap another.
        """
        self.collect()
        saves.submit(self.write_collected)
        saves.drain()
