"""Saving one exercise run, and knowing when it cannot be saved.

:class:`ExerciseSaver` sits between :class:`~.exercise_run.ExerciseScreen`
and the answer store. It owns the run's id and the reason saving fails
(:attr:`ExerciseSaver.failure`), so the screen can keep a warning up for as
long as answers are not reaching the disk, and try again when asked.

* When the store cannot be opened (a full disk stops SQLite from opening a
  WAL file), the saver reads it read-only, so the run still resumes at its
  stored step, and asks the app to open it for real on the next save.
* When the run itself could not be recorded yet, the next save that works
  records it together with every answer held on screen, so nothing typed
  while the disk was full is dropped.
* Every write claims the run for this window (:mod:`peeragogy_tui.core.store.claims`):
  a run open in another live process is never resumed or written into. If
  another window took the run over (this one was frozen past its lease), the
  answers on screen move to a new run and :attr:`ExerciseSaver.taken_over` says so.
"""

from __future__ import annotations

from collections.abc import Callable

from peeragogy_tui.core.exercises import Exercise, ExerciseRun, resume
from peeragogy_tui.core.exercises import start as start_run
from peeragogy_tui.core.store import (
    AnswerStore,
    Claimant,
    ClaimHolder,
    RunClaimedError,
    default_store_path,
    record_step,
    save_as_new_run,
    start_new,
    start_or_resume,
)
from peeragogy_tui.core.store.read_only import open_store_read_only
from peeragogy_tui.errors import PeeragogyError

__all__ = ["ExerciseSaver", "StoreOpener"]

StoreOpener = Callable[[], "AnswerStore | None"]
"""Opens the writable store again (the app's own), or returns ``None`` when it still cannot."""


