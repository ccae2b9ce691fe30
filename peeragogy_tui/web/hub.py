"""One poller of the session store per server, fanning each change out to every open stream.

All store calls of the web layer run on one thread with one connection
(:meth:`Hub.run`), so SQLite transactions never interleave on a connection
and the event loop never blocks on a write. The poller asks for the session's
revision every :data:`POLL_SECONDS` (one indexed read); only when it moved does
it load the snapshot once and wake every stream, which then builds its own
participant's view from that one snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from peeragogy_tui.core.sessions import open_session_store
from peeragogy_tui.core.sessions.participation import Participation
from peeragogy_tui.errors import PeeragogyError

if TYPE_CHECKING:
    from peeragogy_tui.core.sessions import SessionState, SessionStore

__all__ = ["POLL_SECONDS", "Hub"]

POLL_SECONDS = 0.1
"""How often the server asks the store whether the session changed."""

T = TypeVar("T")
Clock = Callable[[], datetime]


class Hub:
    """The store thread, the latest snapshot, and a wake-up for every stream."""

    def __init__(self, store_path: Path, session_id: int, *, clock: Clock | None = None) -> None:
        self.store_path = store_path
        self.session_id = session_id
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="peeragogy-store")
        self._store: SessionStore | None = None
        self.state: SessionState | None = None
        """The latest snapshot (``None`` until the first load)."""
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.streams = 0
        """How many event streams are open now."""
        self.closed = False
        """Set when the server stops: streams end instead of waiting for the next change."""

    # -- the store thread --------------------------------------------------------

    def _open(self) -> SessionStore:
        if self._store is None:
            self._store = open_session_store(self.store_path, clock=self.clock)
        return self._store

    async def run(self, work: Callable[[SessionStore, Participation], T]) -> T:
        """Run ``work(store, participation)`` on the store thread and return its result."""

        def call() -> T:
            store = self._open()
            return work(store, Participation(store))

        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    # -- polling ---------------------------------------------------------------------

    async def start(self) -> None:
        """Load the first snapshot and start polling."""
        self._loop = asyncio.get_running_loop()
        await self.refresh()
        self._task = asyncio.create_task(self._poll(), name="peeragogy-session-poll")

    def end_streams_threadsafe(self) -> None:
        """From any thread: end every event stream now (the server is about to stop).

        Browsers then reconnect by themselves, to this server if it comes back.
        """
        loop = getattr(self, "_loop", None)
        if loop is None or loop.is_closed():
            return

        def end() -> None:
            self.closed = True
            self._wake()

        loop.call_soon_threadsafe(end)

    async def stop(self) -> None:
        """Stop polling, wake every stream so it can end, close the store."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self.closed = True
        self._wake()

        def close() -> None:
            if self._store is not None:
                self._store.close()
                self._store = None

        await asyncio.get_running_loop().run_in_executor(self._executor, close)
        self._executor.shutdown(wait=False)

    async def refresh(self) -> SessionState:
        """Load the snapshot now (after our own change, so the poster sees it at once)."""
        state = await self.run(lambda store, _p: store.load(self.session_id))
        if self.state is None or state.revision != self.state.revision:
            self.state = state
            self._wake()
        return state

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            try:
                revision = await self.run(lambda store, _p: store.revision(self.session_id))
                if self.state is None or revision != self.state.revision:
                    await self.refresh()
            except PeeragogyError:
                continue  # a busy or briefly unreadable store: try again at the next poll

    async def wait_for_change(self, revision: int, timeout: float) -> SessionState | None:
        """The snapshot once its revision is not ``revision`` (``None`` after ``timeout`` s)."""
        if self.state is not None and self.state.revision != revision:
            return self.state
        changed = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), timeout)
        if self.state is not None and self.state.revision != revision:
            return self.state
        return None
