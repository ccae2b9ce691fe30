"""Hold keys while a screen rebuilds its input, then hand them over in order.

Textual forwards each key to whatever has focus when the app reads it. While
the exercise screen swaps one step's input for the next (or is still opening)
the focus is the old input, or nothing: keys typed in that moment went into
the previous answer or were dropped. The app's queue is the one place where
keys are in the order they were typed, so the app asks the active screen's
:class:`KeyHold` about every raw key (:func:`hold_key`) before forwarding it:

* While the hold is closed, a key is kept (priority bindings still fire).
* A *step key* (Ctrl+N, ...) goes through as usual, so the answer it saves
  holds every key before it, and closes the hold behind itself: the keys
  after it are kept for the next step.
* :meth:`KeyHold.release` (the screen calls it once the new input has focus,
  or when the step did not change) forwards the kept keys to the focused
  widget in order. A kept step key goes through again and closes the hold
  once more, with the rest still kept, so a burst across several steps
  lands each key in its own step.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from textual import events
from textual.app import App
from textual.screen import Screen

__all__ = ["KeyHold", "hold_key"]


class KeyHold:
    """Keys typed while a screen is not ready for them, kept in order."""

    def __init__(self, screen: Screen[object], step_keys: Iterable[str], *, closed: bool = True) -> None:
        self.screen = screen
        self.step_keys = frozenset(step_keys)
        self.closed = closed
        """True while keys are kept (from the start: the screen is still opening)."""
        self._kept: deque[events.Key] = deque()

    @property
    def kept(self) -> int:
        """How many keys are waiting."""
        return len(self._kept)

    def close(self) -> None:
        """Keep keys from now on (the input is about to be rebuilt)."""
        self.closed = True

    def keep(self, event: events.Key) -> None:
        """Keep one raw key for later."""
        self._kept.append(events.Key(event.key, event.character))

    def release(self) -> None:
        """Forward the kept keys to the focused widget (or the screen), until one closes the hold again."""
        self.closed = False
        while self._kept and not self.closed:
            event = self._kept.popleft()
            if event.key in self.step_keys:
                self.closed = True
            target = self.screen.focused or self.screen
            target._forward_event(event)




    def hand_back(self, app: App[object]) -> None:
        """The screen is leaving: give the kept keys back to the app, for the screen below."""
        self.closed = False
        while self._kept:
            app.post_message(self._kept.popleft())


async def hold_key(app: App[object], event: events.Key) -> bool:
    """Let the active screen's hold take a raw key; True when it did (do not forward it)."""
    if event.is_forwarded or not app._screen_stack:
        return False
    hold = getattr(app.screen, "key_hold", None)
    if not isinstance(hold, KeyHold):
        return False
    if hold.closed:
        if await app._check_bindings(event.key, priority=True):
            return True
        hold.keep(event)
        return True
    if event.key in hold.step_keys:
        hold.close()
    return False
