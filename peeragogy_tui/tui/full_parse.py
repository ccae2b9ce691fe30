"""Parse a long chapter whole in a thread while the reader shows its head (see ``core.render.head``).

A daemon thread, not a Textual worker: quitting never waits for a parse. While
one runs, the interpreter's switch interval is 0.2 ms instead of 5 ms. With the
default, every blocking call the app's own thread made (each ``stat`` and
``read`` of a module it imports, each SQLite write) waited up to 5 ms to get the
interpreter back from the parse: an import of the answer store took 3.5 s behind
a 5 MB chapter and froze the screen. While the app is idle nothing changes: the
interval matters only when a second thread asks for the interpreter.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from peeragogy_tui.core.collector import keep_out_of_collections, paused_gc
from peeragogy_tui.core.render import Document, parse_document

__all__ = ["parse_in_thread"]

_HANDOVER_SECONDS = 0.0002
_running = 0
_saved_interval = 0.005
_lock = threading.Lock()


@contextmanager
def _quick_handover() -> Iterator[None]:
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


def parse_in_thread(
    body: str,
    source: Path,
    root: Path,
    *,
    deliver: Callable[[Callable[..., object], object], object],
    done: Callable[[Document], object],
    failed: Callable[[str], object],
) -> None:
    """Parse ``body`` in a daemon thread; then ``deliver(done, document)`` (or ``deliver(failed, message)``).

    ``deliver`` runs a callable on the app's thread (``App.call_from_thread``);
    a ``RuntimeError`` from it means the app has exited, and the result is dropped.
    """

    def parse() -> None:
        try:
            with _quick_handover(), paused_gc():
                document = parse_document(body, source=source, root=root)
                keep_out_of_collections()  # before the collector is back: it would walk the whole chapter
        except Exception as error:  # noqa: BLE001 - reported; the head stays on screen
            result: tuple[Callable[..., object], object] = (
                failed,
                f"Only the start of {source} is shown: the rest could not be parsed ({error}).",
            )
        else:
            result = (done, document)
        try:
            deliver(*result)
        except RuntimeError:  # the app has exited
            pass

    threading.Thread(target=parse, name=f"parse {source.name}", daemon=True).start()
