"""``peeragogy progress`` and ``peeragogy bookmarks``: what you have read, done and marked.

Both only read: nothing is created when there is no store yet. Text output is
plain (no colour needed) with control sequences stripped from titles and notes.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from typing import Annotated

import typer

from peeragogy_tui.cli._common import guarded, settings_from
from peeragogy_tui.cli._store import short_date
from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.errors import PeeragogyError

__all__ = ["register"]

bookmarks_app = typer.Typer(
    help="Places you marked with 'm' in the reader: list or delete them.",
    no_args_is_help=False,
    invoke_without_command=True,
    rich_markup_mode=None,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _existing_reading_store():  # type: ignore[no-untyped-def]
    from peeragogy_tui.core.store import DB_NAME
    from peeragogy_tui.core.store.reading import open_reading_store
    from peeragogy_tui.paths import data_dir

    path = data_dir() / DB_NAME
    return open_reading_store(path) if path.exists() else None


@guarded
def progress(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Chapters read (by part), exercises done, and your answers per week."""
    from peeragogy_tui.cli.exercise_commands import load_exercise_set
    from peeragogy_tui.core.progress import collect_progress
    from peeragogy_tui.core.progress_text import progress_lines
    from peeragogy_tui.core.store import AnswerStore

    settings = settings_from(ctx)
    handbook = settings.load_handbook()
    exercises = load_exercise_set(ctx)
    store = _existing_reading_store()
    try:
        statuses = AnswerStore(store.db).statuses() if store is not None else {}
        report = collect_progress(handbook, exercises.exercises, store, statuses, today=date.today())
    finally:
        if store is not None:
            store.close()
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    width = min(shutil.get_terminal_size((80, 24)).columns, 100)
    for line in progress_lines(report, width=width):
        typer.echo(line)


@bookmarks_app.callback()
@guarded
def list_bookmarks(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List your bookmarks, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    from peeragogy_tui.core.store.reading import bookmark_to_dict

    store = _existing_reading_store()
    marks = []
    if store is not None:
        with store:
            marks = store.bookmarks()
    if as_json:
        typer.echo(json.dumps([{"id": m.id, **bookmark_to_dict(m)} for m in marks], ensure_ascii=False, indent=2))
        return
    if not marks:
        typer.echo("No bookmarks yet. Press m in the reader to mark your place.")
        return
    for mark in marks:
        note = strip_control(mark.note).replace("\n", " ")
        where = f"#{mark.id}  {strip_control(mark.chapter_title)}  line {mark.line + 1}  {short_date(mark.created_at)}"
        typer.echo(f"{where}  {note}" if note else where)


@bookmarks_app.command("delete")
@guarded
def delete_bookmark(bookmark_id: Annotated[int, typer.Argument(metavar="ID", help="A number from 'peeragogy bookmarks'.")]) -> None:
    """Delete one bookmark."""
    store = _existing_reading_store()
    if store is None or not store.delete_bookmark(bookmark_id):
        if store is not None:
            store.close()
        raise PeeragogyError(f"there is no bookmark #{bookmark_id}", hint="run 'peeragogy bookmarks' to see them")
    store.close()
    typer.echo(f"Deleted bookmark #{bookmark_id}.")


def register(app: typer.Typer) -> None:
    """Add ``progress`` and ``bookmarks`` to ``app``."""
    app.command("progress")(progress)
    app.add_typer(bookmarks_app, name="bookmarks")
