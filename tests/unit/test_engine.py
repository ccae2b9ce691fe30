"""The pure exercise state machine: answers per step type, skip, back, resume, summary."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from peeragogy_tui.core.exercises import (
    Exercise,
    ExerciseRun,
    ValidationError,
    parse_line,
    resume,
    start,
    validate_answer,
)

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def fake_clock() -> Callable[[], datetime]:
    """A clock that moves one minute per call."""
    ticks = iter(range(10_000))
    return lambda: T0 + timedelta(minutes=next(ticks))


@pytest.fixture
def exercise() -> Exercise:
    return Exercise.model_validate(
        {
            "id": "all",
            "title": "All step types",
            "lang": "en",
            "chapters": ["convening"],
            "kind": "group",
            "minutes": 20,
            "summary": "One of each.",
            "steps": [
                {"id": "why", "type": "text", "prompt": "Why?"},
                {"type": "scale", "prompt": "How much?", "min": 1, "max": 5},
                {
                    "id": "where",
                    "type": "choice",
                    "prompt": "Where?",
                    "options": ["Online", "In person"],
                },
                {
                    "id": "how",
                    "type": "choice",
                    "prompt": "How?",
                    "options": ["Chat", "Call", "Mail"],
                    "multiple": True,
                },
                {
                    "id": "prep",
                    "type": "checklist",
                    "prompt": "Prep",
                    "items": ["Date", "Agenda, short", "Notes"],
                },
                {"id": "round", "type": "timer", "prompt": "Talk", "minutes": 10},
            ],
        }
    )


def test_start_sets_status_and_time(exercise: Exercise) -> None:
    run = start(exercise, clock=fake_clock())
    assert run.status == "in_progress"
    assert run.started_at == T0
    assert run.index == 0 and run.current_key == "why"
    assert ExerciseRun(exercise).status == "new"


def test_a_full_run_with_every_type(exercise: Exercise) -> None:
    run = start(exercise, clock=fake_clock())
    run.answer("Because\nwe care [bold]x[/]")
    run.answer(4)
    run.answer("In person")
    run.answer(["Mail", "Chat"])
    run.answer([])
    assert not run.done and not run.is_complete()
    run.answer(None)
    assert run.done and run.is_complete()
    assert run.status == "done" and run.current_step is None
    assert run.finished_at == T0 + timedelta(minutes=1)
    assert run.answers == {
        "why": "Because\nwe care [bold]x[/]",
        "step-2": 4,
        "where": "In person",
        "how": ["Chat", "Mail"],
        "prep": [],
        "round": "",
    }


@pytest.mark.parametrize(
    ("index", "value", "message"),
    [
        (0, "", "empty"),
        (0, "   \n", "empty"),
        (0, 5, "must be text"),
        (0, "bad \ud800 surrogate", "invalid characters"),
        (1, 0, "outside the scale"),
        (1, 6, "outside the scale"),
        (1, True, "whole number"),
        (1, "3", "whole number"),
        (2, "Offline", "not one of the options"),
        (2, ["Online"], "not one of the options"),
        (3, [], "at least one"),
        (3, "Chat", "list of options"),
        (3, ["Chat", "Chat"], "twice"),
        (3, ["Fax"], "not one of the options"),
        (4, ["Date", "Cake"], "not one of the items"),
        (4, [1], "must be text"),
        (5, 3, "optional note"),
    ],
)
def test_invalid_answers_raise_and_do_not_move(
    exercise: Exercise, index: int, value: Any, message: str
) -> None:
    run = start(exercise, clock=fake_clock())
    for _ in range(index):
        run.skip()
    with pytest.raises(ValidationError, match=message):
        run.answer(value)
    assert run.index == index
    assert exercise.key(index) not in run.answers


def test_text_answers_are_kept_exactly(exercise: Exercise) -> None:
    text = "  leading spaces, \x1b[31mescape\x1b[0m, [@click=app.quit] and 🎉\r\n"
    assert validate_answer(exercise.steps[0], text) == text


def test_skip_records_none_and_summary_shows_states(exercise: Exercise) -> None:
    run = start(exercise, clock=fake_clock())
    run.skip()
    run.answer(2)
    summary = run.summary()
    assert [(item.prompt, item.answer, item.state) for item in summary[:3]] == [
        ("Why?", None, "skipped"),
        ("How much?", 2, "answered"),
        ("Where?", None, "unanswered"),
    ]
    assert summary[1].key == "step-2" and summary[1].step_type == "scale"
    assert len(summary) == 6


def test_back_and_next_keep_answers(exercise: Exercise) -> None:
    run = start(exercise, clock=fake_clock())
    assert run.back() is False
    run.answer("first")
    run.answer(3)
    assert run.back() is True and run.index == 1
    run.next()
    assert run.index == 2 and run.answers["step-2"] == 3
    with pytest.raises(ValidationError, match="answer or skip"):
        run.next()
    run.back()
    run.answer(5)
    assert run.answers["step-2"] == 5 and run.index == 2


def test_back_from_done_reopens_the_run(exercise: Exercise) -> None:
    run = start(exercise, clock=fake_clock())
    for _ in exercise.steps:
        run.skip()
    assert run.done
    with pytest.raises(ValidationError, match="finished"):
        run.answer("late")
    assert run.back()
    assert run.status == "in_progress" and run.finished_at is None
    run.answer("noted")
    assert run.done and run.answers["round"] == "noted"


def test_rewind_undoes_every_move_since_the_save_point(exercise: Exercise) -> None:
    run = start(exercise, clock=fake_clock())
    run.answer("why not")
    point = run.save_point()
    run.answer(3)
    run.skip()
    run.answers["why"] = "changed"
    run.rewind(point)
    assert run.index == 1 and run.answers == {"why": "why not"} and run.status == "in_progress"
    for _ in exercise.steps[1:-1]:
        run.skip()
    before_last = run.save_point()
    run.answer("done now")
    assert run.done and run.finished_at is not None
    run.rewind(before_last)
    assert not run.done and run.finished_at is None and run.current_key == "round"
    assert "round" not in run.answers


def test_answering_a_new_run_starts_it(exercise: Exercise) -> None:
    run = ExerciseRun(exercise, clock=fake_clock())
    run.answer("go")
    assert run.status == "in_progress" and run.started_at == T0


def test_resume_from_stored_state(exercise: Exercise) -> None:
    first = start(exercise, clock=fake_clock())
    first.answer("why not")
    first.skip()
    state = first.to_state()
    again = resume(exercise, state, clock=fake_clock())
    assert again.index == 2 and again.answers == {"why": "why not", "step-2": None}
    assert again.started_at == T0 and again.status == "in_progress"


def test_resume_from_iso_strings_and_drops_answers_that_no_longer_fit(exercise: Exercise) -> None:
    state = {
        "index": 9,
        "answers": {"why": "ok", "step-2": 42, "gone": "old", "where": "Online"},
        "started_at": "2024-04-01T10:00:00+00:00",
    }
    run = resume(exercise, state, clock=fake_clock())
    assert run.answers == {"why": "ok", "where": "Online"}
    assert run.index == 1, "position is clamped to the first step without an answer"
    assert run.started_at == datetime(2024, 4, 1, 10, tzinfo=UTC)


def test_resume_of_a_complete_state_is_done(exercise: Exercise) -> None:
    state = {"index": 6, "answers": {key: None for key in exercise.keys}, "finished_at": None}
    run = resume(exercise, state, clock=fake_clock())
    assert run.done and run.is_complete()
    assert run.started_at == T0 and run.finished_at == T0 + timedelta(minutes=1)


@pytest.mark.parametrize(
    ("index", "line", "expected"),
    [
        (0, "  exactly as typed ", "  exactly as typed "),
        (0, "", None),
        (1, " 3 ", 3),
        (2, "2", "In person"),
        (2, "online", "Online"),
        (3, "3, 1", ["Chat", "Mail"]),
        (3, "Call,Mail", ["Call", "Mail"]),
        (4, "Agenda, short, 1", ["Date", "Agenda, short"]),
        (4, "-", []),
        (5, "done", ""),
        (5, "we ran over", "we ran over"),
        (5, "   ", None),
    ],
)
def test_parse_line(exercise: Exercise, index: int, line: str, expected: Any) -> None:
    assert parse_line(exercise.steps[index], line) == expected


@pytest.mark.parametrize(
    ("index", "line"), [(1, "lots"), (1, "9"), (2, "3"), (2, "Both"), (3, "1, 7"), (4, "Cake")]
)
def test_parse_line_rejects(exercise: Exercise, index: int, line: str) -> None:
    with pytest.raises(ValidationError):
        parse_line(exercise.steps[index], line)