class ExerciseSaver:
    """The store side of one exercise run: begin, record steps, drafts, retry."""

    def __init__(
        self,
        exercise: Exercise,
        store: AnswerStore | None,
        *,
        reopen: StoreOpener | None = None,
        open_error: PeeragogyError | None = None,
    ) -> None:
        self.exercise = exercise
        self.store = store
        self.run_id: int | None = None
        self.failure: PeeragogyError | None = None
        """Why the last save failed; ``None`` while saving works."""
        self._reopen = reopen
        self._unsaved_drafts: dict[str, str] = {}
        """Drafts the store refused, kept in memory so moving between steps keeps them."""
        self._read_only: AnswerStore | None = None
        self.claimant = Claimant.here()
        """This window's claim on its run: no other process writes into it meanwhile."""
        self.held_elsewhere: ClaimHolder | None = None
        """Set by :meth:`begin` when the unfinished run was open in another window (a new run was started)."""
        self.taken_over: ClaimHolder | None = None
        """Set when another window took our run over and the answers moved to a new run (the screen clears it)."""
        if store is None and open_error is not None:
            self.failure = open_error

    @property
    def saving(self) -> bool:
        """True when there is a store to save to at all (``False``: answers were never meant to be kept)."""
        return self.store is not None or self.failure is not None

    # ---------------------------------------------------------------- start

    def begin(self, *, new: bool = False) -> tuple[ExerciseRun, bool]:
        """Resume the unfinished run, or start one (``new``: always start one); returns ``(run, resumed)``.

        Never raises: when the store fails, the run is resumed from what can
        still be read (or started in memory) and :attr:`failure` says why.
        """
        if self.store is None and self.failure is not None:
            self._read_only = self._open_read_only()
        if self.store is not None:
            try:
                if new:
                    run, self.run_id = start_new(self.store, self.exercise, self.claimant)
                    return run, False
                opened = start_or_resume(self.store, self.exercise, self.claimant)
                self.run_id, self.held_elsewhere = opened.run_id, opened.held_elsewhere
                return opened.run, opened.resumed
            except PeeragogyError as error:
                self.failure = error
        reader = self.store or self._read_only
        if reader is not None and not new:
            try:
                stored = reader.unfinished_run(self.exercise.id)
            except PeeragogyError:
                stored = None
            if stored is not None:
                self.run_id = stored.id
                return resume(self.exercise, stored.state()), True
        return start_run(self.exercise), False

    def _open_read_only(self) -> AnswerStore | None:
        try:
            return open_store_read_only(default_store_path())
        except PeeragogyError:
            return None

    # ---------------------------------------------------------------- saving

    def _writable(self) -> AnswerStore | None:
        if self.store is None and self._reopen is not None:
            self.store = self._reopen()
            if self.store is not None and self._read_only is not None:
                self._read_only.close()
                self._read_only = None
        return self.store

    def _attempt(self, work: Callable[[AnswerStore], object], run: ExerciseRun) -> bool:
        store = self._writable()
        if store is None:
            return not self.saving
        try:
            try:
                work(store)
            except RunClaimedError as error:
                self.run_id = save_as_new_run(store, run, self.claimant)
                self.taken_over = error.holder
            if self.run_id is not None:
                for key, text in list(self._unsaved_drafts.items()):
                    store.save_draft(self.run_id, key, text, claimant=self.claimant)
                    del self._unsaved_drafts[key]
        except PeeragogyError as error:
            self.failure = error
            return False
        self.failure = None
        return True

    def _catch_up(self, store: AnswerStore, run: ExerciseRun) -> int:
        """Record a run that the store does not hold yet, with every answer on screen."""
        if self.run_id is None:
            self.run_id = save_as_new_run(store, run, self.claimant)
        return self.run_id

    def record(self, run: ExerciseRun, index: int) -> bool:
        """Save step ``index`` and the run's position; False (see :attr:`failure`) when it failed."""

        self._unsaved_drafts.pop(run.exercise.key(index), None)

        def work(store: AnswerStore) -> None:
            if self.run_id is None:
                self._catch_up(store, run)
            else:
                record_step(store, self.run_id, run, index, self.claimant)

        return self._attempt(work, run)

    def set_position(self, run: ExerciseRun) -> bool:
        """Remember the step the person moved to (after going back)."""

        def work(store: AnswerStore) -> None:
            known = self.run_id is not None
            run_id = self._catch_up(store, run)
            if known:
                store.set_position(run_id, run.index, status="in_progress", claimant=self.claimant)

        return self._attempt(work, run)

    def save_draft(self, run: ExerciseRun, key: str, text: str) -> bool:
        """Keep unsubmitted text for ``key``."""

        self._unsaved_drafts[key] = text
        return self._attempt(lambda store: self._catch_up(store, run), run)

    def get_draft(self, key: str) -> str | None:
        """The saved draft of ``key``, if one can be read."""
        if key in self._unsaved_drafts:
            return self._unsaved_drafts[key]
        reader = self.store or self._read_only
        if reader is None or self.run_id is None:
            return None
        try:
            return reader.get_draft(self.run_id, key)
        except PeeragogyError:
            return None

    # ---------------------------------------------------------------- claim

    def renew(self) -> None:
        """The heartbeat: keep our claim on the run alive (a missed beat is covered by the lease)."""
        if self.store is not None and self.run_id is not None:
            try:
                self.store.renew_claim(self.run_id, self.claimant)
            except PeeragogyError:
                pass  # the next save reports real trouble

    def abandon(self) -> None:
        """Delete the run just started here (the person chose not to start a new one)."""
        if self.store is not None and self.run_id is not None:
            try:
                self.store.discard_if_empty(self.run_id, self.claimant)
            except PeeragogyError:
                pass  # an empty run: nothing to lose
            self.run_id = None

    def close(self) -> None:
        """Leave the run: drop it if nothing was written into it, else release our claim.

        Also closes the read-only view, if one was opened (the writable store is the app's).
        """
        if self.store is not None and self.run_id is not None:
            try:
                if not self.store.discard_if_empty(self.run_id, self.claimant):  # a run left empty is not kept
                    self.store.release_claim(self.run_id, self.claimant)
            except PeeragogyError:
                pass  # the claim then expires, or dies with this process
        if self._read_only is not None:
            self._read_only.close()
            self._read_only = None
