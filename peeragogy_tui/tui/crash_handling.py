"""The app's crash handler: an unexpected error is logged, never shown as a traceback.

A mixin of :class:`~peeragogy_tui.tui.app.PeeragogyApp`, kept apart so the app
module stays the shell; it overrides a private method of Textual's ``App``.
"""

from __future__ import annotations

from typing import Any

from peeragogy_tui.core.sanitize import strip_control

__all__ = ["CrashHandling"]


class CrashHandling:
    """Replaces Textual's exception handler (must come before ``App`` in the bases)."""

    _return_code: int | None
    _exception: Exception | None
    _exception_event: Any
    _exit_renderables: list[Any]
    _close_messages_no_wait: Any

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: traceback to ``crash.log``, one paragraph on screen, exit code 2.

        Replaces Textual's handler, which prints a Rich traceback with every
        local variable (rows of answers included) and leaves the process to
        exit 0. Under Pilot the error is still re-raised to the test. This
        overrides a private Textual method (8.x);
        ``tests/fault/test_no_traceback.py`` fails if that ever stops working.
        """
        from rich.text import Text

        from peeragogy_tui.crash_log import crash_message, record_crash

        log = record_crash(error, where="reader")
        self._return_code = 2
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._exit_renderables.append(
            Text("peeragogy: error: " + strip_control(crash_message(error, log)))
        )
        self._close_messages_no_wait()
