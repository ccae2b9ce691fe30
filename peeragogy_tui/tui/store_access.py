"""The app's answers file: the answer store and the session store, opened on first use.

A mixin of :class:`~peeragogy_tui.tui.app.PeeragogyApp`, kept apart so the app
module stays the shell. SQLite and pydantic are imported only when a store is
first opened (never before the first frame); a damaged file that was set aside
and rebuilt is announced with one warning toast, from whichever thread saw it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.errors import PeeragogyError

if TYPE_CHECKING:
    from peeragogy_tui.core.sessions import SessionStore
    from peeragogy_tui.core.store import AnswerStore
    from peeragogy_tui.core.store.salvage import SalvageReport
    from peeragogy_tui.tui.session_launching import SessionLaunch

__all__ = ["StoreAccess"]


class StoreAccess:
    """``store``, ``store_error``, ``reopen_store`` and ``session_store`` (the app sets the attributes)."""

    _store: AnswerStore | None
    _store_error: PeeragogyError | None
    _session_store: SessionStore | None
    _session_launch: SessionLaunch | None
    _thread_id: int
    notify: Callable[..., None]
    call_from_thread: Callable[..., Any]

    @property
    def store(self) -> AnswerStore | None:
        """The answer store, opened on first use; ``None`` (after telling the user) if it cannot be."""
        if self._store is None and self._store_error is None:
            from peeragogy_tui.core.store import open_store

            try:
                self._store = open_store()
            except PeeragogyError as error:
                self._store_error = error
                self.notify(
                    f"{strip_control(str(error))}\nAnswers cannot be saved until this is fixed.",
                    title="Answer store unavailable",
                    severity="error",
                    timeout=15,
                    markup=False,
                )
            else:
                self._store.db.on_salvage = self._announce_salvage
        return self._store

    def _announce_salvage(self, report: SalvageReport) -> None:
        """Tell the user that a damaged answers file was set aside and rebuilt (any thread)."""

        def show() -> None:
            self.notify(
                strip_control(report.message()),
                title="Answers database repaired",
                severity="warning",
                timeout=30,
                markup=False,
            )

        if threading.get_ident() == self._thread_id:
            show()
        else:
            self.call_from_thread(show)

    @property
    def store_error(self) -> PeeragogyError | None:
        """Why the answer store could not be opened, if it could not."""
        return self._store_error

    def reopen_store(self) -> AnswerStore | None:
        """Try once more to open the answer store (space was freed, say); quiet when it still fails."""
        if self._store is None:
            from peeragogy_tui.core.store import open_store

            try:
                self._store = open_store()
                self._store_error = None
            except PeeragogyError as error:
                self._store_error = error
            else:
                self._store.db.on_salvage = self._announce_salvage
        return self._store

    @property
    def session_store(self) -> SessionStore:
        """The session store (the answers file), opened on first use.

        Raises:
            PeeragogyError: the file cannot be opened.
        """
        if self._session_store is None:
            from peeragogy_tui.core.sessions import open_session_store

            clock = self._session_launch.clock if self._session_launch else None
            self._session_store = open_session_store(clock=clock)
            self._session_store.db.on_salvage = self._announce_salvage
        return self._session_store
