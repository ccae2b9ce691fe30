"""``peeragogy search QUERY``: full-text search of the handbook, or of your answers.

Plain output is one block per hit (title, chapter id, snippet); ``--json``
prints a list of objects best first. Snippets are plain text with terminal
control sequences stripped; on a terminal the matched words are emphasised
with Rich ``Text`` spans, never markup. A query with nothing to search for
prints a one-line note and exits 0.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from peeragogy_tui.cli._output import console
from peeragogy_tui.cli._common import guarded, settings_from

__all__ = ["register"]

_MATCH_STYLE = "bold underline"


def _out() -> Console:
    return console()


def _snippet(text: str, spans: tuple[tuple[int, int], ...]) -> Text:
    line = Text("    " + text)
    for start, end in spans:
        line.stylize(_MATCH_STYLE, start + 4, end + 4)
    return line


@guarded
def search(
    ctx: typer.Context,
    query: Annotated[
        list[str], typer.Argument(metavar="QUERY", help='Words, "a phrase" or a prefix*.')
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="A JSON list of hits, best first.")
    ] = False,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=1000, help="At most this many hits.")
    ] = 20,
    answers: Annotated[
        bool, typer.Option("--answers", help="Search your saved answers instead.")
    ] = False,
) -> None:
    """Search the handbook's chapters and exercises (or your answers) for QUERY."""
    text = " ".join(query)
    if answers:
        _search_answers(text, as_json, limit)
        return
    from peeragogy_tui.core.search import index_for
    from peeragogy_tui.paths import bundled_handbook_dir

    settings = settings_from(ctx)
    with index_for(
        settings.handbook_dir or bundled_handbook_dir(),
        settings.lang,
        exercises_dir=settings.exercises_dir,
    ) as index:
        result = index.search(text, limit=limit)
    if as_json:
        rows = [
            {
                "chapter": hit.chapter_id,
                "title": hit.title,
                "snippet": hit.snippet,
                "score": float(f"{hit.score:.6g}"),
                "kind": hit.kind,
            }
            for hit in result
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        if result.note:
            typer.echo(result.note, err=True)
        return
    if not result:
        typer.echo(result.note or f"No matches for {text!r}.")
        return
    out = _out()
    for number, hit in enumerate(result):
        if number:
            out.print()
        head = Text(hit.title, style="bold")
        where = (
            hit.chapter_id
            if hit.kind == "chapter"
            else f"exercise {hit.exercise_id}, chapter {hit.chapter_id or '-'}"
        )
        head.append(f"  ({where})", style="dim")
        out.print(head)
        out.print(_snippet(hit.snippet, hit.spans))


def _search_answers(text: str, as_json: bool, limit: int) -> None:
    from peeragogy_tui.core.search import search_answers

    result = search_answers(text, limit=limit)
    if as_json:
        rows = [
            {
                "run": hit.run_id,
                "exercise": hit.exercise_id,
                "title": hit.exercise_title,
                "prompt": hit.prompt,
                "snippet": hit.snippet,
                "score": float(f"{hit.score:.6g}"),
            }
            for hit in result
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        if result.note:
            typer.echo(result.note, err=True)
        return
    if not result:
        typer.echo(result.note or f"No saved answers match {text!r}.")
        return
    out = _out()
    for number, hit in enumerate(result):
        if number:
            out.print()
        head = Text(hit.exercise_title, style="bold")
        head.append(f"  (run #{hit.run_id}, {hit.started_at[:10]})", style="dim")
        out.print(head)
        out.print(Text("  " + hit.prompt, style="italic"))
        out.print(_snippet(hit.snippet, hit.spans))


def register(app: typer.Typer) -> None:
    """Add ``search`` to ``app``."""
    app.command(context_settings={"ignore_unknown_options": True})(search)
