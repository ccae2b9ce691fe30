"""Turn one line of typed text into an answer for a step.

Used by ``peeragogy exercise run`` (from a terminal or a script on stdin) and
available to any other front end that takes answers as plain text:

* an empty (or blank) line means *skip*;
* scale: a whole number;
* choice: an option's text or its number (1-based);
* multiple choice and checklist: comma-separated option texts or numbers
  (an option that itself contains a comma is still recognised); for a
  checklist, ``-`` means "nothing ticked";
* timer: any line acknowledges; ``done``/``ok`` carry no note, anything else is kept as a note;
* text: the line itself, exactly as typed.
"""

from __future__ import annotations

from typing import Any

from peeragogy_tui.core.exercises.engine import AnswerValue, ValidationError, validate_answer
from peeragogy_tui.core.exercises.models import ChecklistStep, ChoiceStep, ScaleStep, TimerStep

__all__ = ["input_help", "parse_line"]

_ACKNOWLEDGE = {"done", "ok", "okay", "y", "yes", "."}


def _match_one(token: str, options: list[str]) -> str | None:
    wanted = token.strip()
    if not wanted:
        return None
    if wanted.isdigit():
        number = int(wanted)
        if 1 <= number <= len(options):
            return options[number - 1]
        return None
    if wanted in options:
        return wanted
    folded = [option for option in options if option.strip().casefold() == wanted.casefold()]
    return folded[0] if len(folded) == 1 else None


def _match_many(line: str, options: list[str]) -> list[str]:
    tokens = line.split(",")
    chosen: list[str] = []
    start = 0
    while start < len(tokens):
        for end in range(len(tokens), start, -1):
            piece = ",".join(tokens[start:end])
            match = (
                _match_one(piece, options)
                if (end - start == 1 or not piece.strip().isdigit())
                else None
            )
            if match is not None:
                if match not in chosen:
                    chosen.append(match)
                start = end
                break
        else:
            token = tokens[start].strip()
            if not token:
                start += 1
                continue
            raise ValidationError(
                f"not one of the choices: {token!r}",
                hint="type numbers or texts separated by commas, e.g. 1,3",
            )
    return chosen


def parse_line(step: Any, line: str) -> AnswerValue | None:
    """The validated answer typed as ``line`` (without its newline); ``None`` means skip.

    Raises:
        ValidationError: the line does not fit the step.
    """
    if not line.strip():
        return None
    if isinstance(step, ScaleStep):
        try:
            number = int(line.strip())
        except ValueError:
            raise ValidationError(
                f"{line.strip()!r} is not a whole number",
                hint=f"type a number from {step.min} to {step.max}",
            ) from None
        return validate_answer(step, number)
    if isinstance(step, ChoiceStep):
        if step.multiple:
            return validate_answer(step, _match_many(line, step.options))
        match = _match_one(line, step.options)
        if match is None:
            raise ValidationError(
                f"not one of the options: {line.strip()!r}",
                hint=f"type a number from 1 to {len(step.options)}",
            )
        return match
    if isinstance(step, ChecklistStep):
        if line.strip() == "-":
            return []
        return validate_answer(step, _match_many(line, step.items))
    if isinstance(step, TimerStep):
        return "" if line.strip().casefold() in _ACKNOWLEDGE else validate_answer(step, line)
    return validate_answer(step, line)


def input_help(step: Any) -> str:
    """One line telling a person what to type for ``step``."""
    if isinstance(step, ScaleStep):
        return f"Type a number from {step.min} to {step.max}; Enter alone skips."
    if isinstance(step, ChoiceStep):
        if step.multiple:
            return "Type one or more numbers separated by commas (e.g. 1,3); Enter alone skips."
        return "Type the number of one option; Enter alone skips."
    if isinstance(step, ChecklistStep):
        return "Type the numbers you have ticked, separated by commas, or - for none; Enter alone skips."
    if isinstance(step, TimerStep):
        return f"Take {step.minutes} min. Then type done (or a note); Enter alone skips."
    return "Type your answer; Enter alone skips."
