"""Glue between the pure engine and the store: start or resume a run, record a step.

Both front ends (CLI and TUI) use these functions so that a run looks the same
in the database whichever one recorded it, and so that both claim the run
they write into (see :mod:`.claims`): a run answered by a live process is
never resumed, or written into, by another.
"""

from __future__ import annotations

from dataclasses import dataclass

from peeragogy_tui.core.exercises.engine import Clock, ExerciseRun, resume, start, utc_now
from peeragogy_tui.core.exercises.models import Exercise
from peeragogy_tui.core.store.answers import AnswerStore
from peeragogy_tui.core.store.claims import Claimant, ClaimHolder
from peeragogy_tui.core.store.records import scale_of

__all__ = ["Opened", "record_step", "save_as_new_run", "start_new", "start_or_resume"]


@dataclass
class Opened:
    """What :func:`start_or_resume` opened."""

    run: ExerciseRun
    run_id: int
    resumed: bool
    held_elsewhere: ClaimHolder | None = None
    """The newest unfinished run was open in another live process, so a new run was started."""


def start_new(
    store: AnswerStore, exercise: Exercise, claimant: Claimant | None = None, *, clock: Clock = utc_now
) -> tuple[ExerciseRun, int]:
    """Start a new run, claimed by ``claimant`` in the same transaction."""
    run = start(exercise, clock=clock)
    run_id = store.start_run(exercise.id, exercise.title, started_at=run.started_at, claimant=claimant)
    return run, run_id


def start_or_resume(
    store: AnswerStore,
    exercise: Exercise,
    claimant: Claimant | None = None,
    *,
    clock: Clock = utc_now,
) -> Opened:
    """Resume the newest unfinished run of ``exercise`` that no live process holds, else start one.

    With a ``claimant`` the resumed (or new) run is claimed for it in one
    transaction, so two processes never resume the same run; when every
    unfinished run is held elsewhere, ``held_elsewhere`` names the newest.
    """
    if claimant is None:
        stored = store.unfinished_run(exercise.id)
        run_id, holder = (stored.id if stored else None), None
    else:
        run_id, holder = store.claim_unfinished(exercise.id, claimant)
    if run_id is not None:
        found = store.find_run(run_id)
        if found is not None:
            run = resume(exercise, found.state(), clock=clock)
            if run.done:
                store.finish_run(run_id, finished_at=run.finished_at, claimant=claimant)
            return Opened(run, run_id, True)
    run, run_id = start_new(store, exercise, claimant, clock=clock)
    return Opened(run, run_id, False, held_elsewhere=holder)


def record_step(
    store: AnswerStore, run_id: int, run: ExerciseRun, index: int, claimant: Claimant | None = None
) -> None:
    """Save the answer (or skip) of step ``index`` and the run's position; finish it when done.

    Raises:
        RunClaimedError: another live process took the run over; nothing was written.
    """
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
        claimant=claimant,
        scale=scale_of(step),
    )
    if run.done:
        store.finish_run(run_id, finished_at=run.finished_at, claimant=claimant)


def save_as_new_run(store: AnswerStore, run: ExerciseRun, claimant: Claimant) -> int:
    """Put every answer of ``run`` into a new run of our own; return its id.

    For when another process took our run over (our lease ran out while we
    were frozen): what this process holds is never written into that run, and
    never dropped either.
    """
    exercise = run.exercise
    run_id = store.start_run(exercise.id, exercise.title, started_at=run.started_at, claimant=claimant)
    for index, step in enumerate(exercise.steps):
        key = exercise.key(index)
        if key in run.answers:
            store.save_answer(
                run_id,
                key,
                run.answers[key],
                step_index=index,
                prompt=step.prompt,
                step_type=step.type,
                current_step=run.index,
                claimant=claimant,
                scale=scale_of(step),
            )
    store.set_position(run_id, run.index, claimant=claimant)
    if run.done:
        store.finish_run(run_id, finished_at=run.finished_at, claimant=claimant)
    return run_id
