"""Glue between the pure engine and the store: start or resume a run, record a step.

Both front ends (CLI and TUI) use these two functions so that a run looks
the same in the database whichever one recorded it.
"""

from __future__ import annotations

from peeragogy_tui.core.exercises.engine import Clock, ExerciseRun, resume, start, utc_now
from peeragogy_tui.core.exercises.models import Exercise
from peeragogy_tui.core.store.answers import AnswerStore

__all__ = ["record_step", "start_or_resume"]


def start_or_resume(
    store: AnswerStore, exercise: Exercise, *, clock: Clock = utc_now
) -> tuple[ExerciseRun, int, bool]:
    """Resume the unfinished run of ``exercise`` if there is one, else start a new one.

    Returns ``(run, run_id, resumed)``.
    """
    stored = store.unfinished_run(exercise.id)
    if stored is not None:
        run = resume(exercise, stored.state(), clock=clock)
        if run.done:
            store.finish_run(stored.id, finished_at=run.finished_at)
        return run, stored.id, True
    run = start(exercise, clock=clock)
    run_id = store.start_run(exercise.id, exercise.title, started_at=run.started_at)
    return run, run_id, False


def record_step(store: AnswerStore, run_id: int, run: ExerciseRun, index: int) -> None:
    """Save the answer (or skip) of step ``index`` and the run's position; finish it when done."""
    exercise = run.exercise
    key = exercise.key(index)
    step = exercise.steps[index]
    store.save_answer(
        run_id,
        key,
        run.answers.get(key),
        step_index=index,
        prompt=step.prompt,
        step_type=step.type,
        current_step=run.index,
    )
    if run.done:
        store.finish_run(run_id, finished_at=run.finished_at)
