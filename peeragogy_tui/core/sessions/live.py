"""Following a live session from another window or process.

Two processes share the answers file. The one that changes the session bumps
its ``revision``; a :class:`SessionWatcher` polls that number (one tiny
query) and reloads the full snapshot only when it moved. Polling every
:data:`POLL_SECONDS` shows a change made elsewhere well within a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peeragogy_tui.core.sessions.models import SessionState
    from peeragogy_tui.core.sessions.store import SessionStore

__all__ = ["POLL_SECONDS", "SessionWatcher"]

POLL_SECONDS = 0.25
"""How often a watching window asks whether the session changed."""


class SessionWatcher:
    """Reloads a session when, and only when, its revision changes."""

    def __init__(self, store: SessionStore, session_id: int) -> None:
        self.store = store
        self.session_id = session_id
        self.revision: int | None = None
        """The revision of the last snapshot handed out (``None`` before the first)."""

    def poll(self) -> SessionState | None:
        """The new snapshot if the session changed since the last call, else ``None``.

        The first call always returns a snapshot.

        Raises:
            PeeragogyError: the session does not exist (any more), or the file cannot be read.
        """
        if self.revision is not None and self.store.revision(self.session_id) == self.revision:
            return None
        state = self.store.load(self.session_id)
        self.revision = state.revision
        return state
