"""A closed terminal (SIGHUP) or a polite kill (SIGTERM) saves before the app exits.

Both signals end a Python process at once by default, so the last seconds of
typing (drafts are written every few seconds) were lost although the run
promises to reopen where it stopped. :func:`install_exit_signals` puts
handlers on the app's event loop that run ``save`` first, then ask the app
to exit with the status a signalled process reports (128 + the signal).
The terminal may already be gone, so if the exit has not finished a few
seconds later the process ends anyway; a second signal ends it at once.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable

from textual.app import App

__all__ = ["EXIT_GRACE_SECONDS", "EXIT_SIGNALS", "install_exit_signals"]

EXIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name))
"""The signals that mean "the terminal closed" or "please stop"."""
EXIT_GRACE_SECONDS = 5.0
"""How long a signalled app may take to exit (restoring a closed terminal can block) before it is ended."""


def install_exit_signals(app: App[object], save: Callable[[], None]) -> Callable[[], None]:
    """Handle :data:`EXIT_SIGNALS` on the running loop; returns a function that removes the handlers."""
    loop = asyncio.get_running_loop()
    installed: list[int] = []
    received: list[int] = []

    def handle(signum: int) -> None:
        if received:  # asked twice: stop now
            os._exit(128 + signum)
        received.append(signum)
        try:
            save()
        finally:
            loop.call_later(EXIT_GRACE_SECONDS, os._exit, 128 + signum)
            app.exit(return_code=128 + signum)

    for signum in EXIT_SIGNALS:
        try:
            loop.add_signal_handler(signum, handle, signum)
        except (NotImplementedError, RuntimeError, ValueError):
            continue  # not the main thread, or a platform without loop signal handlers
        installed.append(signum)

    def uninstall() -> None:
        for signum in installed:
            loop.remove_signal_handler(signum)
        installed.clear()

    return uninstall
