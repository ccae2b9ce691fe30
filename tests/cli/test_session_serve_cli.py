"""``peeragogy session serve``: a real server while the terminal view is open, stopped after it."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("uvicorn", reason="the web extra is not installed: pip install '.[web]'")
httpx = pytest.importorskip("httpx", reason="httpx (in the test extra) is needed")

from session_support import exercise  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

import peeragogy_tui.cli as cli  # noqa: E402
from peeragogy_tui.cli import app  # noqa: E402
from peeragogy_tui.core.sessions import open_session_store  # noqa: E402

runner = CliRunner()


@pytest.fixture
def opened(monkeypatch) -> list[dict]:
    """While the 'terminal' is open, fetch the join page's roster through the real server."""
    calls: list[dict] = []

    def fake_open(settings, **options):
        launch = options["session"]
        with open_session_store() as store:
            from peeragogy_tui.core.sessions.participation import Participation

            code = Participation(store).access(launch.session_id).join_code
        roster = httpx.get(f"{launch.join_base}/api/roster", params={"code": code}, timeout=10)
        calls.append({"launch": launch, "roster": roster.json(), "code": code})

    monkeypatch.setattr(cli, "_open_tui", fake_open)
    return calls


def _session(people=("Ana", "Ben")) -> int:
    with open_session_store() as store:
        return store.create(exercise("knowledge-cafe"), participants=list(people))


def test_serve_binds_localhost_prints_the_link_and_stops_after(opened) -> None:
    session_id = _session()
    result = runner.invoke(app, ["session", "serve", str(session_id), "--port", "0"])
    assert result.exit_code == 0, result.output
    call = opened[0]
    assert call["roster"]["names"] == ["Ana", "Ben"]
    base = call["launch"].join_base
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
    assert f"{base}/j/{call['code']}" in result.output and "TLS" not in result.output
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{base}/api/roster", timeout=2)


def test_serve_on_the_lan_warns_that_there_is_no_tls(opened) -> None:
    result = runner.invoke(app, ["session", "serve", str(_session()), "--port", "0", "--lan"])
    assert result.exit_code == 0, result.output
    assert "no TLS" in result.output and opened[0]["launch"].lan


def test_resume_serves_a_served_session_again_on_its_port(opened) -> None:
    session_id = _session()
    assert runner.invoke(app, ["session", "serve", str(session_id), "--port", "0"]).exit_code == 0
    first = opened[-1]["launch"].join_base
    result = runner.invoke(app, ["session", "resume", str(session_id)])
    assert result.exit_code == 0, result.output
    assert "serving it again" in result.output
    assert opened[-1]["launch"].join_base == first, "same port: browsers reconnect by themselves"


def test_serve_refuses_a_finished_session_and_a_busy_port(opened) -> None:
    import socket

    finished = _session()
    with open_session_store() as store:
        store.finish(finished)
    result = runner.invoke(app, ["session", "serve", str(finished)])
    assert result.exit_code == 2 and "finished" in result.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        busy = runner.invoke(app, ["session", "serve", str(_session()), "--port", str(port)])
    assert busy.exit_code == 2 and f"port {port}" in busy.output and "--port" in busy.output
    assert "Traceback" not in busy.output and opened == []
