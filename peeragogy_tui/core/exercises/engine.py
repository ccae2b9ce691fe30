"""The exercise state machine shared by the TUI, the CLI and the tests.

Pure: no I/O and no real clock. An :class:`ExerciseRun` holds where a person
is in an exercise and what they answered; :meth:`ExerciseRun.answer`,
:meth:`~ExerciseRun.skip`, :meth:`~ExerciseRun.back` and
:meth:`~ExerciseRun.next` move it along. Answers are validated per step type
and kept exactly as given (no trimming, no sanitising). A skipped step is
stored as ``None``; a step not reached yet has no entry.

Answer values by step type:

* text: a non-empty ``str`` (may span several lines; to leave it empty, skip).
* scale: an ``int`` from ``min`` to ``max``.
* choice: one option (``str``), or a ``list[str]`` of 1+ options when ``multiple``.
* checklist: a ``list[str]`` of ticked items (possibly empty).
* timer: a ``str`` note, ``""`` for a plain acknowledgement.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple

from peeragogy_tui.core.exercises.models import (
    ChecklistStep,
    ChoiceStep,
    Exercise,
    ScaleStep,
    TextStep,
    TimerStep,
)
from peeragogy_tui.errors import PeeragogyError

__all__ = [
    "AnswerValue",
    "Clock",
    "ExerciseRun",
    "RunPoint",
    "RunStatus",
    "SummaryItem",
    "ValidationError",
    "resume",
    "start",
    "utc_now",
    "validate_answer",
]

AnswerValue = str | int | list[str]
"""What a validated answer can be (``None`` in ``answers`` means skipped)."""
RunStatus = Literal["new", "in_progress", "done"]
Clock = Callable[[], datetime]
"""Returns "now"; injected so tests never depend on real time."""


def utc_now() -> datetime:
    """The real clock: an aware UTC datetime."""
    return datetime.now(UTC)


class ValidationError(PeeragogyError):
    """An answer that does not fit its step, or a move that is not allowed."""


class SummaryItem(NamedTuple):
    """One line of a run's summary."""

    prompt: str
    answer: AnswerValue | None
    """The answer, or ``None`` when skipped or not reached."""
    key: str
    step_type: str
    state: Literal["answered", "skipped", "unanswered"]


class RunPoint(NamedTuple):
    """Where a run stood, so a move whose save failed can be undone (:meth:`ExerciseRun.rewind`)."""

    index: int
    answers: dict[str, AnswerValue | None]
    status: RunStatus
    finished_at: datetime | None


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _string_list(value: Any, what: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ValidationError(f"expected a list of {what}, got {type(value).__name__}")
    if not all(isinstance(item, str) for item in value):
        raise ValidationError(f"every {what[:-1]} must be text")
    return list(value)


def _ordered_subset(chosen: list[str], allowed: list[str], what: str) -> list[str]:
    unknown = [item for item in chosen if item not in allowed]
    if unknown:
        raise ValidationError(
            f"not one of the {what}s: {unknown[0]!r}", hint=f"pick from: {', '.join(allowed)}"
        )
    if len(set(chosen)) != len(chosen):
        raise ValidationError(f"the same {what} is picked twice")
    return [item for item in allowed if item in chosen]


def validate_answer(step: Any, value: Any) -> AnswerValue:
    """Check ``value`` against ``step``; return the value to store.

    Raises:
        ValidationError: the value has the wrong type or is out of range.
    """
    if isinstance(step, TextStep):
        if not isinstance(value, str):
            raise ValidationError(f"a text answer must be text, not {type(value).__name__}")
        if not value.strip():
            raise ValidationError("the answer is empty", hint="write something, or skip this step")
        if _has_surrogates(value):
            raise ValidationError("the answer holds invalid characters (lone surrogates)")
        return value
    if isinstance(step, ScaleStep):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"pick a whole number from {step.min} to {step.max}")
        if not step.min <= value <= step.max:
            raise ValidationError(
                f"{value} is outside the scale", hint=f"pick a number from {step.min} to {step.max}"
            )
        return value
    if isinstance(step, ChoiceStep):
        if step.multiple:
            chosen = _ordered_subset(_string_list(value, "options"), step.options, "option")
            if not chosen:
                raise ValidationError("pick at least one option", hint="or skip this step")
            return chosen
        if not isinstance(value, str) or value not in step.options:
            raise ValidationError(
                f"not one of the options: {value!r}", hint=f"pick one of: {', '.join(step.options)}"
            )
        return value
    if isinstance(step, ChecklistStep):
        return _ordered_subset(_string_list(value, "items"), step.items, "item")
    if isinstance(step, TimerStep):
        if value is None or value is True:
            return ""
        if not isinstance(value, str):
            raise ValidationError("a timer step takes an optional note as text")
        if _has_surrogates(value):
            raise ValidationError("the note holds invalid characters (lone surrogates)")
        return value
    raise ValidationError(f"unknown step type {type(step).__name__}")


