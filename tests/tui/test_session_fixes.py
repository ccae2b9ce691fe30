"""Pilot tests for what broke when the session screen was tried as a user would (issue 10)."""

from __future__ import annotations

from session_support import FakeClock
from test_session_screen import make, new_session, type_text, visible_text
from textual.widgets._footer import FooterKey

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.sessions import open_session_store
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.dialogs.harvest_entry import HarvestDialog
from peeragogy_tui.tui.dialogs.roster import RosterDialog
from peeragogy_tui.tui.screens.session import SessionScreen
from peeragogy_tui.tui.widgets.session_clock import ANSWER_WORD, SessionClock

SIZE = (100, 30)


async def _harvest(pilot, text: str) -> None:
    await pilot.press("h")
    await type_text(pilot, text)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_the_harvest_of_the_whole_session_stays_on_the_shared_screen_newest_first() -> None:
    clock = FakeClock()
    app = make(clock, new_session(clock))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _harvest(pilot, "from the welcome")
        await pilot.press("n")
        await _harvest(pilot, "from round one")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.state.current.step_key == "round-2"
        text = visible_text(app)
        assert "Welcome · • from the welcome" in text
        assert "Round 1 · • from round one" in text
        assert text.index("from round one") < text.index("from the welcome"), "newest first"


async def test_the_facilitator_view_lists_every_entry_with_its_round() -> None:
    clock = FakeClock()
    session_id = new_session(clock)
    with open_session_store(clock=clock) as store:
        store.add_entry(session_id, step_key="welcome", kind="note", text="early one", private=True)
        store.advance(session_id)
        store.add_entry(session_id, step_key="round-1", kind="question", text="later one")
    app = make(clock, session_id, role="facilitator")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        text = visible_text(app)
        assert "Round 1 · ? later one" in text and "Welcome · • early one" in text
        assert text.index("later one") < text.index("early one")


def _footer_keys(app) -> dict[str, FooterKey]:
    return {key.key: key for key in app.screen.query(FooterKey)}


def _fully_visible(app, keys: dict[str, FooterKey]) -> set[str]:
    palette = keys.get("ctrl+p")
    limit = palette.region.x if palette is not None else app.size.width
    return {name for name, key in keys.items() if name != "ctrl+p" and key.region.right <= limit}


async def test_the_session_footer_shows_the_keys_that_matter_at_80_columns() -> None:
    clock = FakeClock()
    app = make(clock, new_session(clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = _footer_keys(app)
        shown = _fully_visible(app, keys)
        assert {"space", "n", "h", "v", "escape", "question_mark"} <= shown
        assert shown == set(keys) - {"ctrl+p"}, "nothing is cut off at the edge"
        await pilot.press("question_mark")
        await pilot.pause()
        listed = {binding.action for _title, group in app.screen._groups for binding in group}
        for hidden in ("regroup", "write_report", "end_session", "skip_step", "roster", "add_minute(1)"):
            assert hidden in listed, f"{hidden} is behind ?"


async def test_the_reader_footer_keeps_help_and_quit_at_80_columns() -> None:
    app = create_app(load_handbook(bundled_handbook_dir()), exercises_dir=bundled_exercises_dir(), restore=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = _footer_keys(app)
        shown = _fully_visible(app, keys)
        assert {"question_mark", "q", "e", "slash"} <= shown
        assert shown == set(keys) - {"ctrl+p"}, "nothing is cut off at the edge"


async def test_a_text_step_says_how_to_answer_and_enter_saves_one_entry_per_line() -> None:
    clock = FakeClock()
    session_id = new_session(clock)
    with open_session_store(clock=clock) as store:
        for _ in range(5):
            store.advance(session_id)
    app = make(clock, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.state.current.step_key == "insights"
        assert screen.query_one(SessionClock).word == ANSWER_WORD
        assert "this step asks for answers" in visible_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HarvestDialog)
        await type_text(pilot, "people stay when they teach")
        await pilot.press("enter")
        await type_text(pilot, "short meetings work")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [(e.step_key, e.text) for e in screen.state.entries] == [
            ("insights", "people stay when they teach"),
            ("insights", "short meetings work"),
        ]


async def test_the_roster_box_starts_with_the_cursor_after_the_last_name() -> None:
    clock = FakeClock()
    app = make(clock, new_session(clock, group_size=None))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = list(app.screen.state.participants)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RosterDialog)
        await pilot.press("enter")
        await type_text(pilot, "Ivy")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.state.participants == [*before, "Ivy"]


async def test_w_never_overwrites_an_earlier_report(tmp_path, monkeypatch) -> None:
    clock = FakeClock()
    session_id = new_session(clock)
    monkeypatch.chdir(tmp_path)
    (tmp_path / f"session-{session_id}.md").write_text("my edited notes", encoding="utf-8")
    app = make(clock, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
    assert (tmp_path / f"session-{session_id}.md").read_text(encoding="utf-8") == "my edited notes"
    assert not (tmp_path / f"session-{session_id}.html").exists(), "a pair is written together"
    for stem in (f"session-{session_id}-2", f"session-{session_id}-3"):
        for suffix in (".html", ".md"):
            assert (tmp_path / f"{stem}{suffix}").stat().st_mode & 0o777 == 0o600


async def test_a_solo_exercise_cannot_start_a_session_from_the_app() -> None:
    app = create_app(load_handbook(bundled_handbook_dir()), exercises_dir=bundled_exercises_dir(), restore=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.start_session("reflect-convening")
        await pilot.pause()
        assert not isinstance(app.screen, RosterDialog)
        assert any("solo exercise" in str(n.message) and "knowledge-cafe" in str(n.message) for n in app._notifications)
