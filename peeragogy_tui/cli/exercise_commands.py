"""``peeragogy exercises list`` and ``peeragogy exercise run``: exercises in a plain terminal.

``run`` asks each prompt in turn. From a terminal it prompts; from a pipe it
reads one answer per line, so a script can drive it. Every answer is saved
the moment it is given, and an unfinished run is resumed automatically.
"""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peeragogy_tui.cli._common import guarded, settings_from, stdin_is_open
from peeragogy_tui.cli._store import (
    exercises_dir_for,
    existing_store,
    report_repairs,
    short_date,
    status_label,
)
from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.errors import PeeragogyError

if TYPE_CHECKING:
    from peeragogy_tui.core.exercises import Exercise, ExerciseRun, ExerciseSet
    from peeragogy_tui.core.store import AnswerStore, Claimant
    from peeragogy_tui.core.store.heartbeat import Heartbeat

__all__ = ["register"]

exercises_app = typer.Typer(
    help="Browse the exercises.", no_args_is_help=True, rich_markup_mode=None
)
exercise_app = typer.Typer(help="Do one exercise.", no_args_is_help=True, rich_markup_mode=None)

ExercisesOption = Annotated[
    Path | None,
    typer.Option("--exercises", help="A folder of exercise files (default: the bundled ones)."),
]


def load_exercise_set(ctx: typer.Context, directory: Path | None = None) -> ExerciseSet:
    """The exercises named by ``--exercises`` (or the global option, else the bundled ones)."""
    from peeragogy_tui.core.exercises import load_exercises

    return load_exercises(exercises_dir_for(ctx, directory), settings_from(ctx).lang)


def find_exercise(ctx: typer.Context, exercise_id: str, directory: Path | None = None) -> Exercise:
    """The exercise with this id, or an error that says why not and what is close.

    Raises:
        PeeragogyError: the file is broken, or there is no such exercise.
    """
    found = load_exercise_set(ctx, directory)
    exercise = found.get(exercise_id)
    if exercise is None:
        broken = [p for p in found.broken if p.path.stem == exercise_id]
        if broken:
            raise PeeragogyError(
                f"exercise '{exercise_id}' cannot be used: {broken[0]}", hint=broken[0].hint or None
            )
        close = difflib.get_close_matches(exercise_id, list(found.by_id), n=3)
        hint = f"did you mean: {', '.join(close)}?" if close else "run 'peeragogy exercises list'"
        raise PeeragogyError(f"no exercise '{exercise_id}'", path=found.root, hint=hint)
    return exercise


def every_exercise(ctx: typer.Context, directory: Path | None = None) -> list[Exercise]:
    """Every exercise that loads from the folder (broken files left out)."""
    return list(load_exercise_set(ctx, directory).by_id.values())


def _plain(text: str) -> str:
    return strip_control(text)


@exercises_app.command("list")
@guarded
def list_exercises(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="A JSON list, one object per exercise file.")
    ] = False,
    exercises_dir: ExercisesOption = None,
) -> None:
    """List every exercise with its kind, length and your progress."""
    found = load_exercise_set(ctx, exercises_dir)
    store = existing_store(read_only=True)
    try:
        statuses = store.statuses() if store is not None else {}
    finally:
        if store is not None:
            store.close()
    rows: list[dict[str, Any]] = []
    for exercise in found.exercises:
        rows.append(
            {
                "id": exercise.id,
                "title": exercise.title,
                "kind": exercise.kind,
                "minutes": exercise.minutes,
                "chapters": exercise.chapters,
                "steps": len(exercise.steps),
                "status": status_label(statuses.get(exercise.id)),
                "path": str(exercise.path),
                "error": None,
            }
        )
    for path in found.broken_paths:
        problems = found.problems_for(path)
        rows.append(
            {
                "id": path.stem,
                "title": None,
                "kind": None,
                "minutes": None,
                "chapters": [],
                "steps": 0,
                "status": None,
                "path": str(path),
                "error": "; ".join(str(problem) for problem in problems),
            }
        )
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max((len(row["id"]) for row in rows), default=0)
    for row in rows:
        if row["error"]:
            typer.echo(f"{_plain(row['id']).ljust(width)}  broken: {_plain(row['error'])}")
            continue
        facts = f"{row['kind']}, {row['minutes']} min, {row['steps']} steps, {row['status']}"
        typer.echo(f"{row['id'].ljust(width)}  {_plain(row['title'])}  ({facts})")


