"""The reader's saves run one after another on a thread of their own, never on the app's.

Saving where the reader is means a file write with an fsync (``reading.json``),
an SQLite commit (the reading log) and the start-up copy of the chapter. The
first save also opens the answer store, which imports SQLite's wrapper, the
migrations and the exercise models: 230-700 ms on a loaded machine, measured as
the longest freeze a second after a long chapter opened. Here each save is a
function run on one worker thread, in the order it was asked for, so nothing a
save does can stall a keypress. :meth:`SaveThread.drain` waits for every save
asked for so far: quitting does, and so does any view that reads what was saved.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

__all__ = ["SaveThread"]


class SaveThread:
    """Runs ``submit``-ted saves in order on one thread, started on first use."""

    def __init__(self, on_crash: Callable[[BaseException], None]) -> None:
        self._on_crash = on_crash
        """Told of an exception a save did not handle itself (on the save thread)."""
        self._executor: ThreadPoolExecutor | None = None
        self._last: Future[None] | None = None
        self._lock = Lock()

    def submit(self, save: Callable[[], None]) -> None:
        """Run ``save()`` after every save submitted before it."""
        with self._lock:
            if self._executor is None:
                # Imported here: the first save comes a second after the first frame, and the
                # executor's module (with queue) was 5 ms of the start on the shared machine.
                from concurrent.futures import ThreadPoolExecutor

                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="peeragogy-saves")
            self._last = self._executor.submit(self._run, save)

    def _run(self, save: Callable[[], None]) -> None:
        try:
            save()
        except BaseException as error:  # noqa: BLE001 - a save's own errors are its business; anything else is reported
            self._on_crash(error)

    def drain(self) -> None:
        """Wait until every save submitted so far has run (one worker: the last one is the last to run)."""
        with self._lock:
            last = self._last
        if last is not None:
            last.result()

    def close(self) -> None:
        """Run what is still waiting, then stop the thread (the app calls this before it closes its stores)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)
