"""``peeragogy session list|report``: facilitated group sessions from the command line.

Sessions live in the answers file (see :mod:`peeragogy_tui.core.sessions`).
Listing prints plain text with terminal control sequences stripped. A report
never contains private harvest entries; with ``--output`` it is written
atomically with mode 0600.

Every command is a thin function on ``session_app``; new ones (start, attach,
resume) add themselves the same way and can share :func:`session_store`,
:func:`existing_session_store` and :func:`resolve_session`.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from peeragogy_tui.cli._common import guarded, settings_from
from peeragogy_tui.cli._store import report_repairs, short_date
from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.errors import PeeragogyError

if TYPE_CHECKING:
    from peeragogy_tui.core.sessions import SessionState, SessionStore, SessionSummary

__all__ = [
    "existing_session_store",
    "register",
    "resolve_session",
    "session_app",
    "session_store",
]

session_app = typer.Typer(
    help="Facilitated group sessions: start one, attach a facilitator view, resume, list, report.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

SessionArgument = Annotated[
    str,
    typer.Argument(
        metavar="SESSION",
        help="A session number from 'peeragogy session list', or 'latest' for the newest.",
    ),
]


def session_store() -> SessionStore:
    """The session store in the data dir, created if needed."""
    from peeragogy_tui.core.sessions import open_session_store

    return report_repairs(open_session_store())


def existing_session_store() -> SessionStore | None:
    """The session store if the answers file exists, else ``None`` (reading never creates it)."""
    from peeragogy_tui.core.sessions import open_session_store
    from peeragogy_tui.core.store import DB_NAME
    from peeragogy_tui.paths import data_dir

    path = data_dir() / DB_NAME
    return report_repairs(open_session_store(path)) if os.path.lexists(path) else None


START_EXAMPLE = 'start one with: peeragogy session start knowledge-cafe --people "Ana, Ben, Chi, Dee" --group-size 2'


def _no_sessions() -> PeeragogyError:
    return PeeragogyError(
        "there are no sessions yet",
        hint=START_EXAMPLE,
    )


def resolve_session(store: SessionStore | None, text: str, *, running: bool = False) -> int:
    """The session id named by ``text``: a number, or ``latest`` (newest running one if ``running``).

    Raises:
        PeeragogyError: not a number, or no such session.
    """
    wanted = text.strip().lower()
    if wanted == "latest":
        found = None
        if store is not None:
            found = store.latest_running() if running else store.latest()
        if found is None:
            raise _no_sessions()
        return found
    from peeragogy_tui.core.store.answers import fits_sqlite

    try:
        session_id = int(wanted.lstrip("#"))
    except ValueError:
        raise PeeragogyError(
            f"'{strip_control(text)}' is not a session number",
            hint="give a number from 'peeragogy session list', or 'latest'",
        ) from None
    if store is None or not fits_sqlite(session_id):
        raise PeeragogyError(
            f"there is no session #{session_id}",
            hint="run 'peeragogy session list' to see your sessions",
        )
    store.revision(session_id)  # raises the clear error for an unknown id
    return session_id


def _summary_json(summary: SessionSummary) -> dict[str, object]:
    return {
        "session": summary.id,
        "exercise_id": summary.exercise_id,
        "exercise_title": summary.exercise_title,
        "title": summary.title,
        "status": summary.status,
        "created_at": summary.created_at,
        "updated_at": summary.updated_at,
        "finished_at": summary.finished_at,
        "current_step": {
            "index": summary.current_index,
            "key": summary.current_step_key,
            "prompt": summary.current_prompt,
        },
        "steps": summary.step_count,
        "participants": summary.participant_count,
    }


@session_app.command("list")
@guarded
def list_sessions(
    as_json: Annotated[
        bool, typer.Option("--json", help="A JSON list, one object per session.")
    ] = False,
) -> None:
    """List every session, newest first, with the step it is on."""
    store = existing_session_store()
    summaries: list[SessionSummary] = []
    if store is not None:
        with store:
            summaries = store.list()
    if as_json:
        rows = [_summary_json(summary) for summary in summaries]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not summaries:
        typer.echo(f"No sessions yet. {START_EXAMPLE[0].upper()}{START_EXAMPLE[1:]}")
        return
    for summary in summaries:
        step = f"step {summary.current_index + 1}/{summary.step_count}"
        people = f"{summary.participant_count} participant{'s' if summary.participant_count != 1 else ''}"
        typer.echo(
            f"#{summary.id}  {summary.status}  {short_date(summary.created_at)}  "
            f"{strip_control(summary.title)}  ({strip_control(summary.exercise_id)})  "
            f"{people}  {step}: {strip_control(summary.current_prompt)}"
        )


@session_app.command("report")
@guarded
def report(
    session: SessionArgument,
    format_: Annotated[
        Literal["md", "html"],
        typer.Option("--format", help="md: Markdown; html: one self-contained file for a browser."),
    ] = "md",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (mode 0600) instead of stdout."),
    ] = None,
) -> None:
    """Write a session's report: agenda with real timings, participants, harvest, actions.

    Private entries are never included.
    """
    from peeragogy_tui.core.sessions import render_report_html, render_report_markdown
    from peeragogy_tui.paths import write_private_file

    store = existing_session_store()
    try:
        session_id = resolve_session(store, session)
        assert store is not None
        state = store.load(session_id)
    finally:
        if store is not None:
            store.close()
    now = datetime.now(UTC)
    render = render_report_html if format_ == "html" else render_report_markdown
    text = render(state, now=now)  # local time, named with its offset
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_private_file(output, text, create_parents=False)
    typer.echo(f"Wrote the report of session #{session_id} to {output}", err=True)


def _people(people: str | None, tables: int | None) -> list[str]:
    from peeragogy_tui.core.sessions import table_names

    if people is not None and tables is not None:
        raise PeeragogyError("give --people or --tables, not both")
    if tables is not None:
        if tables < 1:
            raise PeeragogyError("--tables must be 1 or more")
        return table_names(tables)
    if people is None:
        return []
    return [name.strip() for name in people.split(",") if name.strip()]


def _load_session(text: str) -> SessionState:
    """The session named by ``text`` (``latest`` is the newest running one)."""
    store = existing_session_store()
    try:
        session_id = resolve_session(store, text, running=True)
        assert store is not None
        return store.load(session_id)
    finally:
        if store is not None:
            store.close()


def _open(ctx: typer.Context, session_id: int, *, role: str, sound: bool) -> None:
    from peeragogy_tui.cli import _open_tui
    from peeragogy_tui.tui.app import SessionLaunch

    _open_tui(settings_from(ctx), session=SessionLaunch(session_id, role=role, sound=sound))


SoundOption = Annotated[bool, typer.Option("--sound", help="Ring the terminal bell when a step's time is up.")]


@session_app.command("start")
@guarded
def start(
    ctx: typer.Context,
    exercise_id: Annotated[str, typer.Argument(metavar="EXERCISE_ID", help="A group exercise, e.g. knowledge-cafe.")],
    people: Annotated[
        str | None, typer.Option("--people", help='Participants, separated by commas: "Ana, Ben, Chi".')
    ] = None,
    tables: Annotated[
        int | None, typer.Option("--tables", help="Number the participants as tables instead (a café).")
    ] = None,
    group_size: Annotated[
        int | None, typer.Option("--group-size", help="Split into random groups of this size, new ones each round.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="A name for this session (default: the exercise's).")] = None,
    facilitator: Annotated[
        bool, typer.Option("--facilitator", help="Open the facilitator view (notes, private entries).")
    ] = False,
    sound: SoundOption = False,
    exercises_dir: Annotated[
        Path | None, typer.Option("--exercises", help="A folder of exercise files (default: the bundled ones).")
    ] = None,
) -> None:
    """Run a group exercise as a timed session and open it.

    Share this window with the group; follow along with notes in a second
    terminal using 'peeragogy session attach'.
    """
    from peeragogy_tui.cli.exercise_commands import every_exercise, find_exercise
    from peeragogy_tui.core.sessions import require_group_exercise, size_warning
    from peeragogy_tui.launch import SESSION_INSTEAD, require_terminal

    require_terminal("session start", SESSION_INSTEAD)  # before a session is created for nobody

    exercise = find_exercise(ctx, exercise_id, exercises_dir)
    if exercise.kind != "group":
        require_group_exercise(exercise, every_exercise(ctx, exercises_dir))
    names = _people(people, tables)
    warning = size_warning(exercise, len(names))
    if warning:
        typer.echo(f"Warning: {warning}", err=True)
    with session_store() as store:
        session_id = store.create(exercise, participants=names, group_size=group_size, title=title)
    typer.echo(f"Session #{session_id} started. Facilitator view: peeragogy session attach {session_id}", err=True)
    _open(ctx, session_id, role="facilitator" if facilitator else "shared", sound=sound)


@session_app.command("attach")
@guarded
def attach(
    ctx: typer.Context,
    session: Annotated[
        str, typer.Argument(metavar="SESSION", help="A session number, or 'latest' (the newest running one).")
    ] = "latest",
    shared: Annotated[bool, typer.Option("--shared", help="Open the shared view instead of the facilitator view.")] = False,
    sound: SoundOption = False,
) -> None:
    """Open the facilitator view of a live session from a second terminal.

    Both windows share the store; a change in one shows in the other within a second.
    """
    state = _load_session(session)
    _open(ctx, state.id, role="shared" if shared else "facilitator", sound=sound)


@session_app.command("resume")
@guarded
def resume(
    ctx: typer.Context,
    session: Annotated[
        str, typer.Argument(metavar="SESSION", help="A session number, or 'latest' (the newest running one).")
    ] = "latest",
    facilitator: Annotated[
        bool, typer.Option("--facilitator", help="Open the facilitator view (notes, private entries).")
    ] = False,
    sound: SoundOption = False,
    serve: Annotated[
        bool,
        typer.Option("--serve/--no-serve", help="Serve it to browsers again if it was served (on the same port)."),
    ] = True,
) -> None:
    """Bring a session back after a crash or a closed terminal: same step, same time left, every entry.

    A session that was served to browsers is served again on the same port,
    so participants' pages reconnect by themselves.
    """
    state = _load_session(session)
    role = "facilitator" if facilitator else "shared"
    if state.finished:
        typer.echo(f"Session #{state.id} has finished; opening it so you can finish the harvest.", err=True)
    elif serve and _was_served(state.id):
        from peeragogy_tui.cli.session_serve import serve_session

        typer.echo(f"Session #{state.id} was served to browsers; serving it again so they reconnect.", err=True)
        serve_session(ctx, state.id, port=None, lan=_was_served(state.id) == "lan", role=role, sound=sound)
        return
    _open(ctx, state.id, role=role, sound=sound)


def _was_served(session_id: int) -> str | None:
    """``"lan"`` or ``"local"`` if the session was served to browsers, else ``None``."""
    from peeragogy_tui.core.sessions.participation import Participation

    with session_store() as store:
        access = Participation(store).access(session_id)
    if access is None or access.port is None:
        return None
    return "lan" if access.lan else "local"


def register(app: typer.Typer) -> None:
    """Add ``session`` (with ``serve``) to ``app``."""
    from peeragogy_tui.cli import session_serve

    session_serve.register(session_app)
    app.add_typer(session_app, name="session")
