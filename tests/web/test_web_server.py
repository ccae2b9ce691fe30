"""A real uvicorn on 127.0.0.1, port 0: 30 participants at once, and live events across processes."""

from __future__ import annotations

import asyncio
import json
import sys
import threading

import pytest

pytest.importorskip("uvicorn", reason="the web extra is not installed: pip install '.[web]'")
httpx = pytest.importorskip("httpx", reason="httpx (in the test extra) is needed for these tests")

from web_support import served_session  # noqa: E402

from peeragogy_tui.core.sessions import open_session_store  # noqa: E402
from peeragogy_tui.web.security import COOKIE_NAME  # noqa: E402
from peeragogy_tui.web.server import start_server  # noqa: E402

PEOPLE = [f"Person {number:02d}" for number in range(1, 31)]


@pytest.fixture
def server():
    served = served_session(people=[], group_size=None)
    running = start_server(served.path, served.session_id, port=0)
    yield served, running
    running.stop()


def _join(base: str, code: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=base, headers={"Origin": base}, timeout=20)
    response = client.post("/api/join", json={"code": code, "name": name})
    assert response.status_code == 201, response.text
    return client


def test_it_binds_127_0_0_1_on_a_free_port(server) -> None:
    _served, running = server
    assert running.sock.getsockname()[0] == "127.0.0.1" and running.port > 0
    assert running.base_url == f"http://127.0.0.1:{running.port}"


def test_thirty_participants_join_and_post_at_the_same_moment(server) -> None:
    served, running = server
    clients = [_join(running.base_url, served.code, name) for name in PEOPLE]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def post(client: httpx.Client, number: int) -> None:
        barrier.wait()
        response = client.post("/api/entries", json={"kind": "note", "text": f"idea {number}"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(client, n)) for n, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for client in clients:
        client.close()
    assert statuses == [201] * 30
    with open_session_store() as store:
        state = store.load(served.session_id)
    public = state.public_entries()
    assert len(public) == 30
    assert sorted(entry.participant for entry in public) == PEOPLE
    assert sorted(entry.text for entry in public) == sorted(f"idea {n}" for n in range(30))
    assert state.members == PEOPLE or sorted(state.members) == PEOPLE


async def _first_state(lines) -> dict:
    async for line in lines:
        if line.startswith("data: {"):
            return json.loads(line[6:])
    raise AssertionError("the stream ended")


def test_a_change_made_in_another_process_reaches_every_client(server) -> None:
    served, running = server
    cookies = []
    for name in PEOPLE[:30]:
        client = _join(running.base_url, served.code, name)
        cookies.append(client.cookies[COOKIE_NAME])
        client.close()

    async def scenario() -> list[str]:
        clients = [
            httpx.AsyncClient(base_url=running.base_url, cookies={COOKIE_NAME: c}, timeout=30) for c in cookies
        ]
        try:
            async with asyncio.TaskGroup() as group:
                streams = [group.create_task(_open(client)) for client in clients]
            opened = [task.result() for task in streams]
            for first, _lines, _response in opened:
                assert "from another process" not in json.dumps(first)
            child = (
                "from peeragogy_tui.core.sessions import open_session_store\n"
                f"with open_session_store() as store:\n"
                f"    store.add_entry({served.session_id}, step_key='welcome', kind='question',"
                " text='from another process')\n"
            )
            done = await asyncio.create_subprocess_exec(sys.executable, "-c", child)
            assert await done.wait() == 0
            seen = await asyncio.wait_for(
                asyncio.gather(*(_until(lines, "from another process") for _f, lines, _r in opened)), 20
            )
            for _first, _lines, response in opened:
                await response.aclose()
            return seen
        finally:
            for client in clients:
                await client.aclose()

    async def _open(client: httpx.AsyncClient):
        request = client.build_request("GET", "/api/events")
        response = await client.send(request, stream=True)
        assert response.status_code == 200
        lines = response.aiter_lines()
        return await _first_state(lines), lines, response

    async def _until(lines, text: str) -> str:
        async for line in lines:
            if line.startswith("data: {"):
                view = json.loads(line[6:])
                if any(entry["text"] == text for entry in view["harvest"]):
                    return view["you"]["name"]
        raise AssertionError("the stream ended before the change arrived")

    names = asyncio.run(scenario())
    assert sorted(names) == PEOPLE[:30], "every client got the change, each in its own view"


def test_a_restarted_server_on_the_same_port_knows_everyone(server) -> None:
    served, running = server
    client = _join(running.base_url, served.code, "Ana")
    cookie = client.cookies[COOKIE_NAME]
    client.close()
    port = running.port
    running.stop()
    again = start_server(served.path, served.session_id, port=port)
    try:
        with httpx.Client(base_url=again.base_url, cookies={COOKIE_NAME: cookie}, timeout=10) as back:
            assert back.get("/api/state").json()["you"]["name"] == "Ana"
    finally:
        again.stop()