def _describe(step: Any, number: int, total: int) -> list[str]:
    from peeragogy_tui.core.exercises import ChecklistStep, ChoiceStep, ScaleStep, input_help

    lines = ["", f"[{number}/{total}] {_plain(step.prompt)}"]
    if step.hint:
        lines.append(f"  hint: {_plain(step.hint)}")
    if isinstance(step, ScaleStep):
        low = f" ({_plain(step.min_label)})" if step.min_label else ""
        high = f" ({_plain(step.max_label)})" if step.max_label else ""
        lines.append(f"  {step.min}{low} ... {step.max}{high}")
    elif isinstance(step, (ChoiceStep, ChecklistStep)):
        choices = step.options if isinstance(step, ChoiceStep) else step.items
        lines += [f"  {index}. {_plain(choice)}" for index, choice in enumerate(choices, start=1)]
    lines.append(f"  {input_help(step)}")
    return lines


class _Input:
    """Lines of answers: prompted from a terminal, or read from a pipe one per line."""

    def __init__(self) -> None:
        if not stdin_is_open():
            raise PeeragogyError(
                "there is no input to read answers from: standard input is closed",
                hint="run it in a terminal, or give one answer per line on a pipe: "
                "printf 'first answer\\n' | peeragogy exercise run ID",
            )
        self.interactive = sys.stdin.isatty()
        self.line_number = 0

    def read(self) -> str | None:
        """The next answer line without its newline; ``None`` at end of input."""
        if self.interactive:
            text = str(typer.prompt(">", default="", show_default=False, prompt_suffix=" "))
            while text.endswith("\\"):
                more = typer.prompt("…", default="", show_default=False, prompt_suffix=" ")
                text = text[:-1] + "\n" + str(more)
            return text
        raw = sys.stdin.readline()
        if raw == "":
            return None
        self.line_number += 1
        return raw.removesuffix("\n").removesuffix("\r")


def _ask(step: Any, source: _Input, echo: Callable[[str], None]) -> tuple[bool, Any]:
    """``(True, answer-or-None-for-skip)``, or ``(False, None)`` when input ended."""
    from peeragogy_tui.core.exercises import ValidationError, parse_line

    while True:
        line = source.read()
        if line is None:
            return False, None
        try:
            return True, parse_line(step, line)
        except ValidationError as error:
            if not source.interactive:
                raise PeeragogyError(
                    f"line {source.line_number} of the input: {error.message}",
                    hint=(error.hint or "fix that line")
                    + "; answers before it are saved and the run resumes there",
                ) from None
            echo(f"  {_plain(str(error))}")


@exercise_app.command("run")
@guarded
def run_exercise(
    ctx: typer.Context,
    exercise_id: Annotated[
        str, typer.Argument(metavar="ID", help="The exercise id (see 'peeragogy exercises list').")
    ],
    exercises_dir: ExercisesOption = None,
    new: Annotated[
        bool, typer.Option("--new", help="Start a new run even if an unfinished one exists.")
    ] = False,
) -> None:
    """Do an exercise step by step; answers are saved as you go.

    From a pipe, give one answer per line (empty line = skip; choices and
    checklists take numbers or texts separated by commas).
    """
    from peeragogy_tui.core.store import Claimant, open_store, start_new, start_or_resume
    from peeragogy_tui.core.store.heartbeat import Heartbeat

    exercise = find_exercise(ctx, exercise_id, exercises_dir)
    echo = typer.echo
    source = _Input()
    claimant = Claimant.here()
    with report_repairs(open_store()) as store:
        if new:
            run, run_id = start_new(store, exercise, claimant)
            resumed = False
        else:
            opened = start_or_resume(store, exercise, claimant)
            run, run_id, resumed = opened.run, opened.run_id, opened.resumed
            if opened.held_elsewhere is not None:
                run_id = _new_run_or_stop(store, opened.held_elsewhere.describe(), run_id, source)
        echo(f"{_plain(exercise.title)} ({exercise.kind}, about {exercise.minutes} min)")
        echo(_plain(exercise.summary))
        if resumed and not run.done:
            started = short_date(run.started_at.isoformat() if run.started_at else None)
            echo(
                f"Resuming your unfinished run #{run_id} from {started}, at step {run.index + 1} of {run.total}."
            )
        with Heartbeat(store, run_id, claimant) as heartbeat:
            run_id = _answer_steps(store, run, run_id, claimant, heartbeat, source, echo)
        answered = sum(1 for item in run.summary() if item.state == "answered")
        echo(f"\nDone: {answered} of {run.total} steps answered, saved as run #{run_id}.")
        echo(f"See them with: peeragogy answers show {run_id}")


