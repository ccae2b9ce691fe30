"""When Python's cyclic garbage collector runs: not in the middle of building a chapter.

Parsing and laying out a long chapter make hundreds of thousands of small
objects (tokens, ``Text`` lines, spans), none of them in a reference cycle, that
live as long as the chapter is open. Left to itself, the collector walks every
one of them again and again: a third of the parse time of a 440 KB chapter, and
with a 5 MB chapter laid out, full collections of 200-800 ms every few seconds,
each one a frozen screen. So:

- :func:`paused_gc` holds the collector off while a chapter is built. It counts
  its users, so a parse in a thread and a layout slice on the app's thread can
  overlap: the collector comes back only when the last one ends (before, the
  first to end turned it back on under the other, and the thread's half-built
  chapter was walked).
- :func:`keep_out_of_collections` moves everything alive now into the
  collector's permanent generation (:func:`gc.freeze`), where collections never
  walk it. Frozen objects are still freed the usual way when nothing refers to them.
- :func:`resume_collections` turns it on after start-up (the launcher turns it
  off for the start), now or as soon as the last pause ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["keep_out_of_collections", "paused_gc", "resume_collections"]

_lock = threading.Lock()
_pauses = 0
_enable_after = False
"""Whether the collector comes back on when the last pause ends."""


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector off while building many small objects (any thread)."""
    global _pauses, _enable_after
    with _lock:
        if _pauses == 0:
            _enable_after = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _enable_after:
                gc.enable()


def resume_collections() -> None:
    """Turn the collector on: now, or when the pauses under way end."""
    global _enable_after
    with _lock:
        if _pauses:
            _enable_after = True
        else:
            gc.enable()


def keep_out_of_collections(*, young_first: bool = True) -> None:
    """Take every object alive now out of the collector's sight, for good.

    For what was just built and will live on: a parsed chapter, its laid-out
    lines. With ``young_first`` and no pause under way, the young generations are
    collected first (a few milliseconds), so garbage cycles made just now are not
    kept forever; during a pause that would walk the half-built chapter, so it is
    left out. (After start-up, when nothing has been collected yet, walking it all
    is the very cost this avoids: ``young_first=False``.)
    """
    with _lock:
        if young_first and _pauses == 0:
            gc.collect(1)
        gc.freeze()
