"""Parse a long chapter whole in a thread while the reader shows its head (see ``core.render.head``).

A daemon thread, not a Textual worker: quitting never waits for a parse. It
hands the interpreter back to the app at once (:mod:`~peeragogy_tui.tui.handover`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from peeragogy_tui.core.collector import keep_out_of_collections, paused_gc
from peeragogy_tui.core.render import Document, parse_document
from peeragogy_tui.tui.handover import quick_handover

__all__ = ["parse_in_thread"]


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
            with quick_handover(), paused_gc():
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
