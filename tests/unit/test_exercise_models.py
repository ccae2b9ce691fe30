"""The exercise file format as pydantic models: strict types, lenient extras."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from pydantic import ValidationError

from peeragogy_tui.core.exercises.models import (
    ChecklistStep,
    ChoiceStep,
    Exercise,
    ScaleStep,
    TextStep,
    TimerStep,
    step_key,
)


def exercise_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "demo",
        "title": "Demo",
        "lang": "en",
        "chapters": ["convening"],
        "kind": "solo",
        "minutes": 10,
        "summary": "A demo.",
        "steps": [{"type": "text", "prompt": "Why?"}],
    }
    data.update(overrides)
    return data


def errors(data: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        Exercise.model_validate(data)
    return [(tuple(e["loc"]), e["type"]) for e in caught.value.errors()]


def test_every_step_type_builds_its_own_class() -> None:
    steps = [
        {"type": "text", "prompt": "t"},
        {
            "type": "scale",
            "prompt": "s",
            "min": 1,
            "max": 5,
            "min_label": "low",
            "max_label": "high",
        },
        {"type": "choice", "prompt": "c", "options": ["a", "b"], "multiple": True},
        {"type": "checklist", "prompt": "k", "items": ["x"]},
        {"type": "timer", "prompt": "w", "minutes": 3, "regroup": True},
    ]
    exercise = Exercise.model_validate(exercise_data(steps=steps))
    assert [type(step) for step in exercise.steps] == [
        TextStep,
        ScaleStep,
        ChoiceStep,
        ChecklistStep,
        TimerStep,
    ]
    assert exercise.steps[2].multiple is True
    assert exercise.steps[4].regroup is True


def test_unknown_keys_are_kept_at_top_level_and_in_steps() -> None:
    exercise = Exercise.model_validate(
        exercise_data(
            audience="teachers", steps=[{"type": "text", "prompt": "p", "colour": "blue"}]
        )
    )
    assert exercise.model_extra == {"audience": "teachers"}
    assert exercise.steps[0].model_extra == {"colour": "blue"}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"minutes": "10"}, (("minutes",), "int_type")),
        ({"minutes": 0}, (("minutes",), "greater_than")),
        ({"kind": "duo"}, (("kind",), "literal_error")),
        ({"chapters": []}, (("chapters",), "too_short")),
        ({"title": 5}, (("title",), "string_type")),
        ({"id": "Not A Slug"}, (("id",), "string_pattern_mismatch")),
        ({"steps": []}, (("steps",), "too_short")),
        ({"group_size": {"min": 5, "max": 2}, "kind": "group"}, (("group_size",), "group_range")),
        ({"group_size": {"min": 2, "max": 5}}, ((), "group_size_solo")),
    ],
)
def test_top_level_type_errors(
    overrides: dict[str, Any], expected: tuple[tuple[Any, ...], str]
) -> None:
    assert expected in errors(exercise_data(**overrides))


def test_missing_required_keys_are_reported_each() -> None:
    data = exercise_data()
    del data["title"], data["summary"]
    found = errors(data)
    assert (("title",), "missing") in found
    assert (("summary",), "missing") in found


@pytest.mark.parametrize(
    ("step", "error_type"),
    [
        ({"type": "dance", "prompt": "p"}, "union_tag_invalid"),
        ({"prompt": "p"}, "union_tag_not_found"),
        ({"type": "text"}, "missing"),
        ({"type": "text", "prompt": ""}, "string_too_short"),
        ({"type": "scale", "prompt": "p", "min": 5, "max": 5}, "scale_range"),
        ({"type": "scale", "prompt": "p", "min": 1, "max": "5"}, "int_type"),
        ({"type": "choice", "prompt": "p", "options": ["only"]}, "too_short"),
        ({"type": "choice", "prompt": "p", "options": ["a", "a"]}, "duplicate_option"),
        ({"type": "choice", "prompt": "p", "options": ["Yes", True]}, "string_type"),
        ({"type": "checklist", "prompt": "p", "items": []}, "too_short"),
        ({"type": "timer", "prompt": "p"}, "missing"),
        ({"type": "timer", "prompt": "p", "minutes": 0}, "greater_than"),
        ({"type": "timer", "prompt": "p", "minutes": 5, "regroup": "yes"}, "bool_type"),
        ({"type": "text", "prompt": "p", "id": "Bad Id"}, "string_pattern_mismatch"),
    ],
)
def test_step_errors(step: dict[str, Any], error_type: str) -> None:
    found = errors(exercise_data(steps=[{"type": "text", "prompt": "ok"}, step]))
    assert any(loc[:2] == ("steps", 1) and kind == error_type for loc, kind in found), found


def test_step_ids_must_be_unique_including_generated_keys() -> None:
    found = errors(
        exercise_data(
            steps=[
                {"type": "text", "prompt": "a", "id": "x"},
                {"type": "text", "prompt": "b", "id": "x"},
            ]
        )
    )
    assert found == [(("steps",), "duplicate_step_id")]
    clash = [{"type": "text", "prompt": "a"}, {"type": "text", "prompt": "b", "id": "step-1"}]
    assert errors(exercise_data(steps=clash)) == [(("steps",), "duplicate_step_id")]


def test_step_keys_use_id_or_position() -> None:
    exercise = Exercise.model_validate(
        exercise_data(
            steps=[{"type": "text", "prompt": "a"}, {"type": "text", "prompt": "b", "id": "named"}]
        )
    )
    assert exercise.keys == ["step-1", "named"]
    assert exercise.key(1) == "named"
    assert step_key(exercise.steps[0], 0) == "step-1"


def test_models_never_import_textual() -> None:
    code = (
        "import sys, peeragogy_tui.core.exercises, peeragogy_tui.core.store, peeragogy_tui.core.check;"
        "print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
