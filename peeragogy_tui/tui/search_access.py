"""The app's search index: opened (built or refreshed) on first use, from a worker thread.

A mixin of :class:`~peeragogy_tui.tui.app.PeeragogyApp`, kept apart so the app
module stays the shell. SQLite is imported only when the index is first opened;
a lock makes the first open happen once even when two workers ask at once.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peeragogy_tui.core.handbook import Handbook
    from peeragogy_tui.core.search import SearchIndex

__all__ = ["SearchAccess"]


class SearchAccess:
    """``search_index()`` and what the search screen asks of it (the app sets the attributes)."""

    handbook: Handbook
    _exercises_dir: Path | None
    _search_index: SearchIndex | None
    _search_lock: threading.Lock
    search_build_progress: tuple[int, int, float] | None

    @property
    def open_search_index(self) -> SearchIndex | None:
        """The search index if it is open already (live reload refreshes it), else ``None``."""
        return self._search_index

    @property
    def search_index_ready(self) -> bool:
        """True once the search index is open (the first open may have to build it)."""
        return self._search_index is not None

    def search_index(self) -> SearchIndex:
        """The handbook's search index, opened (and built or refreshed) on first use.

        Call it from a worker thread: the first call reads every file.

        Raises:
            PeeragogyError: the index cannot be built or written.
        """
        with self._search_lock:
            if self._search_index is None:
                import time

                from peeragogy_tui.core.search import index_for
                from peeragogy_tui.tui.handover import quick_handover

                started = time.monotonic()

                def progress(done: int, total: int) -> None:
                    self.search_build_progress = (done, total, started)

                try:
                    with quick_handover():  # the build computes for seconds: the app's thread must not wait 5 ms
                        self._search_index = index_for(
                            self.handbook.root, self.handbook.lang or None, exercises_dir=self._exercises_dir,
                            progress=progress,
                        )
                finally:
                    self.search_build_progress = None
            return self._search_index

    def search_ticket(self) -> int | None:
        """The search index's :meth:`~peeragogy_tui.core.search.SearchIndex.ticket` (``None`` before it opens)."""
        return self._search_index.ticket() if self._search_index is not None else None

    def interrupt_search(self) -> None:
        """Stop a search query running in a worker thread (safe from the UI thread; never waits)."""
        if self._search_index is not None:
            self._search_index.interrupt()
