"""Load a folder of exercise files into an :class:`ExerciseSet`.

The folder is either ``<dir>/<lang>/*.md`` (one subfolder per language) or a
flat ``<dir>/*.md``. Each file is read with
:func:`~peeragogy_tui.core.handbook.markdown_file.read_markdown_file` and validated
with the pydantic models. A bad file never stops the others loading: every
problem in it becomes a :class:`FileProblem` reading
``path:line: field: message``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from peeragogy_tui.core.exercises.locate import frontmatter_lines, locate_key_line
from peeragogy_tui.core.exercises.models import STEP_TYPES, Exercise
from peeragogy_tui.core.handbook.folder_walk import FolderWalk, SkippedEntry, walk_markdown
from peeragogy_tui.core.handbook.languages import pick_language_folder
from peeragogy_tui.core.handbook.markdown_file import FileProblem, read_markdown_file
from peeragogy_tui.errors import PeeragogyError

__all__ = ["ExerciseSet", "exercise_paths", "format_loc", "load_exercise_file", "load_exercises"]

_MAX_PROBLEMS_PER_FILE = 20
AUTHORING_GUIDE = "docs/authoring.md"  # the field reference an exercise problem's hint points to


@dataclass
class ExerciseSet:
    """The exercises that loaded, and every problem in the files that did not."""

    exercises: list[Exercise] = field(default_factory=list)
    broken: list[FileProblem] = field(default_factory=list)
    """One entry per problem; a file with three mistakes appears three times."""
    root: Path | None = None
    """The folder the files were read from (the language folder, if any)."""
    lang: str | None = None
    languages: list[str] = field(default_factory=list)
    skipped: list[SkippedEntry] = field(default_factory=list)
    """Symbolic links out of the folder that were not followed (``--follow-symlinks`` follows them)."""
    fallback_ids: set[str] = field(default_factory=set)
    """Exercises shown in English because this language has no version of them yet."""

    @property
    def by_id(self) -> dict[str, Exercise]:
        """Exercises keyed by id."""
        return {exercise.id: exercise for exercise in self.exercises}

    def get(self, exercise_id: str) -> Exercise | None:
        """The exercise with this id, or ``None``."""
        return self.by_id.get(exercise_id)

    def for_chapter(self, chapter_id: str) -> list[Exercise]:
        """Exercises that list ``chapter_id`` among their chapters."""
        return [exercise for exercise in self.exercises if chapter_id in exercise.chapters]

    @property
    def broken_paths(self) -> list[Path]:
        """Each broken file once, in order."""
        return list(dict.fromkeys(problem.path for problem in self.broken))

    def problems_for(self, path: Path) -> list[FileProblem]:
        """The problems found in one file."""
        return [problem for problem in self.broken if problem.path == path]


def format_loc(loc: tuple[int | str, ...]) -> str:
    """``("steps", 2, "type")`` -> ``steps[2].type``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _clean_loc(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Drop the union tag pydantic inserts after a step index (``steps, 2, "scale"``)."""
    parts = list(loc)
    cleaned: list[int | str] = []
    for index, part in enumerate(parts):
        if (
            isinstance(part, str)
            and part in STEP_TYPES
            and index >= 2
            and isinstance(parts[index - 1], int)
            and parts[index - 2] == "steps"
        ):
            continue
        cleaned.append(part)
    return tuple(cleaned)


def _message(error: dict[str, Any]) -> tuple[tuple[int | str, ...], str]:
    """A location and a plain message for one pydantic error."""
    kind = error["type"]
    loc = _clean_loc(tuple(error["loc"]))
    ctx = error.get("ctx") or {}
    expected = ", ".join(STEP_TYPES)
    if kind == "union_tag_invalid":
        return loc + ("type",), f"expected one of {expected} (got '{ctx.get('tag')}')"
    if kind == "union_tag_not_found":
        return loc + ("type",), f"missing; expected one of {expected}"
    if kind == "missing":
        return loc, "missing (this key is required)"
    if kind == "literal_error":
        choices = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return loc, f"expected one of {choices} (got {error.get('input')!r})"
    if kind == "duplicate_step_id":
        return loc + (int(ctx["index"]), "id"), error["msg"]
    if kind in ("duplicate_option", "duplicate_item"):
        return loc + (int(ctx["index"]),), error["msg"]
    if kind == "scale_range":
        return loc + ("max",), error["msg"]
    if kind == "string_pattern_mismatch":
        return loc, "must be a slug: lowercase letters, digits and '-' (e.g. 'my-step-1')"
    if kind == "extra_forbidden":
        return loc, "unknown key"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind.endswith("_type") and "input" in error:
        message += f", not {type(error['input']).__name__}"
        if isinstance(error["input"], bool):
            message += (
                " (YAML reads yes/no/true/false/on/off as true or false; put the text in quotes)"
            )
    return loc, message[:1].lower() + message[1:]


def _problems_from(
    error: PydanticValidationError, path: Path, lines: list[str]
) -> list[FileProblem]:
    problems = []
    for item in error.errors()[:_MAX_PROBLEMS_PER_FILE]:
        loc, message = _message(dict(item))
        line = locate_key_line(lines, loc) if loc else None
        where = format_loc(loc)
        text = f"{where}: {message}" if where else message
        problems.append(
            FileProblem(
                path, line or 1, text, f"fix this key in the frontmatter (see {AUTHORING_GUIDE})"
            )
        )
    return problems


def load_exercise_file(path: Path) -> tuple[Exercise | None, list[FileProblem]]:
    """Read and validate one exercise file; never raises for a bad file."""
    file = read_markdown_file(path)
    if file.problem is not None:
        return None, [file.problem]
    if not file.meta:
        return None, [
            FileProblem(
                path,
                1,
                "no frontmatter: an exercise starts with a '---' block",
                f"see {AUTHORING_GUIDE}, Exercises",
            )
        ]
    data = dict(file.meta)
    data["intro"] = file.body
    data["intro_line"] = file.body_line
    data["path"] = path
    try:
        exercise = Exercise.model_validate(data)
    except PydanticValidationError as error:
        return None, _problems_from(error, path, frontmatter_lines(path, file.body_line))
    if exercise.id != path.stem:
        lines = frontmatter_lines(path, file.body_line)
        return None, [
            FileProblem(
                path,
                locate_key_line(lines, ("id",)) or 1,
                f"id: '{exercise.id}' must equal the file name '{path.stem}'",
                f"rename the file to {exercise.id}.md or change the id",
            )
        ]
    return exercise, []


def _is_exercise_name(name: str) -> bool:
    return name.endswith(".md") and not name.startswith(".") and name.lower() not in ("readme.md", "index.md")


def _walk_exercises(root: Path) -> FolderWalk:
    """The folder's exercise files (not its subfolders), by the walker's rules: regular files only,
    links out of the folder skipped unless ``--follow-symlinks``."""
    return walk_markdown(root, recursive=False, accept=_is_exercise_name)


def _exercise_files(root: Path) -> list[Path]:
    return _walk_exercises(root).files


def exercise_paths(directory: Path, lang: str | None = None) -> list[Path]:
    """The files :func:`load_exercises` would read, without reading them (for the search index).

    Raises:
        PeeragogyError: ``directory`` has language folders but none for ``lang``.
    """
    root, _chosen, _languages = pick_language_folder(directory, lang, missing="there are no '{lang}' exercises here")
    return _exercise_files(root)


def load_exercises(directory: Path, lang: str | None = None, *, fallback: bool = True) -> ExerciseSet:
    """Load every ``*.md`` exercise under ``directory`` (or ``directory/<lang>``).

    With ``fallback``, a translation also holds the English exercises it has
    no version of yet (their ids in :attr:`ExerciseSet.fallback_ids`); the
    problems of those files are English's, reported when English is loaded.

    Raises:
        PeeragogyError: ``directory`` is missing or not a directory.
    """
    if not directory.exists():
        raise PeeragogyError(
            "exercises directory not found",
            path=directory,
            hint="check the path given to --exercises",
        )
    if not directory.is_dir():
        raise PeeragogyError(
            "not a directory", path=directory, hint="--exercises takes a folder of Markdown files"
        )
    root, chosen, languages = pick_language_folder(directory, lang, missing="there are no '{lang}' exercises here")
    result = ExerciseSet(root=root, lang=chosen, languages=languages)
    seen: dict[str, Path] = {}
    walk = _walk_exercises(root)
    for entry in walk.skipped:
        if entry.kind == "outside":
            result.skipped.append(entry)
        else:
            result.broken.append(FileProblem(entry.path, None, entry.reason, entry.hint))
    for path in walk.files:
        exercise, problems = load_exercise_file(path)
        if exercise is not None and exercise.id in seen:
            problems = [
                FileProblem(
                    path,
                    1,
                    f"id: '{exercise.id}' is also used by {seen[exercise.id]}",
                    "rename one",
                )
            ]
            exercise = None
        if exercise is None:
            result.broken.extend(problems)
            continue
        seen[exercise.id] = path
        result.exercises.append(exercise)
    if fallback and chosen not in (None, "en") and "en" in languages:
        english = load_exercises(directory, "en", fallback=False)
        for exercise in english.exercises:
            if exercise.id not in seen:
                result.exercises.append(exercise)
                result.fallback_ids.add(exercise.id)
    return result
