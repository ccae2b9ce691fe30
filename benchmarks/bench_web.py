"""Participant server: memory with 1, 10 and 30 open event streams, and the delay from a store
change to the 30th client, against a bare Starlette SSE endpoint measured in the same run.

    python benchmarks/bench_web.py [--reps N] [--out FILE]

Each server runs in its own process (so its memory is its own); clients are httpx streams
in this process. *Ours* is ``peeragogy_tui.web`` serving a Knowledge Café from a fresh store;
the change is an entry added to the store by this process (another process, as the
facilitator's terminal would), and the delay runs until the 30th stream has an event
holding it. *Bare* is a Starlette app with one SSE endpoint fed by an in-memory event that a
POST sets: no store, no polling, no identities. Memory is VmRSS of the server process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COUNTS = (1, 10, 30)


# -- the servers (child processes) -------------------------------------------------------


def _serve_bare(port_file: Path) -> None:
    import socket

    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse, StreamingResponse
    from starlette.routing import Route

    box = {"event": asyncio.Event(), "count": 0}

    async def events(request):
        async def stream():
            seen = -1
            while True:
                if box["count"] != seen:
                    seen = box["count"]
                    yield f"data: {json.dumps({'count': seen})}\n\n"
                await box["event"].wait()

        return StreamingResponse(stream(), media_type="text/event-stream")

    async def poke(request):
        box["count"] += 1
        box["event"].set()
        box["event"] = asyncio.Event()
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/events", events), Route("/poke", poke, methods=["POST"])])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port_file.write_text(str(sock.getsockname()[1]))
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[sock])


def _serve_ours(port_file: Path) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from session_support import exercise

    from peeragogy_tui.core.sessions import open_session_store
    from peeragogy_tui.core.sessions.participation import Participation
    from peeragogy_tui.web.server import start_server

    with open_session_store() as store:
        session_id = store.create(exercise("knowledge-cafe"), participants=[], group_size=None)
        code = Participation(store).open_access(session_id).join_code
        path = store.path
    running = start_server(path, session_id, port=0)
    port_file.write_text(json.dumps({"port": running.port, "code": code, "session": session_id}))
    running.thread.join()


# -- measuring -----------------------------------------------------------------------------------


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _start(kind: str, home: Path) -> tuple[subprocess.Popen, dict]:
    port_file = home / f"{kind}.port"
    env = {**os.environ, "PEERAGOGY_HOME": str(home / "data"), "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, __file__, "--serve", kind, str(port_file)], env=env)
    for _ in range(300):
        if port_file.exists() and port_file.read_text():
            text = port_file.read_text()
            return child, (json.loads(text) if kind == "ours" else {"port": int(text)})
        time.sleep(0.05)
    child.kill()
    raise RuntimeError(f"the {kind} server did not start")


async def _streams(kind: str, info: dict, count: int, httpx) -> tuple[list, list]:
    base = f"http://127.0.0.1:{info['port']}"
    clients, lines = [], []
    for number in range(count):
        client = httpx.AsyncClient(base_url=base, timeout=30, headers={"Origin": base})
        if kind == "ours":
            joined = await client.post("/api/join", json={"code": info["code"], "name": f"P{len(clients)}-{time.monotonic_ns()}"})
            assert joined.status_code == 201, joined.text
            path = "/api/events"
        else:
            path = "/events"
        response = await client.send(client.build_request("GET", path), stream=True)
        iterator = response.aiter_lines()
        async for line in iterator:  # the first state
            if line.startswith("data: "):
                break
        clients.append((client, response))
        lines.append(iterator)
        del number
    return clients, lines


async def _until(iterator, marker: str) -> float:
    async for line in iterator:
        if line.startswith("data: ") and marker in line:
            return time.perf_counter()
    raise RuntimeError("stream ended")


async def _delay(kind: str, info: dict, lines: list, rep: int, httpx, store_path: Path | None) -> float:
    marker = f"change-{rep}-{time.monotonic_ns()}"
    waiters = [asyncio.create_task(_until(iterator, marker if kind == "ours" else f'"count": {rep + 1}'))
               for iterator in lines]
    await asyncio.sleep(0.3)  # every waiter is reading
    if kind == "ours":
        from peeragogy_tui.core.sessions import open_session_store

        with open_session_store(store_path) as store:
            started = time.perf_counter()
            store.add_entry(info["session"], step_key="welcome", kind="note", text=marker)
    else:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{info['port']}") as poker:
            started = time.perf_counter()
            await poker.post("/poke")
    arrived = await asyncio.wait_for(asyncio.gather(*waiters), 30)
    return (max(arrived) - started) * 1000


async def _measure(kind: str, reps: int, home: Path) -> dict:
    import httpx

    child, info = _start(kind, home)
    results: dict = {"rss_mb": {}, "delay_ms": []}
    try:
        time.sleep(0.5)
        results["rss_idle_mb"] = _rss_mb(child.pid)
        opened: list = []
        lines: list = []
        for count in COUNTS:
            more, more_lines = await _streams(kind, info, count - len(opened), httpx)
            opened += more
            lines += more_lines
            await asyncio.sleep(0.5)
            results["rss_mb"][count] = _rss_mb(child.pid)
        store_path = home / "data" / "answers.sqlite3"
        for rep in range(reps):
            results["delay_ms"].append(await _delay(kind, info, lines, rep, httpx, store_path))
        results["rss_after_mb"] = _rss_mb(child.pid)
        for client, response in opened:
            await response.aclose()
            await client.aclose()
    finally:
        child.terminate()
        child.wait(10)
    return results


def _cell(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} ms (max {max(values):.0f}, n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "web_results.md")
    parser.add_argument("--serve", nargs=2, metavar=("KIND", "PORTFILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        kind, port_file = args.serve
        (_serve_ours if kind == "ours" else _serve_bare)(Path(port_file))
        return
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        os.environ["PEERAGOGY_HOME"] = str(home / "data")
        sys.path.insert(0, str(REPO))
        ours = asyncio.run(_measure("ours", args.reps, home))
        bare = asyncio.run(_measure("bare", args.reps, home))
    load = os.getloadavg()
    rows = [
        "| measurement | ours (`peeragogy_tui.web`) | bare Starlette SSE, same run | target | met? |",
        "|---|---|---|---|---|",
        f"| server RSS, no client | {ours['rss_idle_mb']:.0f} MB | {bare['rss_idle_mb']:.0f} MB | — | — |",
    ]
    for count in COUNTS:
        target, met = ("< 80 MB", "yes" if ours["rss_mb"][count] < 80 else "**no**") if count == 30 else ("—", "—")
        rows.append(f"| server RSS, {count} open streams | {ours['rss_mb'][count]:.0f} MB | {bare['rss_mb'][count]:.0f} MB | {target} | {met} |")
    met = "yes" if statistics.median(ours["delay_ms"]) < 300 and max(ours["delay_ms"]) < 300 else "**no**"
    rows.append(f"| store change → 30th client (median, max) | {_cell(ours['delay_ms'])} | {_cell(bare['delay_ms'])} | < 300 ms | {met} |")
    header = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} CPUs, "
        f"load average {load[0]:.2f}; Python {sys.version.split()[0]}.\n"
        "Ours: the change is an entry written to the store by another process; the server polls the "
        "session's revision every 0.1 s. Bare: an in-memory event set by a POST (no store, no polling).\n"
    )
    table = header + "\n" + "\n".join(rows) + "\n"
    print(table)
    args.out.write_text("# Participant server benchmark (`benchmarks/bench_web.py`)\n\n" + table, encoding="utf-8")
    (args.out.with_suffix(".json")).write_text(json.dumps({"ours": ours, "bare": bare}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
