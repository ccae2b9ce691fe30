"""Pilot tests: a whole Knowledge Café run in the session screen with a fake clock (no real waiting)."""

from __future__ import annotations

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.sessions import open_session_store, render_report_markdown
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import SessionLaunch, create_app
from peeragogy_tui.tui.dialogs.harvest_entry import HarvestDialog
from peeragogy_tui.tui.screens.session import SessionScreen
from peeragogy_tui.tui.widgets.session_clock import SessionClock
from session_support import FakeClock, exercise

SIZE = (100, 30)
PEOPLE = ["Ana", "Ben", "Chi", "Dee", "Eli", "Fay", "Gus", "[@click=app.quit]Hal"]


def visible_text(app) -> str:
    """What the screen shows, as plain text (from the SVG screenshot)."""
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def new_session(clock: FakeClock, *, group_size: int | None = 4) -> int:
    with open_session_store(clock=clock) as store:
        return store.create(exercise("knowledge-cafe"), participants=PEOPLE, group_size=group_size, seed=7)


def make(clock: FakeClock, session_id: int, role: str = "shared"):
    return create_app(
        load_handbook(bundled_handbook_dir()),
        exercises_dir=bundled_exercises_dir(),
        restore=False,
        session=SessionLaunch(session_id, role=role, clock=clock),
    )


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


async def test_full_knowledge_cafe_with_a_fake_clock() -> None:
    clock = FakeClock()
    session_id = new_session(clock)
    app = make(clock, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        clock_widget = screen.query_one(SessionClock)
        assert clock_widget.state == "ready"
        assert clock_widget.digits == "10:00"

        # Welcome: start, run 9 minutes, pause, add a minute, resume.
        await pilot.press("space")
        clock.tick(minutes=9)
        screen.tick()
        assert clock_widget.state == "last-minute" and clock_widget.digits == "1:00"
        await pilot.press("space")  # pause
        clock.tick(minutes=5)  # paused time does not count
        screen.tick()
        assert clock_widget.state == "paused" and clock_widget.digits == "1:00"
        await pilot.press("plus")
        screen.tick()
        assert clock_widget.digits == "2:00"
        await pilot.press("space")  # resume
        clock.tick(minutes=2, seconds=5)
        screen.tick()
        assert clock_widget.state == "over"
        assert clock_widget.digits == "+0:05"
        assert screen.time_up_signals == 1
        # Time is up but the session waits for the facilitator.
        assert screen.state.current_index == 0

        # Three rounds: each starts its own timer on n; rounds 2 and 3 regroup.
        groups_seen = []
        for round_number in (1, 2, 3):
            await pilot.press("n")
            assert screen.state.current.step_key == f"round-{round_number}"
            assert clock_widget.state == "running"
            groups = screen.state.groups_for(screen.state.current_index)
            assert sorted(name for group in groups for name in group) == sorted(PEOPLE)
            groups_seen.append(groups)
            clock.tick(minutes=screen.state.current.planned_seconds / 60)
            screen.tick()
            assert clock_widget.state == "over"
        assert groups_seen[1] != groups_seen[0], "round 2 changes tables"
        assert screen.time_up_signals == 4

        # Harvest: record a public and a private entry through the dialog.
        await pilot.press("n")
        assert screen.state.current.step_key == "harvest"
        await pilot.press("h")
        assert isinstance(app.screen, HarvestDialog)
        await type_text(pilot, "Groups keep going when they meet weekly")
        await pilot.press("ctrl+s")
        await pilot.press("h")
        await type_text(pilot, "PRIVATE-TOKEN Ben seemed unhappy")
        await pilot.click("#harvest-private")
        await pilot.press("ctrl+s")
        await pilot.pause()
        entries = screen.state.entries_for("harvest")
        assert [entry.private for entry in entries] == [False, True], entries
        text = visible_text(app)
        assert "weekly" in text
        assert "PRIVATE-TOKEN" not in text, "the shared view never shows private entries"

        # Finish the text steps and the session.
        for _ in range(4):
            await pilot.press("n")
        assert screen.state.finished

    with open_session_store(clock=clock) as store:
        state = store.load(session_id)
    report = render_report_markdown(state)
    assert "Groups keep going when they meet weekly" in report
    assert "PRIVATE-TOKEN" not in report
    assert [step.skipped for step in state.steps].count(True) == 0
    assert state.steps[0].active_time() > 0


async def test_facilitator_view_shows_notes_and_private_entries_shared_view_does_not() -> None:
    clock = FakeClock()
    session_id = new_session(clock)
    with open_session_store(clock=clock) as store:
        store.add_entry(session_id, step_key="welcome", kind="note", text="SECRET-NOTE only for me", private=True)
    note = exercise("knowledge-cafe").steps[0].facilitator
    assert note

    app = make(clock, session_id, role="shared")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shared = visible_text(app)
        assert "SECRET-NOTE" not in shared
        assert note.split()[0] not in shared or "Keep the introduction" not in shared

    app = make(clock, session_id, role="facilitator")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        facilitator = visible_text(app)
        assert "SECRET-NOTE" in facilitator
        assert "private" in facilitator
        assert "Keep the introduction" in facilitator


async def test_a_change_from_another_window_shows_up() -> None:
    clock = FakeClock()
    session_id = new_session(clock)
    app = make(clock, session_id, role="facilitator")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        with open_session_store(clock=clock) as other:  # a second connection, as another process would use
            other.add_entry(session_id, step_key="welcome", kind="question", text="Who keeps the notes?")
            other.start_timer(session_id)
        await pilot.pause(0.6)  # more than two poll intervals
        assert [entry.text for entry in screen.state.entries] == ["Who keeps the notes?"]
        assert screen.query_one(SessionClock).state == "running"


async def test_participant_names_are_never_markup() -> None:
    clock = FakeClock()
    session_id = new_session(clock, group_size=None)
    app = make(clock, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.is_running
        assert "[@click=app.quit]Hal" in visible_text(app)


async def test_start_a_session_from_the_exercise_list() -> None:
    from peeragogy_tui.tui.dialogs.roster import RosterDialog
    from peeragogy_tui.tui.screens.exercise_list import ExerciseListScreen

    app = create_app(load_handbook(bundled_handbook_dir()), exercises_dir=bundled_exercises_dir(), restore=False)
    async with app.run_test(size=SIZE) as pilot:
        app.main_screen.open_chapter("conversational-leadership")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseListScreen)
        listing = app.screen
        options = listing.query_one("#exercise-options")
        index = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == "knowledge-cafe")
        options.highlighted = index
        await pilot.press("s")
        assert isinstance(app.screen, RosterDialog)
        await type_text(pilot, "Ana")
        await pilot.press("enter")
        await type_text(pilot, "Ben")
        await pilot.press("enter")
        await type_text(pilot, "Chi")
        await pilot.press("enter")
        await type_text(pilot, "Dee")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.state.exercise_id == "knowledge-cafe"
        assert screen.state.participants == ["Ana", "Ben", "Chi", "Dee"]
        assert len(screen.state.groups_for(0)) == 1  # 4 people, groups of 4
        await pilot.press("escape")
        assert app.screen is listing, "leaving the session goes back where you were"


