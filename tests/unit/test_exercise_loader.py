"""Loading a folder of exercises: good files load, bad ones become path:line: field problems."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from peeragogy_tui.core.exercises.loader import format_loc, load_exercise_file, load_exercises
from peeragogy_tui.core.exercises.locate import locate_key_line
from peeragogy_tui.errors import PeeragogyError
from peeragogy_tui.paths import bundled_exercises_dir

REPO = Path(__file__).resolve().parents[2]

GOOD = """\
---
id: {id}
title: Good one
lang: en
chapters: [convening]
kind: solo
minutes: 10
summary: Fine.
steps:
  - id: first
    type: text
    prompt: Why?
  - type: scale
    prompt: How much?
    min: 1
    max: 5
---
Intro with a [link](../../handbook/en/convening.md).
"""

CAFE = """\
---
id: cafe
title: Café
lang: en
chapters:
  - convening
  - 42
kind: group
minutes: 30
group_size: {min: 4, max: 6}
summary: Talk.
steps:
  - id: welcome
    type: timer
    prompt: Welcome
    minutes: 5
  - type: text
    prompt: Who came?
  - id: round
    type: chat
    prompt: Round one
  - id: vote
    type: choice
    prompt: Which?
    options:
      - tea
      - coffee
      - tea
---
Body.
"""


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_exercises_all_load() -> None:
    found = load_exercises(bundled_exercises_dir())
    assert found.broken == []
    assert len(found.exercises) >= 13
    assert found.lang == "en"
    for exercise in found.exercises:
        assert exercise.path is not None and exercise.id == exercise.path.stem
        assert exercise.intro.strip()


def test_errors_name_file_line_and_field(tmp_path: Path) -> None:
    folder = tmp_path / "exercises" / "en"
    write(folder, "good.md", GOOD.format(id="good"))
    cafe = write(folder, "cafe.md", CAFE)
    found = load_exercises(tmp_path / "exercises")
    assert [e.id for e in found.exercises] == ["good"]
    messages = sorted(str(problem) for problem in found.broken)
    assert f"{cafe}:7: chapters[1]: input should be a valid string, not int" in messages
    assert (
        f"{cafe}:20: steps[2].type: expected one of text, scale, choice, checklist, timer (got 'chat')"
        in messages
    )
    assert f"{cafe}:28: steps[3].options[2]: option 'tea' is listed twice" in messages
    assert found.broken_paths == [cafe]


def test_missing_key_in_a_step_points_at_the_step(tmp_path: Path) -> None:
    text = GOOD.format(id="oops").replace("    max: 5\n", "")
    path = write(tmp_path, "oops.md", text)
    exercise, problems = load_exercise_file(path)
    assert exercise is None
    assert [str(p) for p in problems] == [
        f"{path}:13: steps[1].max: missing (this key is required)"
    ]


def test_scale_range_points_at_max(tmp_path: Path) -> None:
    path = write(tmp_path, "flat.md", GOOD.format(id="flat").replace("max: 5", "max: 1"))
    _, problems = load_exercise_file(path)
    assert [str(p) for p in problems] == [
        f"{path}:16: steps[1].max: min (1) must be smaller than max (1)"
    ]


def test_duplicate_step_id_points_at_the_second_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "dup.md",
        GOOD.format(id="dup").replace("  - type: scale", "  - id: first\n    type: scale"),
    )
    _, problems = load_exercise_file(path)
    assert [str(p) for p in problems] == [
        f"{path}:13: steps[1].id: step id 'first' is already used by steps[0]"
    ]


def test_id_must_equal_file_stem(tmp_path: Path) -> None:
    path = write(tmp_path, "renamed.md", GOOD.format(id="original"))
    exercise, problems = load_exercise_file(path)
    assert exercise is None
    assert str(problems[0]) == f"{path}:2: id: 'original' must equal the file name 'renamed'"


def test_yaml_booleans_get_a_hint(tmp_path: Path) -> None:
    text = GOOD.format(id="yesno").replace(
        "  - type: scale",
        "  - type: choice\n    prompt: Ok?\n    options: [Yes, No]\n  - type: scale",
    )
    _, problems = load_exercise_file(write(tmp_path, "yesno.md", text))
    assert problems and all("put the text in quotes" in p.message for p in problems)
    assert problems[0].line == 15


def test_unreadable_and_frontmatterless_files_are_broken_not_fatal(tmp_path: Path) -> None:
    write(tmp_path, "plain.md", "# Just a heading\n")
    write(tmp_path, "yaml.md", "---\ntitle: [unclosed\n---\n")
    write(tmp_path, "good.md", GOOD.format(id="good"))
    found = load_exercises(tmp_path)
    assert [e.id for e in found.exercises] == ["good"]
    assert {p.path.name for p in found.broken} == {"plain.md", "yaml.md"}
    assert all(p.line for p in found.broken)


def test_flat_folder_and_language_choice(tmp_path: Path) -> None:
    write(tmp_path / "en", "a.md", GOOD.format(id="a"))
    write(tmp_path / "fr", "b.md", GOOD.format(id="b"))
    assert [e.id for e in load_exercises(tmp_path).exercises] == ["a"]
    french = load_exercises(tmp_path, "fr")
    assert [e.id for e in french.exercises] == ["b", "a"], "an exercise not translated yet falls back to English"
    assert french.fallback_ids == {"a"}
    assert [e.id for e in load_exercises(tmp_path, "fr", fallback=False).exercises] == ["b"]
    with pytest.raises(PeeragogyError, match="no 'de' exercises"):
        load_exercises(tmp_path, "de")
    with pytest.raises(PeeragogyError, match="not found"):
        load_exercises(tmp_path / "missing")


def test_for_chapter_and_get(tmp_path: Path) -> None:
    write(tmp_path, "a.md", GOOD.format(id="a"))
    found = load_exercises(tmp_path)
    assert found.get("a") is not None and found.get("zzz") is None
    assert [e.id for e in found.for_chapter("convening")] == ["a"]
    assert found.for_chapter("patterns") == []


def test_format_loc() -> None:
    assert format_loc(("steps", 2, "options", 0)) == "steps[2].options[0]"
    assert format_loc(("title",)) == "title"


def test_locate_falls_back_to_the_nearest_found_line() -> None:
    lines = [
        "title: x",
        "steps:",
        "  - type: text",
        "    prompt: p",
        "  -   type: scale",
        "    prompt: q",
        "kind: solo",
    ]
    assert locate_key_line(lines, ("steps", 1, "type")) == 6
    assert locate_key_line(lines, ("steps", 1, "nothing")) == 6
    assert locate_key_line(lines, ("steps", 7, "type")) == 3
    assert locate_key_line(lines, ("kind",)) == 8
    assert locate_key_line(lines, ("absent",)) is None
    flush = ["steps:", "- type: text", "  prompt: p", "- type: scale", "  max: 3", "title: x"]
    assert locate_key_line(flush, ("steps", 1, "max")) == 6
    assert locate_key_line(flush, ("title",)) == 7


def test_the_hints_point_to_the_authoring_guide_that_exists(tmp_path: Path) -> None:
    plain = write(tmp_path, "plain.md", "# Just a heading\n")
    wrong_key = write(tmp_path, "wrong.md", GOOD.format(id="wrong").replace("max: 5", "max: five"))
    problems = load_exercise_file(plain)[1] + load_exercise_file(wrong_key)[1]
    named = {re.search(r"[\w/]+\.md", problem.hint or "") for problem in problems}
    assert len(problems) == 2 and None not in named, [p.hint for p in problems]
    for match in named:
        assert (REPO / match.group()).is_file(), f"{match.group()} does not exist"
