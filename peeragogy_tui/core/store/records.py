"""What the store hands out: one run with its answers, one answer; and how a value is encoded.

Plain frozen dataclasses, free of SQLite, so the export, the engine glue and
the screens can use them without a database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from peeragogy_tui.errors import PeeragogyError

__all__ = ["StoredAnswer", "StoredRun", "encode_value", "scale_of"]


def encode_value(value: Any) -> str:
    """JSON for ``value``; lone surrogates are escaped so any Python str round-trips."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError) as error:
        raise PeeragogyError(f"cannot store this answer: {error}") from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, ensure_ascii=True)
    return text


@dataclass(frozen=True)
class StoredAnswer:
    """One saved answer (``value`` is ``None`` when the step was skipped)."""

    step_key: str
    step_index: int
    step_type: str
    prompt: str
    value: Any
    value_json: str
    updated_at: str
    scale: dict[str, Any] | None = None
    """For a scale step: ``{"min", "max", "min_label", "max_label"}`` as the exercise said when answered."""

    @property
    def skipped(self) -> bool:
        """True when the step was skipped."""
        return self.value is None


@dataclass(frozen=True)
class StoredRun:
    """One run of one exercise, with its answers in step order."""

    id: int
    exercise_id: str
    exercise_title: str
    status: str
    started_at: str
    updated_at: str
    finished_at: str | None
    current_step: int
    answers: tuple[StoredAnswer, ...] = ()
    uuid: str | None = None
    """Stable across computers: an import recognises a run it already holds by it."""

    def answer_map(self) -> dict[str, Any]:
        """``step_key -> value`` (``None`` for skipped steps)."""
        return {answer.step_key: answer.value for answer in self.answers}

    def state(self) -> dict[str, Any]:
        """What :func:`peeragogy_tui.core.exercises.engine.resume` takes."""
        return {
            "exercise_id": self.exercise_id,
            "index": self.current_step,
            "answers": self.answer_map(),
            "status": self.status,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
        }




def scale_of(step: Any) -> dict[str, Any] | None:
    """The bounds and end labels of a scale step (``None`` for any other step)."""
    if getattr(step, "type", None) != "scale":
        return None
    return {
        "min": step.min,
        "max": step.max,
        "min_label": step.min_label,
        "max_label": step.max_label,
    }
