"""Pydantic models for an exercise file: its frontmatter, its steps, its intro.

Types are strict (``minutes: "5"`` is an error, not a silent coercion) and
extra keys are kept, so a newer file format still loads in an older app.
Steps form a discriminated union on ``type``. A step's *key* is its ``id``,
or ``step-N`` (1-based) when it has none; answers are stored under that key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "STEP_TYPES",
    "ChecklistStep",
    "ChoiceStep",
    "Exercise",
    "GroupSize",
    "ScaleStep",
    "Step",
    "TextStep",
    "TimerStep",
    "step_key",
]

STEP_TYPES: tuple[str, ...] = ("text", "scale", "choice", "checklist", "timer")
"""Every value ``type`` may take, in the order error messages list them."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]

_CONFIG = ConfigDict(strict=True, extra="allow", frozen=False)


class _StepBase(BaseModel):
    """What every step has: an optional id, a prompt, and optional extras."""

    model_config = _CONFIG

    id: Slug | None = None
    """Optional slug, unique within the file; answers are stored under it."""
    prompt: NonEmpty
    """The question or instruction shown to the participant."""
    hint: str | None = None
    """An optional one-line nudge."""
    minutes: Annotated[int, Field(ge=0)] | None = None
    """Suggested time for this step."""
    facilitator: str | None = None
    """A note for the facilitator about this step only; never shown to participants."""


class TextStep(_StepBase):
    """A free-text answer, possibly several lines."""

    type: Literal["text"]


class ScaleStep(_StepBase):
    """A whole number between ``min`` and ``max`` inclusive."""

    type: Literal["scale"]
    min: int
    max: int
    min_label: str | None = None
    max_label: str | None = None

    @model_validator(mode="after")
    def _range(self) -> ScaleStep:
        if self.min >= self.max:
            raise PydanticCustomError(
                "scale_range",
                "min ({min}) must be smaller than max ({max})",
                {"min": self.min, "max": self.max, "field": "max"},
            )
        return self


def _unique(values: list[str], what: str) -> list[str]:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise PydanticCustomError(
                "duplicate_" + what,
                "{what} '{value}' is listed twice",
                {"what": what, "value": value, "index": index},
            )
        seen.add(value)
    return values


class ChoiceStep(_StepBase):
    """Pick one option, or any number of them when ``multiple`` is true."""

    type: Literal["choice"]
    options: Annotated[list[NonEmpty], Field(min_length=2)]
    multiple: bool = False

    @field_validator("options")
    @classmethod
    def _unique_options(cls, value: list[str]) -> list[str]:
        return _unique(value, "option")


class ChecklistStep(_StepBase):
    """Tick any of ``items`` (none ticked is a valid answer)."""

    type: Literal["checklist"]
    items: Annotated[list[NonEmpty], Field(min_length=1)]

    @field_validator("items")
    @classmethod
    def _unique_items(cls, value: list[str]) -> list[str]:
        return _unique(value, "item")


class TimerStep(_StepBase):
    """A timed activity; the answer acknowledges it, with an optional note."""

    type: Literal["timer"]
    minutes: Annotated[int, Field(gt=0)]
    regroup: bool = False
    """People change tables (groups) before this step."""


Step = Annotated[
    TextStep | ScaleStep | ChoiceStep | ChecklistStep | TimerStep,
    Field(discriminator="type"),
]
"""Any step; pydantic picks the class from ``type``."""


def step_key(step: Any, index: int) -> str:
    """The key answers are stored under: the step's id, else ``step-<index+1>``."""
    step_id = getattr(step, "id", None)
    return step_id if step_id else f"step-{index + 1}"


class GroupSize(BaseModel):
    """How many people a group exercise is meant for."""

    model_config = _CONFIG

    min: Annotated[int, Field(ge=1)]
    max: Annotated[int, Field(ge=1)]

    @model_validator(mode="after")
    def _order(self) -> GroupSize:
        if self.min > self.max:
            raise PydanticCustomError(
                "group_range",
                "min ({min}) must not be larger than max ({max})",
                {"min": self.min, "max": self.max},
            )
        return self


class Exercise(BaseModel):
    """One exercise: frontmatter fields, steps, and the Markdown intro."""

    model_config = _CONFIG

    id: Slug
    title: NonEmpty
    lang: NonEmpty
    chapters: Annotated[list[NonEmpty], Field(min_length=1)]
    kind: Literal["solo", "group"]
    minutes: Annotated[int, Field(gt=0)]
    group_size: GroupSize | None = None
    summary: NonEmpty
    facilitator_notes: str | None = None
    steps: Annotated[list[Step], Field(min_length=1)]
    intro: str = ""
    """The Markdown body after the frontmatter."""
    intro_line: int = 1
    """The 1-based line of the file on which ``intro`` starts."""
    path: Path | None = None
    """The file this exercise was read from, if any."""

    @field_validator("steps")
    @classmethod
    def _unique_step_ids(cls, steps: list[Any]) -> list[Any]:
        first: dict[str, int] = {}
        for index, step in enumerate(steps):
            key = step_key(step, index)
            if key in first:
                raise PydanticCustomError(
                    "duplicate_step_id",
                    "step id '{key}' is already used by steps[{first}]",
                    {"key": key, "first": first[key], "index": index},
                )
            first[key] = index
        return steps

    @model_validator(mode="after")
    def _group_size_only_for_groups(self) -> Exercise:
        if self.group_size is not None and self.kind != "group":
            raise PydanticCustomError(
                "group_size_solo",
                "group_size is only for group exercises (kind is '{kind}')",
                {"kind": self.kind},
            )
        return self

    def key(self, index: int) -> str:
        """The answer key of step ``index``."""
        return step_key(self.steps[index], index)

    @property
    def keys(self) -> list[str]:
        """Answer keys of every step, in order."""
        return [step_key(step, index) for index, step in enumerate(self.steps)]
