"""Live reload: while the app is open, edits in the handbook folder show within a second.

The watching is pure (:mod:`peeragogy_tui.core.handbook.watch`); this is the
thin part. A daemon thread runs the watcher and hands each change set to the
app's thread; the handbook is loaded again in a worker thread (the
frontmatter cache makes unchanged files cheap), the search index catches up
(its sync re-reads only files whose size, time or hash changed), and then
the main screen swaps in the new tree and re-renders the open chapter where
it was. Bursts that arrive during a reload are merged and applied next.

Only apps built with ``create_app(..., live_reload=HandbookSource(...))``
start one, so tests that do not test live reload never start a watcher.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from peeragogy_tui.core.handbook.watch import ChangeSet, HandbookSource, watch_changes
from peeragogy_tui.errors import PeeragogyError
from peeragogy_tui.tui.handover import quick_handover

if TYPE_CHECKING:
    from peeragogy_tui.core.handbook import Handbook
    from peeragogy_tui.tui.app import PeeragogyApp

__all__ = ["LiveReload"]


class LiveReload:
    """Watches ``source.folder`` from :meth:`start` to :meth:`stop` and reloads the app's handbook."""

    def __init__(self, app: PeeragogyApp, source: HandbookSource) -> None:
        self._app = app
        self.source = source
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pending = ChangeSet()
        self._reloading = False
        self.ready = threading.Event()
        """Set once the operating system's watches are in place (tests wait on it before editing)."""
        self.applied = 0
        """How many reloads have been applied (tests wait for it to grow)."""
        self.settled = threading.Event()
        """Set once the handbook shown at start-up is known to be the real one (see :meth:`settle`)."""

    def start(self) -> None:
        """Start watching (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="peeragogy-live-reload", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop watching; the thread ends within the watcher's step (50 ms)."""
        self._stop.set()

    @property
    def running(self) -> bool:
        """True while the watcher thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def settle(self, shown: Handbook) -> None:
        """Make sure ``shown``, the handbook start-up showed, is the real one, in the background.

        From its tree snapshot: the real handbook is loaded in a daemon thread
        (quitting need not wait for it) and, if it differs, shown instead (the
        open chapter where it was). Provisional (a large handbook's first start,
        see :mod:`peeragogy_tui.core.handbook.provisional`): the same, always
        shown instead, but in a worker the process waits for at exit. Loaded
        from the folder: it is kept as the snapshot for the next start, in such
        a worker too, so a quick quit still leaves one. Changes that arrive
        meanwhile are applied after it.
        """
        from peeragogy_tui.core.handbook.provisional import ProvisionalHandbook
        from peeragogy_tui.core.handbook.tree_snapshot import SnapshotHandbook

        self._reloading = True
        if isinstance(shown, SnapshotHandbook):
            threading.Thread(target=self._verify, args=(shown,), name="peeragogy-snapshot-check", daemon=True).start()
        elif isinstance(shown, ProvisionalHandbook):
            # A worker the process waits for: a quick quit still leaves the snapshot (else every start is a first one).
            self._app.run_worker(lambda: self._verify(shown), thread=True, group="live-reload", exit_on_error=False)
        else:
            self._app.run_worker(lambda: self._keep(shown), thread=True, group="live-reload", exit_on_error=False)

    def _verify(self, shown: Handbook) -> None:
        real: Handbook | None = None
        changes: ChangeSet | None = None
        problem: PeeragogyError | None = None
        try:
            with quick_handover():  # a 5,000-chapter load must not slow the app's own imports to a crawl
                real = self.source.load()
                changes = self.source.snapshot_changes(shown, real)
        except PeeragogyError as error:
            problem = error
        self._hand_over(real if changes is not None else None, changes, problem)

    def _keep(self, shown: Handbook) -> None:
        self.source.keep_snapshot(shown)
        self._hand_over(None, None, None)

    def _hand_over(self, real: Handbook | None, changes: ChangeSet | None, problem: PeeragogyError | None) -> None:
        if self._stop.is_set():
            return
        try:
            self._app.call_from_thread(self._settled, real, changes, problem)
        except RuntimeError:  # the app stopped meanwhile
            pass

    def _settled(self, real: Handbook | None, changes: ChangeSet | None, problem: PeeragogyError | None) -> None:
        self._reloading = False
        if real is not None and changes is not None:
            self._app.handbook = real
            self._app.main_screen.handbook_changed(real, changes)
        if problem is not None:
            self._app.notify(str(problem), title="Loading the handbook", severity="warning", timeout=8)
        self.settled.set()
        if self._pending:
            self.changed(ChangeSet())

    # ------------------------------------------------------------ watcher thread

    def _watch(self) -> None:
        try:
            for changes in watch_changes(self.source.folder, self._stop, on_ready=self.ready.set):
                if self._stop.is_set():
                    return
                self._app.call_from_thread(self.changed, changes)
        except RuntimeError:  # the app stopped running while a change was on its way
            return
        except Exception as error:  # noqa: BLE001 - a watcher that fails must not take the app down
            self.ready.set()
            if not self._stop.is_set():
                try:
                    self._app.call_from_thread(
                        self._app.notify, f"Live reload stopped: {error}", title="Live reload", severity="warning"
                    )
                except RuntimeError:
                    pass

    # ------------------------------------------------------------ app thread

    def changed(self, changes: ChangeSet) -> None:
        """A burst of changes (on the app's thread): reload now, or after the reload under way."""
        self._pending = self._pending.merged(changes)
        if self._reloading or not self._pending:
            return
        self._reloading = True
        batch, self._pending = self._pending, ChangeSet()
        self._app.run_worker(lambda: self._load(batch), thread=True, group="live-reload", exit_on_error=False)

    def _load(self, changes: ChangeSet) -> None:
        """In a worker thread: the handbook again, and the search index brought up to date."""
        handbook: Handbook | None = None
        problem: PeeragogyError | None = None
        try:
            handbook = self.source.load()
        except PeeragogyError as error:
            problem = error
        else:
            self.source.keep_snapshot(handbook)  # the next start shows this one
        index = self._app.open_search_index
        if index is not None and handbook is not None:
            try:
                index.refresh()
            except PeeragogyError as error:
                problem = error
        try:
            self._app.call_from_thread(self._apply, changes, handbook, problem)
        except RuntimeError:
            pass

    def _apply(self, changes: ChangeSet, handbook: Handbook | None, problem: PeeragogyError | None) -> None:
        self._reloading = False
        if handbook is not None:
            self._app.handbook = handbook
            self._app.main_screen.handbook_changed(handbook, changes)
        if problem is not None:
            self._app.notify(str(problem), title="Live reload", severity="warning", timeout=8)
        self.applied += 1
        if self._pending:
            self.changed(ChangeSet())
