"""The app's answers file: the answer store and the session store, opened on first use.

A mixin of :class:`~peeragogy_tui.tui.app.PeeragogyApp`, kept apart so the app
module stays the shell. SQLite and pydantic are imported only when a store is
first opened (never before the first frame), which may happen on the save
thread (:mod:`~peeragogy_tui.tui.save_thread`): the open is guarded by a lock,
and a toast from another thread is queued on the app's, never waited for (the
app's thread may itself be waiting for that save). A damaged file that was set
aside and rebuilt is announced with one warning toast.
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
    call_later: Callable[..., Any]
    _store_lock: threading.Lock
    """Held while the answer store is opened, so two threads never open it twice."""

    @property
    def store(self) -> AnswerStore | None:
        """The answer store, opened on first use; ``None`` (after telling the user) if it cannot be."""
        with self._store_lock:
            if self._store is None and self._store_error is None:
                from peeragogy_tui.core.store import open_store

                try:
                    self._store = open_store()
                except PeeragogyError as error:
                    self._store_error = error
                    self._tell(
                        f"{strip_control(str(error))}\nAnswers cannot be saved until this is fixed.",
                        title="Answer store unavailable",
                        severity="error",
                        timeout=15,
                    )
                else:
                    self._store.db.on_salvage = self._announce_salvage
            return self._store

    def _tell(self, message: str, **toast: Any) -> None:
        """A toast, now on the app's thread, queued on it from any other (never waited for)."""
        if threading.get_ident() == self._thread_id:
            self.notify(message, markup=False, **toast)
        else:
            self.call_later(self.notify, message, markup=False, **toast)

    def _announce_salvage(self, report: SalvageReport) -> None:
        """Tell the user that a damaged answers file was set aside and rebuilt (any thread)."""
        self._tell(strip_control(report.message()), title="Answers database repaired", severity="warning", timeout=30)

    @property
    def store_error(self) -> PeeragogyError | None:
        """Why the answer store could not be opened, if it could not."""
        return self._store_error

    def reopen_store(self) -> AnswerStore | None:
        """Try once more to open the answer store (space was freed, say); quiet when it still fails."""
        with self._store_lock:
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