@dataclass
class ExerciseRun:
    """One person's way through one exercise."""

    exercise: Exercise
    index: int = 0
    """The current step; ``len(steps)`` once every step is answered or skipped."""
    answers: dict[str, AnswerValue | None] = field(default_factory=dict)
    status: RunStatus = "new"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    clock: Clock = utc_now

    @property
    def total(self) -> int:
        """The number of steps."""
        return len(self.exercise.steps)

    @property
    def current_step(self) -> Any | None:
        """The step being answered, or ``None`` when the run is done."""
        return self.exercise.steps[self.index] if self.index < self.total else None

    @property
    def current_key(self) -> str | None:
        """The answer key of the current step."""
        return self.exercise.key(self.index) if self.index < self.total else None

    @property
    def done(self) -> bool:
        """True once the last step is answered or skipped."""
        return self.status == "done"

    def _require_step(self) -> Any:
        if self.status == "new":
            self.start()
        step = self.current_step
        if step is None:
            raise ValidationError("this exercise is finished", hint="go back to change an answer")
        return step

    def start(self) -> ExerciseRun:
        """Begin the run (idempotent)."""
        if self.status == "new":
            self.status = "in_progress"
            self.started_at = self.started_at or self.clock()
        return self

    def _advance(self) -> None:
        self.index += 1
        if self.index >= self.total:
            self.index = self.total
            self.status = "done"
            self.finished_at = self.clock()

    def answer(self, value: Any) -> AnswerValue:
        """Validate and record ``value`` for the current step, then move on."""
        step = self._require_step()
        stored = validate_answer(step, value)
        self.answers[self.exercise.key(self.index)] = stored
        self._advance()
        return stored

    def skip(self) -> None:
        """Leave the current step unanswered (recorded as ``None``) and move on."""
        self._require_step()
        self.answers[self.exercise.key(self.index)] = None
        self._advance()

    def back(self) -> bool:
        """Go to the previous step; False when already at the first one."""
        if self.index == 0:
            return False
        self.index -= 1
        if self.status == "done":
            self.status = "in_progress"
            self.finished_at = None
        return True

    def next(self) -> None:
        """Move forward past a step that already has an answer (after :meth:`back`)."""
        self._require_step()
        if self.exercise.key(self.index) not in self.answers:
            raise ValidationError("answer or skip this step first")
        self._advance()

    def save_point(self) -> RunPoint:
        """The run's position, answers and status now; :meth:`rewind` goes back to it."""
        return RunPoint(self.index, dict(self.answers), self.status, self.finished_at)

    def rewind(self, point: RunPoint) -> None:
        """Undo every move made since ``point`` was taken (a save failed: stay on that step)."""
        self.index = point.index
        self.answers = dict(point.answers)
        self.status = point.status
        self.finished_at = point.finished_at

    def is_complete(self) -> bool:
        """True when every step has an answer or was skipped."""
        return all(key in self.answers for key in self.exercise.keys)

    def summary(self) -> list[SummaryItem]:
        """Every step's prompt with its answer, in order."""
        items = []
        for index, step in enumerate(self.exercise.steps):
            key = self.exercise.key(index)
            if key not in self.answers:
                state: Literal["answered", "skipped", "unanswered"] = "unanswered"
            else:
                state = "skipped" if self.answers[key] is None else "answered"
            items.append(SummaryItem(step.prompt, self.answers.get(key), key, step.type, state))
        return items

    def to_state(self) -> dict[str, Any]:
        """A plain dict that :func:`resume` accepts (what a store keeps)."""
        return {
            "exercise_id": self.exercise.id,
            "index": self.index,
            "answers": dict(self.answers),
            "status": self.status,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
        }


def start(exercise: Exercise, *, clock: Clock = utc_now) -> ExerciseRun:
    """A new run of ``exercise``, started now."""
    return ExerciseRun(exercise, clock=clock).start()


def _as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def resume(exercise: Exercise, state: Mapping[str, Any], *, clock: Clock = utc_now) -> ExerciseRun:
    """Rebuild a run from stored ``state`` (see :meth:`ExerciseRun.to_state`).

    Answers for steps that no longer exist, or that no longer fit their step
    (the file was edited since), are dropped. The position is clamped so that
    no step before it lacks an answer.
    """
    keys = exercise.keys
    stored = state.get("answers") or {}
    answers: dict[str, AnswerValue | None] = {}
    for index, key in enumerate(keys):
        if key not in stored:
            continue
        value = stored[key]
        if value is None:
            answers[key] = None
            continue
        try:
            answers[key] = validate_answer(exercise.steps[index], value)
        except ValidationError:
            continue
    first_gap = next((i for i, key in enumerate(keys) if key not in answers), len(keys))
    raw_index = state.get("index", 0)
    index = raw_index if isinstance(raw_index, int) and not isinstance(raw_index, bool) else 0
    index = max(0, min(index, first_gap))
    run = ExerciseRun(
        exercise,
        index=index,
        answers=answers,
        status="in_progress",
        started_at=_as_datetime(state.get("started_at")) or clock(),
        clock=clock,
    )
    if index >= len(keys):
        run.status = "done"
        run.finished_at = _as_datetime(state.get("finished_at")) or clock()
    return run
