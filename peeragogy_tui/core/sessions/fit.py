"""Does an exercise fit a facilitated session, and does the group fit the exercise?

A session runs a *group* exercise; a solo one is refused with the names of the
group exercises there are. A roster smaller (or larger) than the exercise's
``group_size`` range is allowed but earns a warning, so a facilitator who
typed five names for an eight-person café hears about it before starting.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.errors import PeeragogyError

__all__ = ["require_group_exercise", "size_warning"]


def require_group_exercise(exercise: Any, every_exercise: Iterable[Any]) -> None:
    """Raise unless ``exercise`` is a group exercise; the error names the group exercises.

    Raises:
        PeeragogyError: ``exercise`` is a solo exercise.
    """
    if getattr(exercise, "kind", "group") == "group":
        return
    groups = sorted(strip_control(item.id) for item in every_exercise if item.kind == "group")
    hint = (
        "run one of the group exercises: " + ", ".join(groups)
        if groups
        else "there are no group exercises here; add one with 'kind: group'"
    )
    raise PeeragogyError(
        f"'{strip_control(exercise.id)}' is a solo exercise; a session needs a group exercise",
        hint=hint + f" (or do this one alone: peeragogy exercise run {strip_control(exercise.id)})",
    )


def size_warning(exercise: Any, people: int) -> str | None:
    """A one-line warning when ``people`` is outside the exercise's group size, else ``None``."""
    size = getattr(exercise, "group_size", None)
    if size is None or people == 0:
        return None
    title = strip_control(exercise.title)
    if people < size.min:
        return (
            f"“{title}” is meant for {size.min} to {size.max} people; "
            f"you have {people}. It may feel thin: consider fewer tables or a smaller exercise."
        )
    if people > size.max:
        return (
            f"“{title}” is meant for {size.min} to {size.max} people; "
            f"you have {people}. Consider running two sessions side by side."
        )
    return None
