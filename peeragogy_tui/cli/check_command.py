"""``peeragogy check``: validate a handbook and its exercises, compiler-style.

Prints ``path:line: message`` per problem and exits 0 when clean, 1 when
not (2 when a folder cannot be read at all).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from peeragogy_tui.cli._common import guarded, settings_from
from peeragogy_tui.core.sanitize import strip_control

__all__ = ["register"]


def _shown(path: Path) -> str:
    """A path relative to the working directory when it is inside it."""
    try:
        return (
            os.path.relpath(path)
            if Path(path).resolve().is_relative_to(Path.cwd().resolve())
            else str(path)
        )
    except (OSError, ValueError):
        return str(path)


def _folders(
    ctx: typer.Context, handbook: Path | None, exercises: Path | None
) -> tuple[Path, Path | None]:
    """Options first, then the global settings, then the bundled folders.

    The bundled exercises are only paired with the bundled handbook; for another
    handbook, an ``exercises`` folder next to it is used when there is one.
    """
    from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir

    settings = settings_from(ctx)
    handbook_dir = handbook or settings.handbook_dir
    exercises_dir = exercises or settings.exercises_dir
    if handbook_dir is None:
        return bundled_handbook_dir(), exercises_dir or bundled_exercises_dir()
    if exercises_dir is None:
        sibling = handbook_dir.resolve().parent / "exercises"
        if sibling.is_dir() and sibling != handbook_dir.resolve():
            exercises_dir = sibling
    return handbook_dir, exercises_dir


@guarded
def check(
    ctx: typer.Context,
    handbook: Annotated[
        Path | None, typer.Option("--handbook", help="The handbook folder to check.")
    ] = None,
    exercises: Annotated[
        Path | None, typer.Option("--exercises", help="The exercises folder to check.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="A JSON list of {path, line, message}.")
    ] = False,
) -> None:
    """Check the handbook and exercises: frontmatter, links, anchors, ids."""
    from peeragogy_tui.core.check import check_content

    handbook_dir, exercises_dir = _folders(ctx, handbook, exercises)
    report = check_content(handbook_dir, exercises_dir, settings_from(ctx).lang)
    problems = report.problems
    if as_json:
        rows = [
            {"path": _shown(p.path), "line": p.line or 1, "message": p.message} for p in problems
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            typer.echo(
                strip_control(f"{_shown(problem.path)}:{problem.line or 1}: {problem.message}")
            )
        chapters = len(report.handbook.chapters) if report.handbook else 0
        exercises_count = len(report.exercises.exercises) if report.exercises else 0
        if problems:
            files = len({p.path for p in problems})
            typer.echo(
                f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} file{'s' if files != 1 else ''}",
                err=True,
            )
        else:
            typer.echo(
                f"No problems found ({chapters} chapters, {exercises_count} exercises).", err=True
            )
    if problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``check`` to ``app``."""
    app.command()(check)
