"""Background threads that compute hand the interpreter back to the app at once.

While one runs, the interpreter's switch interval is 0.2 ms instead of 5 ms.
With the default, every blocking call the app's own thread made (each ``stat``
and ``read`` of a module it imports, each SQLite write) waited up to 5 ms to get
the interpreter back from the busy thread: an import of the answer store took
3.5 s behind a 5 MB chapter's parse and froze the screen. While the app is idle
nothing changes: the interval matters only when a second thread asks for the
interpreter. Used by the full parse of a long chapter and by the load that
checks a tree snapshot against the folder.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["quick_handover"]

_HANDOVER_SECONDS = 0.0002
_running = 0
_saved_interval = 0.005
_lock = threading.Lock()


@contextmanager
def quick_handover() -> Iterator[None]:
    """Run the body (in a background thread) with the short switch interval; nested and parallel uses count."""
    global _running, _saved_interval
    with _lock:
        if _running == 0:
            _saved_interval = sys.getswitchinterval()
            sys.setswitchinterval(_HANDOVER_SECONDS)
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0:
                sys.setswitchinterval(_saved_interval)
