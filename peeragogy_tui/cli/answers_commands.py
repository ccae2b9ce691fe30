"""``peeragogy answers list|show|export|delete``: your saved answers.

Listing and showing print plain text with terminal control sequences
stripped; exports are written with mode 0600; JSON exports keep every
answer byte-exact.
"""

from __future__ import annotations

import sys
from datetime import UTC
from pathlib import Path
from typing import Annotated, Literal

import typer

from peeragogy_tui.cli._common import guarded, stdin_is_terminal
from peeragogy_tui.cli._store import existing_store, report_repairs, short_date, status_label
from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.errors import PeeragogyError

__all__ = ["register"]

answers_app = typer.Typer(
    help="Your saved answers: list, show, export, delete.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

RunArgument = Annotated[
    int, typer.Argument(metavar="RUN", help="A run number from 'peeragogy answers list'.")
]


def _no_run(run_id: int) -> PeeragogyError:
    return PeeragogyError(
        f"there is no run #{run_id}", hint="run 'peeragogy answers list' to see your runs"
    )


@answers_app.command("list")
@guarded
def list_answers(
    as_json: Annotated[
        bool, typer.Option("--json", help="A JSON list, one object per run.")
    ] = False,
) -> None:
    """List every run of every exercise, oldest first."""
    store = existing_store(read_only=True)
    runs = []
    if store is not None:
        with store:
            runs = store.runs()
    if as_json:
        rows = [
            {
                "run": run.id,
                "exercise_id": run.exercise_id,
                "exercise_title": run.exercise_title,
                "status": status_label(run.status),
                "started_at": run.started_at,
                "finished_at": run.finished_at,
                "answers": sum(1 for answer in run.answers if not answer.skipped),
            }
            for run in runs
        ]
        from peeragogy_tui.core.store.export import json_text

        typer.echo(json_text(rows))
        return
    if not runs:
        typer.echo("No answers yet. Start with: peeragogy exercises list")
        return
    for run in runs:
        answered = sum(1 for answer in run.answers if not answer.skipped)
        typer.echo(
            f"#{run.id}  {strip_control(run.exercise_id)}  {status_label(run.status)}  "
            f"started {short_date(run.started_at)}  finished {short_date(run.finished_at)}  "
            f"{answered} answer{'s' if answered != 1 else ''}"
        )


@answers_app.command("show")
@guarded
def show(run_id: RunArgument) -> None:
    """Print one run's answers as plain text."""
    from peeragogy_tui.core.store import display_value

    store = existing_store(read_only=True)
    if store is None:
        raise _no_run(run_id)
    with store:
        run = store.find_run(run_id)
    if run is None:
        raise _no_run(run_id)
    typer.echo(f"{strip_control(run.exercise_title)}  (run #{run.id}, {status_label(run.status)})")
    typer.echo(f"started {short_date(run.started_at)}, finished {short_date(run.finished_at)}")
    for answer in run.answers:
        typer.echo("")
        typer.echo(strip_control(answer.prompt))
        for line in display_value(answer.value, answer.step_type, answer.scale).split("\n"):
            typer.echo(f"  {line}")


@answers_app.command("export")
@guarded
def export(
    format_: Annotated[
        Literal["json", "md"],
        typer.Option("--format", help="json keeps answers byte-exact; md is for reading."),
    ] = "json",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (mode 0600) instead of stdout."),
    ] = None,
) -> None:
    """Export every run and answer."""
    from peeragogy_tui.core.store import export_json, export_markdown
    from peeragogy_tui.paths import write_private_file

    store = existing_store(read_only=True)
    if store is None:
        runs, now = [], _now()
        text = export_json(runs, exported_at=now) if format_ == "json" else export_markdown(runs, exported_at=now)
    else:
        with store:  # the store's own export carries the bookmarks too
            runs = store.runs()
            text = store.export_json() if format_ == "json" else store.export_markdown()
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_private_file(output, text, create_parents=False)
    typer.echo(f"Exported {len(runs)} run{'s' if len(runs) != 1 else ''} to {output}", err=True)


def _now() -> str:
    from datetime import datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


@answers_app.command("delete")
@guarded
def delete(
    run_id: RunArgument,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
) -> None:
    """Delete one run and its answers (asks first unless --yes)."""
    store = existing_store()
    if store is None:
        raise _no_run(run_id)
    with store:
        run = store.find_run(run_id)
        if run is None:
            raise _no_run(run_id)
        if not yes:
            if not stdin_is_terminal():
                raise PeeragogyError(
                    f"refusing to delete run #{run_id} without confirmation (no terminal to ask on)",
                    hint="add --yes to delete it without asking",
                )
            title = strip_control(run.exercise_title)
            if not typer.confirm(
                f"Delete run #{run_id} of '{title}' ({len(run.answers)} answers)? This cannot be undone"
            ):
                typer.echo("Nothing deleted.")
                raise typer.Exit(1)
        store.delete_run(run_id)
    typer.echo(f"Deleted run #{run_id}.")


@answers_app.command("import")
@guarded
def import_answers(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A JSON file written by 'peeragogy answers export'.")],
) -> None:
    """Read an export back in (runs and bookmarks); importing the same file twice adds nothing."""
    from peeragogy_tui.core.store import open_store
    from peeragogy_tui.core.store.importing import import_export

    with report_repairs(open_store()) as store:
        report = import_export(store, file)
    typer.echo(report.describe())


def register(app: typer.Typer) -> None:
    """Add ``answers`` to ``app``."""
    app.add_typer(answers_app, name="answers")
