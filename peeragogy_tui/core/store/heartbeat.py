"""Keep a run claimed while a person thinks: renew the lease from a background thread.

The command line blocks in ``input()`` while someone writes an answer, which may
take longer than a lease (:data:`~.claims.LEASE_SECONDS`). A :class:`Heartbeat`
renews the claim every :data:`~.claims.HEARTBEAT_SECONDS` meanwhile and
releases it on exit, so the next process can resume the run at once. (The TUI
renews from a Textual timer instead.)
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Self

from peeragogy_tui.core.store.claims import HEARTBEAT_SECONDS, Claimant
from peeragogy_tui.errors import PeeragogyError

if TYPE_CHECKING:
    from peeragogy_tui.core.store.answers import AnswerStore

__all__ = ["Heartbeat"]


class Heartbeat:
    """``with Heartbeat(store, run_id, claimant):`` holds the run's claim alive, then releases it.

    ``run_id`` may change while it runs (the answers moved to a new run).
    """

    def __init__(
        self,
        store: AnswerStore,
        run_id: int,
        claimant: Claimant,
        *,
        every: float = HEARTBEAT_SECONDS,
    ) -> None:
        self.store = store
        self.run_id = run_id
        self.claimant = claimant
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="run-claim-heartbeat", daemon=True)

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.store.renew_claim(self.run_id, self.claimant)
            except PeeragogyError:
                pass  # a busy or full disk: the next write reports it; the lease covers a missed beat

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        try:
            self.store.release_claim(self.run_id, self.claimant)
        except PeeragogyError:
            pass  # the claim then simply expires, or dies with this pid
