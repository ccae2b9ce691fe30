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
from peeragogy_tui.core.handbook.markdown_file import resolve_path
from peeragogy_tui.core.sanitize import strip_control

__all__ = ["register"]


def _shown(path: Path) -> str:
    """A path relative to the working directory when it is inside it."""
    try:
        return (
            os.path.relpath(path)
            if resolve_path(Path(path)).is_relative_to(resolve_path(Path.cwd()))
            else str(path)
        )
    except (OSError, ValueError):
        return str(path)


def _folders(
    ctx: typer.Context, handbook: Path | None, exercises: Path | None
) -> tuple[Path, Path | None, str]:
    """``(handbook, exercises, where they came from)``.

    Options first, then the global settings; with neither, the content the
    author is working on (a ``handbook/`` and an ``exercises/`` folder side by
    side, in the working directory or above it), else the bundled folders.
    The bundled exercises are only paired with the bundled handbook; for
    another handbook, an ``exercises`` folder next to it is used when there is one.
    """
    from peeragogy_tui.paths import author_content_dirs, bundled_exercises_dir, bundled_handbook_dir

    settings = settings_from(ctx)
    handbook_dir = handbook or settings.handbook_dir
    exercises_dir = exercises or settings.exercises_dir
    if handbook_dir is None:
        found = author_content_dirs()
        if found is not None:
            return found[0], exercises_dir or found[1], "found from the working directory"
        return bundled_handbook_dir(), exercises_dir or bundled_exercises_dir(), "the installed copy"
    if exercises_dir is None:
        sibling = resolve_path(handbook_dir).parent / "exercises"
        if sibling.is_dir() and sibling != resolve_path(handbook_dir):
            exercises_dir = sibling
    return handbook_dir, exercises_dir, "as given"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


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
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Also list each link that points outside the handbook folder, as a problem."),
    ] = False,
) -> None:
    """Check the handbook and exercises: frontmatter, links, anchors, ids.

    With no folder given, checks the handbook/ and exercises/ folders of the
    working directory (or the nearest folder above it that has both), else
    the installed copy, and says which.
    """
    from peeragogy_tui.core.check import check_content

    handbook_dir, exercises_dir, origin = _folders(ctx, handbook, exercises)
    report = check_content(handbook_dir, exercises_dir, settings_from(ctx).lang, strict=strict)
    problems = report.problems
    checked = f"Checked {_shown(handbook_dir)}" + (
        f" and {_shown(exercises_dir)}" if exercises_dir is not None else ""
    )
    typer.echo(strip_control(f"{checked} ({origin})."), err=True)
    if as_json:
        rows = [
            {"path": _shown(p.path), "line": p.line or 1, "message": p.message} for p in problems
        ]
        rows += [
            {"path": _shown(s.path), "line": None, "message": s.reason, "skipped": True}
            for s in report.skipped
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            typer.echo(
                strip_control(f"{_shown(problem.path)}:{problem.line or 1}: {problem.message}")
            )
        for entry in report.skipped:
            typer.echo(strip_control(f"{_shown(entry.path)}: skipped: {entry.reason}"))
        if report.skipped:
            typer.echo(
                f"{len(report.skipped)} symbolic link{'s' if len(report.skipped) != 1 else ''}"
                " out of the folder not followed (--follow-symlinks follows them)",
                err=True,
            )
        chapters = len(report.handbook.chapters) if report.handbook else 0
        exercises_count = len(report.exercises.exercises) if report.exercises else 0
        for line in report.translations:
            typer.echo(strip_control(line), err=True)
        if report.outside and not strict:
            typer.echo(
                f"{_plural(len(report.outside), 'link')} point{'s' if len(report.outside) == 1 else ''}"
                " outside the handbook (not errors; 'check --strict' lists them).",
                err=True,
            )
        if problems:
            files = len({p.path for p in problems})
            typer.echo(f"{_plural(len(problems), 'problem')} in {_plural(files, 'file')}", err=True)
        else:
            typer.echo(
                f"No problems found ({chapters} chapters, {exercises_count} exercises).", err=True
            )
    if problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``check`` to ``app``."""
    app.command()(check)
