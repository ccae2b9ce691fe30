"""Textual's ``Footer``, rebuilt only when the keys it shows have changed.

The stock footer recomposes (removes and mounts a widget per key, and styles
each) whenever its screen says its bindings may have changed: on every focus
change and screen update. Opening the reader did that three times in its first
second, each 30-85 ms on the app's thread, with the same keys every time: the
longest freezes of the open after the answer store's. :class:`KeyFooter` keeps
a fingerprint of what it shows and skips a rebuild that would show the same.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

__all__ = ["KeyFooter"]


class KeyFooter(Footer):
    """A ``Footer`` that recomposes only when its keys, their labels or their state change."""

    _shown: Hashable | None = None
    """The fingerprint of the keys on show, or of those a rebuild that was asked for will show."""

    def _fingerprint(self) -> Hashable:
        """Everything ``Footer.compose`` reads from the screen's bindings."""
        return (
            self.compact,
            self.show_command_palette,
            tuple(
                (key, binding, self.app.get_key_display(binding), enabled, tooltip)
                for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            ),
        )

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._fingerprint()
        return super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not (self.is_attached and screen is self.screen and screen.app.app_focus):
            super().bindings_changed(screen)  # nothing is rebuilt now
            return
        shown = self._fingerprint()
        if self._bindings_ready and shown == self._shown:
            return  # the same keys as on show, or as a rebuild already asked for
        super().bindings_changed(screen)  # asks for a rebuild after the next refresh
        self._shown = shown
