"""Exercises: the file format (models), loading a folder, and the run engine.

Everything here is pure domain code shared by the CLI, the TUI and the tests;
it never imports textual and never touches the answer store.
"""

from __future__ import annotations

from peeragogy_tui.core.exercises.engine import (
    AnswerValue,
    Clock,
    ExerciseRun,
    RunPoint,
    RunStatus,
    SummaryItem,
    ValidationError,
    resume,
    start,
    utc_now,
    validate_answer,
)
from peeragogy_tui.core.exercises.loader import ExerciseSet, load_exercise_file, load_exercises
from peeragogy_tui.core.exercises.models import (
    STEP_TYPES,
    ChecklistStep,
    ChoiceStep,
    Exercise,
    GroupSize,
    ScaleStep,
    Step,
    TextStep,
    TimerStep,
    step_key,
)
from peeragogy_tui.core.exercises.textinput import input_help, parse_line

__all__ = [
    "STEP_TYPES",
    "AnswerValue",
    "ChecklistStep",
    "ChoiceStep",
    "Clock",
    "Exercise",
    "ExerciseRun",
    "ExerciseSet",
    "RunPoint",
    "GroupSize",
    "RunStatus",
    "ScaleStep",
    "Step",
    "SummaryItem",
    "TextStep",
    "TimerStep",
    "ValidationError",
    "input_help",
    "load_exercise_file",
    "load_exercises",
    "parse_line",
    "resume",
    "start",
    "step_key",
    "utc_now",
    "validate_answer",
]
