"""Pilot tests: the shared screen while a session is served to browsers (join panel, votes, code)."""

from __future__ import annotations

import pytest

pytest.importorskip("segno", reason="the web extra is not installed: pip install '.[web]'")

from session_support import FakeClock, exercise  # noqa: E402
from test_session_screen import visible_text  # noqa: E402

from peeragogy_tui.core.handbook import load_handbook  # noqa: E402
from peeragogy_tui.core.sessions import open_session_store  # noqa: E402
from peeragogy_tui.core.sessions.participation import Participation  # noqa: E402
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir  # noqa: E402
from peeragogy_tui.tui.app import SessionLaunch, create_app  # noqa: E402
from peeragogy_tui.tui.widgets.join_panel import JoinPanel  # noqa: E402

BASE = "http://127.0.0.1:8765"


def served(clock: FakeClock) -> tuple[int, str]:
    with open_session_store(clock=clock) as store:
        session_id = store.create(exercise("knowledge-cafe"), participants=["Ana", "Ben"], group_size=2, seed=1)
        return session_id, Participation(store).open_access(session_id, port=8765).join_code


def make(clock: FakeClock, session_id: int, role: str = "shared"):
    launch = SessionLaunch(session_id, role=role, clock=clock, join_base=BASE)
    return create_app(load_handbook(bundled_handbook_dir()), exercises_dir=bundled_exercises_dir(), restore=False, session=launch)


async def test_the_shared_screen_shows_the_link_a_qr_code_and_who_joined() -> None:
    clock = FakeClock()
    session_id, code = served(clock)
    app = make(clock, session_id)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(JoinPanel)
        assert panel.url == f"{BASE}/j/{code}" and panel.joined == 0
        text = visible_text(app)
        assert f"{BASE}/j/{code}" in text and "nobody yet" in text
        assert "█" in text and "▀" in text, "the QR code is drawn"
        with open_session_store(clock=clock) as other:  # a browser joins through the server's connection
            Participation(other).join(session_id, "Ana")
        await pilot.pause(0.6)
        assert panel.joined == 1 and "1 joined" in visible_text(app)
        await pilot.press("j")
        await pilot.pause()
        assert "▀" not in visible_text(app) and "j shows the QR code" in visible_text(app)
        await pilot.press("J")
        await pilot.pause()
        assert panel.url != f"{BASE}/j/{code}"
        with open_session_store(clock=clock) as other:
            assert panel.url == f"{BASE}/j/{Participation(other).access(session_id).join_code}"


async def test_o_sorts_the_harvest_by_votes() -> None:
    clock = FakeClock()
    session_id, _code = served(clock)
    with open_session_store(clock=clock) as store:
        participation = Participation(store)
        ana, ben = participation.join(session_id, "Ana"), participation.join(session_id, "Ben")
        popular = participation.post(ana, kind="question", text="POPULAR question")
        participation.post(ben, kind="question", text="NEWER question")
        participation.toggle_vote(ana, popular)
        participation.toggle_vote(ben, popular)
    app = make(clock, session_id)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        text = visible_text(app)
        assert text.index("NEWER question") < text.index("POPULAR question"), "newest first by default"
        assert "POPULAR question  (Ana)  +2" in text
        await pilot.press("o")
        await pilot.pause()
        text = visible_text(app)
        assert text.index("POPULAR question") < text.index("NEWER question")
        assert "most +1 first" in text


async def test_taking_someone_off_the_roster_lets_their_browser_go() -> None:
    clock = FakeClock()
    session_id, _code = served(clock)
    with open_session_store(clock=clock) as store:
        Participation(store).join(session_id, "Ana")
        Participation(store).join(session_id, "Ben")
    app = make(clock, session_id, role="facilitator")
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        area = app.screen.query_one("TextArea")
        area.text = "Ana\nChi"
        await pilot.press("ctrl+s")
        await pilot.pause()
    with open_session_store(clock=clock) as store:
        state = store.load(session_id)
    assert state.members == ["Ana"] and state.participants == ["Ana", "Chi"]
