"""``peeragogy session serve``: the participant web page of a live session, and the shared screen.

The server (uvicorn, in a background thread of this process) binds
``127.0.0.1`` unless ``--lan`` is given. The terminal shows the shared view
with the join link, a QR code and how many have joined. Quitting the terminal
stops the server; ``peeragogy session resume`` serves the session again on the
same port, so browsers reconnect by themselves.
"""

from __future__ import annotations

from typing import Annotated

import typer

from peeragogy_tui.cli._common import guarded, settings_from
from peeragogy_tui.errors import PeeragogyError

__all__ = ["DEFAULT_PORT", "serve_session"]

DEFAULT_PORT = 8765
"""The port of a session served for the first time (later: the port it had)."""


def _web_missing(error: ImportError) -> PeeragogyError:
    return PeeragogyError(
        f"the participant web page needs the 'web' extra ({error.name or error} is not installed)",
        hint="install it with: pip install 'peeragogy[web]'",
    )


def serve_session(
    ctx: typer.Context, session_id: int, *, port: int | None, lan: bool, role: str, sound: bool
) -> None:
    """Serve ``session_id`` to browsers and open the terminal view; stop serving when it closes.

    Raises:
        PeeragogyError: the web extra is missing, or the port cannot be used.
    """
    from peeragogy_tui.cli import _open_tui
    from peeragogy_tui.cli.session_commands import session_store
    from peeragogy_tui.core.sessions.participation import Participation
    from peeragogy_tui.tui.app import SessionLaunch

    try:
        from peeragogy_tui.web.server import LAN_WARNING, start_server
    except ImportError as error:
        raise _web_missing(error) from None
    with session_store() as store:
        participation = Participation(store)
        earlier = participation.access(session_id)
        chosen = port if port is not None else (earlier.port if earlier and earlier.port else DEFAULT_PORT)
        path = store.path
        try:
            running = start_server(path, session_id, port=chosen, lan=lan)
        except OSError as error:
            raise PeeragogyError(
                f"cannot serve on port {chosen}: {error.strerror or error}",
                hint="pick another with --port N (or --port 0 for any free one)",
            ) from None
        access = participation.open_access(session_id, port=running.port, lan=lan)
    typer.echo(f"Participants join at {running.join_url(access.join_code)}", err=True)
    if lan:
        typer.echo(LAN_WARNING, err=True)
    try:
        launch = SessionLaunch(session_id, role=role, sound=sound, join_base=running.base_url, lan=lan)
        _open_tui(settings_from(ctx), session=launch)
    finally:
        running.stop()


def register(session_app: typer.Typer) -> None:
    """Add ``serve`` to the ``session`` command group."""
    from peeragogy_tui.cli.session_commands import resolve_session, session_store

    @session_app.command("serve")
    @guarded
    def serve(
        ctx: typer.Context,
        session: Annotated[
            str, typer.Argument(metavar="SESSION", help="A session number, or 'latest' (the newest running one).")
        ] = "latest",
        port: Annotated[
            int | None,
            typer.Option("--port", help=f"The port (default: the session's last one, else {DEFAULT_PORT}; 0: any free)."),
        ] = None,
        lan: Annotated[
            bool, typer.Option("--lan", help="Listen on the local network too (plain HTTP: no TLS).")
        ] = False,
        facilitator: Annotated[
            bool, typer.Option("--facilitator", help="Open the facilitator view (notes, private entries).")
        ] = False,
        sound: Annotated[bool, typer.Option("--sound", help="Ring the terminal bell when a step's time is up.")] = False,
    ) -> None:
        """Let participants take part from their browsers, and show the join link and QR code.

        Binds 127.0.0.1 unless --lan is given. Private entries and facilitator
        notes never reach a browser, and browsers get no facilitator powers.
        """
        with session_store() as store:
            session_id = resolve_session(store, session, running=True)
            if store.load(session_id).finished:
                raise PeeragogyError(
                    f"session #{session_id} has finished", hint="start a new session to serve it"
                )
        serve_session(ctx, session_id, port=port, lan=lan, role="facilitator" if facilitator else "shared", sound=sound)