async def test_resume_after_a_closed_terminal_brings_back_step_time_and_harvest() -> None:
    clock = FakeClock()
    session_id = new_session(clock)
    app = make(clock, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("space")  # welcome starts
        clock.tick(minutes=10)
        await pilot.press("n")  # round 1 starts
        clock.tick(minutes=3)
        await pilot.press("h")
        await type_text(pilot, "kept after the crash")
        await pilot.press("ctrl+s")
        await pilot.pause()
    # The window is gone (as after a crash: everything was saved as it happened). Seven minutes pass.
    clock.tick(minutes=7)
    app = make(clock, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.state.current.step_key == "round-1"
        assert screen.query_one(SessionClock).digits == "10:00"  # 20 planned, 10 gone by the wall clock
        assert [entry.text for entry in screen.state.entries] == ["kept after the crash"]


async def test_w_writes_the_report_without_private_entries(tmp_path, monkeypatch) -> None:
    clock = FakeClock()
    session_id = new_session(clock)
    with open_session_store(clock=clock) as store:
        store.add_entry(session_id, step_key="welcome", kind="note", text="PUBLIC-TOKEN")
        store.add_entry(session_id, step_key="welcome", kind="note", text="PRIVATE-TOKEN", private=True)
    monkeypatch.chdir(tmp_path)
    app = make(clock, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
    for suffix in (".html", ".md"):
        path = tmp_path / f"session-{session_id}{suffix}"
        text = path.read_text(encoding="utf-8")
        assert "PUBLIC-TOKEN" in text and "PRIVATE-TOKEN" not in text
        assert path.stat().st_mode & 0o777 == 0o600


async def test_help_on_the_session_screen_lists_its_keys() -> None:
    from peeragogy_tui.tui.screens.help import HelpScreen

    clock = FakeClock()
    app = make(clock, new_session(clock))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = visible_text(app)
        assert "This screen: Session" in text
        assert "Record a note, question or action" in text


async def test_presenter_mode_never_shows_the_facilitator_pane() -> None:
    clock = FakeClock()
    session_id = new_session(clock)
    with open_session_store(clock=clock) as store:
        store.add_entry(session_id, step_key="welcome", kind="note", text="SECRET-NOTE", private=True)
    app = make(clock, session_id, role="facilitator")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        assert "SECRET-NOTE" in visible_text(app)
        await pilot.press("f5")
        await pilot.pause()
        assert app.presenting
        text = visible_text(app)
        assert "SECRET-NOTE" not in text and "Keep the introduction" not in text