def _new_run_or_stop(store: AnswerStore, held: str, new_run_id: int, source: _Input) -> int:
    """The unfinished run is open elsewhere and a new one was started: a pipe takes it, a person is asked."""
    if not source.interactive:
        typer.echo(f"Note: {held}; starting a new run #{new_run_id}.")
        return new_run_id
    typer.echo(f"{held[0].upper()}{held[1:]}.")
    if typer.confirm(f"Start a new run (#{new_run_id}) instead?", default=True):
        return new_run_id
    store.delete_run(new_run_id)
    typer.echo("Nothing started. Finish the run in the other window, or close it there first.")
    raise typer.Exit(1)


def _answer_steps(
    store: AnswerStore,
    run: ExerciseRun,
    run_id: int,
    claimant: Claimant,
    heartbeat: Heartbeat,
    source: _Input,
    echo: Callable[[str], None],
) -> int:
    """Ask every remaining step and save each answer; returns the run id the answers are in."""
    from peeragogy_tui.core.store import RunClaimedError, record_step, save_as_new_run

    exercise = run.exercise
    try:
        while not run.done:
            step = run.current_step
            for line in _describe(step, run.index + 1, run.total):
                echo(line)
            if source.interactive and step.type == "text":
                echo("  (End a line with \\ to keep writing on the next line.)")
            more, value = _ask(step, source, echo)
            if not more:
                echo(
                    f"\nInput ended at step {run.index + 1} of {run.total}; your answers so far are saved."
                    f" Run 'peeragogy exercise run {exercise.id}' again to continue."
                )
                raise typer.Exit(0)
            index = run.index
            if value is None:
                run.skip()
            else:
                run.answer(value)
            try:
                record_step(store, run_id, run, index, claimant)
            except RunClaimedError as error:
                run_id = save_as_new_run(store, run, claimant)
                heartbeat.run_id = run_id
                echo(f"Note: {error.holder.describe()} now; your answers continue in a new run #{run_id}.")
    except (typer.Abort, KeyboardInterrupt):
        echo(
            f"\nStopped. Your answers so far are saved; run 'peeragogy exercise run {exercise.id}' to continue."
        )
        raise typer.Exit(130) from None
    return run_id


@exercise_app.command("reset")
@guarded
def reset_exercise(
    ctx: typer.Context,
    exercise_id: Annotated[
        str, typer.Argument(metavar="ID", help="The exercise id (see 'peeragogy exercises list').")
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Reset without asking.")] = False,
    exercises_dir: ExercisesOption = None,
) -> None:
    """Delete every run of one exercise with its answers, so it starts afresh (asks first unless --yes)."""
    from peeragogy_tui.cli._common import stdin_is_terminal

    exercise = find_exercise(ctx, exercise_id, exercises_dir)
    title = _plain(exercise.title)
    store = existing_store()
    if store is None:
        typer.echo(f"Nothing to reset: '{title}' has no runs.")
        return
    with store:
        runs = store.runs(exercise.id)
        if not runs:
            typer.echo(f"Nothing to reset: '{title}' has no runs.")
            return
        answers = sum(len(run.answers) for run in runs)
        if not yes:
            if not stdin_is_terminal():
                raise PeeragogyError(
                    f"refusing to reset '{title}' without confirmation (no terminal to ask on)",
                    hint="add --yes to reset it without asking",
                )
            many = f"{len(runs)} run{'s' if len(runs) != 1 else ''}"
            if not typer.confirm(
                f"Delete {many} of '{title}' ({answers} answers)? Keep a copy first with"
                " 'peeragogy answers export -o FILE'. This cannot be undone"
            ):
                typer.echo("Nothing deleted.")
                raise typer.Exit(1)
        count = store.reset_exercise(exercise.id)
    typer.echo(f"Reset '{title}': deleted {count} run{'s' if count != 1 else ''}.")


def register(app: typer.Typer) -> None:
    """Add ``exercises`` and ``exercise`` to ``app``."""
    app.add_typer(exercises_app, name="exercises")
    app.add_typer(exercise_app, name="exercise")
