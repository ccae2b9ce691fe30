"""The Starlette application participants talk to: one page, a small JSON API, an event stream.

Routes (nothing else; in particular nothing that moves steps, runs timers,
regroups, deletes or writes reports: participants have no facilitator powers):

* ``GET /`` and ``GET /j/{code}``: the page (the join code travels in the link).
* ``GET /api/roster?code=``: the roster names nobody has joined as yet.
* ``POST /api/join``: ``{code, name}`` -> signed identity cookie.
* ``GET /api/state``: this participant's view (:func:`participant_view`).
* ``POST /api/entries``: ``{kind, text, owner?, private?}`` on the current step.
* ``POST /api/entries/{id}/vote``: +1 a shared question (again: take it back).
* ``GET /api/events``: server-sent events, one ``state`` event per change.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from peeragogy_tui.core.sessions.participant_view import participant_view
from peeragogy_tui.core.sessions.participation import Member
from peeragogy_tui.errors import PeeragogyError
from peeragogy_tui.web.hub import Hub
from peeragogy_tui.web.security import (
    COOKIE_NAME,
    Identity,
    RateLimit,
    allowed_origin,
    code_matches,
    sign_identity,
    verify_identity,
)

__all__ = ["MAX_BODY", "create_web_app"]

MAX_BODY = 8192
"""Largest request body accepted, in bytes (an entry is at most 2,000 characters)."""
COOKIE_SECONDS = 24 * 3600
HEARTBEAT_SECONDS = 15.0
STATIC = Path(__file__).parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


class Refused(Exception):
    """A request we answer with an error status and a message for the page."""

    def __init__(self, status: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.hint = status, message, hint


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=SECURITY_HEADERS)


def create_web_app(
    store_path: Path,
    session_id: int,
    *,
    hosts: Iterable[str],
    clock: Callable[[], datetime] | None = None,
    post_limit: RateLimit | None = None,
) -> Starlette:
    """The participant app of session ``session_id`` in the answers file at ``store_path``.

    ``hosts`` are the ``host:port`` names this server answers to (the Host
    header and the Origin must be one of them).
    """
    hub = Hub(store_path, session_id, clock=clock)
    allowed = set(hosts)
    posts = post_limit or RateLimit(limit=20, seconds=60)
    votes = RateLimit(limit=60, seconds=60)
    wrong_codes = RateLimit(limit=10, seconds=60)
    keys: dict[str, str] = {}

    async def cookie_key() -> str:
        if "key" not in keys:
            access = await hub.run(lambda _s, p: p.access(session_id) or p.open_access(session_id))
            keys["key"] = access.cookie_key
        return keys["key"]

    def check_host(request: Request) -> None:
        if request.headers.get("host") not in allowed:
            raise Refused(403, "unknown host", "open the link the facilitator gave you")

    def check_origin(request: Request, *, required: bool) -> None:
        if not allowed_origin(request.headers.get("origin"), allowed, required=required):
            raise Refused(403, "this request did not come from the session's page")

    async def body(request: Request) -> dict[str, Any]:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            raise Refused(413, f"too much text (at most {MAX_BODY} bytes in one go)")
        data = b""
        async for chunk in request.stream():
            data += chunk
            if len(data) > MAX_BODY:
                raise Refused(413, f"too much text (at most {MAX_BODY} bytes in one go)")
        try:
            parsed = json.loads(data or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise Refused(400, "the request is not JSON") from None
        if not isinstance(parsed, dict):
            raise Refused(400, "the request must be a JSON object")
        return parsed

    async def member_of(request: Request) -> Member:
        identity = verify_identity(request.cookies.get(COOKIE_NAME), await cookie_key())
        if identity is None or identity.session_id != session_id:
            raise Refused(401, "join the session first", "open the join link again")
        member = await hub.run(lambda _s, p: p.member(identity.member_id))
        if member is None or member.removed or member.name != identity.name:
            raise Refused(403, "you are no longer in this session", "ask the facilitator")
        return member

    async def view_for(member: Member) -> dict[str, Any]:
        state = hub.state or await hub.refresh()
        return participant_view(state, member.name, hub.clock())

    def guarded(handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            try:
                check_host(request)
                return await handler(request)  # type: ignore[no-any-return]
            except Refused as refused:
                return _json({"error": refused.message, "hint": refused.hint}, refused.status)
            except PeeragogyError as error:
                return _json({"error": error.message, "hint": error.hint or ""}, 400)

        return endpoint

    async def page(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers=SECURITY_HEADERS)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ("page.js", "page.css"):
            raise Refused(404, "not found")
        return FileResponse(STATIC / name, headers=SECURITY_HEADERS)

    async def roster(request: Request) -> Response:
        access = await hub.run(lambda _s, p: p.access(session_id) or p.open_access(session_id))
        if not code_matches(request.query_params.get("code"), access.join_code):
            raise Refused(403, "this join link is not valid (any more)", "ask the facilitator for the link")
        state = hub.state or await hub.refresh()
        free = [name for name in state.participants if name not in state.members]
        return _json({"title": state.title, "names": free})

    async def join(request: Request) -> Response:
        check_origin(request, required=True)
        address = request.client.host if request.client else "?"
        if wrong_codes.full(address):
            raise Refused(429, "too many wrong join links from here; wait a minute")
        data = await body(request)
        access = await hub.run(lambda _s, p: p.access(session_id) or p.open_access(session_id))
        if not code_matches(data.get("code"), access.join_code):
            wrong_codes.allow(address)  # guessing codes gets slow; people joining do not
            raise Refused(403, "this join link is not valid (any more)", "ask the facilitator for the link")
        name = data.get("name")
        try:
            member = await hub.run(lambda _s, p: p.join(session_id, name))  # type: ignore[arg-type]
        except PeeragogyError as error:
            raise Refused(409, error.message, error.hint or "") from None
        await hub.refresh()
        response = _json(await view_for(member), 201)
        cookie = sign_identity(Identity(session_id, member.id, member.name), access.cookie_key)
        response.set_cookie(
            COOKIE_NAME, cookie, max_age=COOKIE_SECONDS, path="/", httponly=True, samesite="strict"
        )
        return response

    async def state(request: Request) -> Response:
        return _json(await view_for(await member_of(request)))

    async def post_entry(request: Request) -> Response:
        check_origin(request, required=True)
        member = await member_of(request)
        data = await body(request)  # a "name" or "participant" field is ignored: the cookie says who
        if not posts.allow(member.id):
            raise Refused(429, "that is a lot of entries at once; wait a moment")
        kind, text, owner = data.get("kind", "note"), data.get("text"), data.get("owner")
        private = data.get("private") is True
        entry_id = await hub.run(
            lambda _s, p: p.post(member, kind=kind, text=text, owner=owner, private=private)
        )
        await hub.refresh()
        return _json({"id": entry_id, "private": private}, 201)

    async def vote(request: Request) -> Response:
        check_origin(request, required=True)
        member = await member_of(request)
        if not votes.allow(member.id):
            raise Refused(429, "too many votes at once; wait a moment")
        entry_id = int(request.path_params["entry_id"])
        voted = await hub.run(lambda _s, p: p.toggle_vote(member, entry_id))
        await hub.refresh()
        return _json({"id": entry_id, "voted": voted})

    async def events(request: Request) -> Response:
        check_origin(request, required=False)
        member = await member_of(request)

        async def stream() -> AsyncIterator[str]:
            hub.streams += 1
            try:
                yield "retry: 1000\n\n"
                revision = -1
                while True:
                    state = await hub.wait_for_change(revision, HEARTBEAT_SECONDS)
                    if hub.closed or await request.is_disconnected():
                        return
                    if state is None:
                        yield ": keep-alive\n\n"
                        continue
                    revision = state.revision
                    if member.name not in state.members:
                        yield "event: removed\ndata: {}\n\n"
                        return
                    view = participant_view(state, member.name, hub.clock())
                    yield f"event: state\nid: {revision}\ndata: {json.dumps(view, ensure_ascii=False)}\n\n"
            finally:
                hub.streams -= 1

        headers = {**SECURITY_HEADERS, "X-Accel-Buffering": "no"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await hub.start()
        try:
            yield
        finally:
            await hub.stop()

    routes = [
        Route("/", guarded(page)),
        Route("/j/{code}", guarded(page)),
        Route("/static/{name}", guarded(static)),
        Route("/api/roster", guarded(roster)),
        Route("/api/join", guarded(join), methods=["POST"]),
        Route("/api/state", guarded(state)),
        Route("/api/entries", guarded(post_entry), methods=["POST"]),
        Route("/api/entries/{entry_id:int}/vote", guarded(vote), methods=["POST"]),
        Route("/api/events", guarded(events)),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.hub = hub
    return app
