"""Exercises from the app: loaded after the first frame, listed, opened, resumed or reviewed.

A mixin of :class:`~peeragogy_tui.tui.app.PeeragogyApp`, kept apart so the app
module stays the shell. pydantic (the exercise models) and the exercise screens
are imported on first use, never before the first frame.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.errors import PeeragogyError
from peeragogy_tui.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from textual.screen import Screen

    from peeragogy_tui.core.exercises import Exercise, ExerciseSet
    from peeragogy_tui.core.handbook import Handbook
    from peeragogy_tui.core.store import AnswerStore, ClaimHolder, StoredRun

__all__ = ["ExerciseNavigation"]


class ExerciseNavigation:
    """``exercises``, ``show_exercises``, ``open_exercise`` and ``review_exercise``."""

    handbook: Handbook
    _exercises: ExerciseSet | None
    _exercises_dir: Path | None
    screen_stack: list[Screen[Any]]
    notify: Callable[..., None]
    push_screen: Callable[..., Any]
    call_from_thread: Callable[..., Any]

    if TYPE_CHECKING:  # provided by the app (StoreAccess, PeeragogyApp)

        @property
        def store(self) -> AnswerStore | None: ...

        @property
        def main_screen(self) -> MainScreen: ...

    @property
    def exercises(self) -> ExerciseSet:
        """The exercises, loaded on first use (pydantic is too slow an import for startup)."""
        if self._exercises is None:
            from peeragogy_tui.core.exercises import ExerciseSet, load_exercises

            try:
                loaded = load_exercises(self._exercises_dir, self.handbook.lang) if self._exercises_dir else ExerciseSet()
            except PeeragogyError as error:
                self.notify(str(error), title="Exercises not loaded", severity="error")
                loaded = ExerciseSet()
            self._exercises = loaded
        return self._exercises

    def exercises_for(self, chapter_id: str) -> list[Exercise]:
        """This chapter's exercises, or none while they are still loading."""
        return self._exercises.for_chapter(chapter_id) if self._exercises is not None else []

    def _load_exercises(self) -> None:
        self.exercises  # noqa: B018 - loads them
        self.call_from_thread(self._exercises_loaded)

    def _exercises_loaded(self) -> None:
        if self.screen_stack and isinstance(self.screen_stack[0], MainScreen):
            self.main_screen._update_status()

    def show_exercises(self, chapter_id: str | None = None) -> None:
        """The exercise list, first showing those of ``chapter_id`` when it has any."""
        from peeragogy_tui.tui.screens.exercise_list import ExerciseListScreen

        if not self.exercises.exercises and not self.exercises.broken:
            self.notify("This handbook has no exercises.", timeout=3)
            return
        self.push_screen(ExerciseListScreen(self.exercises, self.handbook, chapter_id=chapter_id))

    def open_exercise(self, exercise_id: str) -> None:
        """Resume the exercise's unfinished run; with runs but none to continue, show the overview first.

        So following a link to a finished exercise never starts an empty run
        (nor turns it from done to in progress) on its own.
        """
        from peeragogy_tui.tui.dialogs.exercise_overview import ExerciseOverview, OverviewChoice
        from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen

        exercise = self.exercises.get(exercise_id)
        if exercise is None:
            self.notify(f"No exercise '{exercise_id}' is loaded.", severity="error")
            return
        store = self.store
        runs: list[StoredRun] = []
        holders: dict[int, ClaimHolder] = {}
        if store is not None:
            try:
                runs = store.runs(exercise_id)
                for run in runs:
                    holder = store.claim_holder(run.id) if run.status != "done" else None
                    if holder is not None:
                        holders[run.id] = holder
            except PeeragogyError:
                runs = []  # the exercise screen reports the store's trouble
        if not runs or any(run.status != "done" and run.id not in holders for run in runs):
            self.push_screen(ExerciseScreen(exercise, store))
            return

        def chosen(choice: OverviewChoice | None) -> None:
            if choice is None:
                return
            if choice.kind == "new":
                self.push_screen(ExerciseScreen(exercise, store, new=True))
            else:
                self.review_exercise(exercise_id, run_id=choice.run_id)

        self.push_screen(ExerciseOverview(exercise.title, len(exercise.steps), runs, holders), chosen)

    def review_exercise(self, exercise_id: str, *, run_id: int | None = None, step_key: str | None = None) -> None:
        """Show every run of an exercise, newest first, or ``run_id`` scrolled to its answer ``step_key``."""
        from peeragogy_tui.tui.screens.review import ReviewScreen

        exercise = self.exercises.get(exercise_id)
        store = self.store
        try:
            runs = list(reversed(store.runs(exercise_id))) if store is not None else []
        except PeeragogyError as error:
            self.notify(strip_control(str(error)), title="Cannot read your answers", severity="error", markup=False)
            return
        self.push_screen(ReviewScreen(exercise.title if exercise else exercise_id, runs, run_id=run_id, step_key=step_key))
