"""A closed terminal (SIGHUP) or a polite kill (SIGTERM) saves before the app exits.

Both signals end a Python process at once by default, so the last seconds of
typing (drafts are written every few seconds) were lost although the run
promises to reopen where it stopped. :func:`install_exit_signals` puts
handlers in place that run ``save`` on the app's event loop first, then ask
the app to exit with the status a signalled process reports (128 + the signal).

The terminal may already be gone, and then the exit itself can block for
ever: Textual's output thread dies on the first write that fails (EIO), its
queue fills, and the event loop waits in ``Queue.put`` while restoring the
terminal. So nothing here depends on that loop running: the handlers are
plain :func:`signal.signal` handlers (Python runs them on the main thread even
while it waits on a lock, where ``loop.add_signal_handler`` callbacks never
run), the save and exit are handed to the loop thread-safely, and a daemon
timer thread ends the process :data:`EXIT_GRACE_SECONDS` after the signal if
the exit has not finished; a second signal ends it at once. Every file the
saves write is replaced atomically (temp file + rename), so ending the process
mid-write keeps the previous copy.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

from textual.app import App

__all__ = ["EXIT_GRACE_SECONDS", "EXIT_SIGNALS", "install_exit_signals"]

EXIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name))
"""The signals that mean "the terminal closed" or "please stop"."""
EXIT_GRACE_SECONDS = 5.0
"""How long a signalled app may take to save and exit (restoring a closed terminal can block) before it is ended."""


def _end_later(status: int) -> None:
    """End the process after the grace period, from a thread of its own (the event loop may be stuck)."""
    timer = threading.Timer(EXIT_GRACE_SECONDS, os._exit, args=(status,))
    timer.daemon = True  # a normal exit within the grace period does not wait for it
    timer.name = "peeragogy-exit-deadline"
    timer.start()


def install_exit_signals(app: App[object], save: Callable[[], None]) -> Callable[[], None]:
    """Handle :data:`EXIT_SIGNALS` (call on the main thread, in the running loop); returns a function that removes the handlers."""
    loop = asyncio.get_running_loop()
    previous: dict[int, Any] = {}
    received: list[int] = []

    def save_and_exit(status: int) -> None:
        try:
            save()
        finally:
            app.exit(return_code=status)

    def handle(signum: int, _frame: FrameType | None) -> None:
        status = 128 + signum
        if received:  # asked twice: stop now
            os._exit(status)
        received.append(signum)
        _end_later(status)
        try:
            loop.call_soon_threadsafe(save_and_exit, status)
        except RuntimeError:  # the loop is closed: nothing left to save through it
            os._exit(status)

    for signum in EXIT_SIGNALS:
        try:
            previous[signum] = signal.signal(signum, handle)
        except (OSError, RuntimeError, ValueError):
            continue  # not the main thread, or a platform without this signal

    def uninstall() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        previous.clear()

    return uninstall
