"""A scale answer reads "4 of 5 (label)" in Markdown and carries its bounds and labels in JSON."""

from __future__ import annotations

import json
from pathlib import Path

from peeragogy_tui.core.exercises import Exercise
from peeragogy_tui.core.store import display_value, open_store, record_step, start_or_resume

EXERCISE = Exercise.model_validate(
    {
        "id": "ex",
        "title": "Ex",
        "lang": "en",
        "chapters": ["c"],
        "kind": "solo",
        "minutes": 5,
        "summary": "s",
        "steps": [
            {"type": "scale", "prompt": "Middle?", "min": 1, "max": 5, "min_label": "Not at all", "max_label": "Fully"},
            {"type": "scale", "prompt": "Top?", "min": 1, "max": 5, "min_label": "Not at all", "max_label": "Fully"},
            {"type": "scale", "prompt": "Bare?", "min": 0, "max": 10},
        ],
    }
)
SCALE = {"min": 1, "max": 5, "min_label": "Not at all", "max_label": "Fully"}


def answer_all(values: list[int]) -> None:
    with open_store() as store:
        opened = start_or_resume(store, EXERCISE)
        for index, value in enumerate(values):
            opened.run.answer(value)
            record_step(store, opened.run_id, opened.run, index)


def test_display_names_the_scale() -> None:
    assert display_value(4, "scale", SCALE) == "4 of 5 (1 = Not at all … 5 = Fully)"
    assert display_value(5, "scale", SCALE) == "5 of 5 (Fully)"
    assert display_value(1, "scale", SCALE) == "1 of 5 (Not at all)"
    assert display_value(7, "scale", {"min": 0, "max": 10}) == "7 of 10"
    assert display_value(4, "scale") == "4"  # an answer saved before scales were kept
    evil = {**SCALE, "max_label": "\x1b[31mred\nline"}
    assert display_value(5, "scale", evil) == "5 of 5 (red line)"


def test_export_writes_scale_answers_with_their_scale(private_home: Path) -> None:
    answer_all([4, 5, 7])
    with open_store() as store:
        markdown = store.export_markdown()
        document = json.loads(store.export_json())
    assert "> 4 of 5 (1 = Not at all … 5 = Fully)" in markdown
    assert "> 5 of 5 (Fully)" in markdown
    assert "> 7 of 10\n" in markdown
    steps = document["runs"][0]["steps"]
    assert [step["answer"] for step in steps] == [4, 5, 7]  # the value itself stays a number
    assert steps[0]["scale"] == SCALE
    assert steps[2]["scale"] == {"min": 0, "max": 10, "min_label": None, "max_label": None}
    assert document["runs"][0]["uuid"] and len(document["runs"][0]["uuid"]) == 36
