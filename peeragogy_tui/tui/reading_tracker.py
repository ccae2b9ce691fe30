"""Feeds the reader's moves to a :class:`~peeragogy_tui.core.reading_time.ReadingTimer` and stores them.

The main screen calls :meth:`opened` and :meth:`moved` on the app's thread.
:meth:`collect` (also on the app's thread) takes what was read since the last
time; :meth:`write_collected` writes it to the reading log from any thread, so
the main screen runs it on its save thread (on the same debounce as the
reading position, on chapter changes and on quit). :meth:`flush` does both at
once. A store that cannot be written only costs progress figures: it is
reported once, never raised, and what was not written is tried again next time.
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
        self._writing = threading.Lock()
        """One writer at a time, so each update is written once and in order."""
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
        """Write every collected update to the reading log (any thread)."""
        with self._writing:
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

    def flush(self) -> None:
        """Write what was read since the last flush, now (app's thread)."""
        self.collect()
        self.write_collected()
