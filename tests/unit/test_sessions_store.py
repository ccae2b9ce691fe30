"""The session store: a full Knowledge Café with a fake clock, harvest, revisions, migration."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from session_support import REPO, T0, FakeClock, exercise

from peeragogy_tui.core.sessions import (
    SessionStore,
    SessionWatcher,
    open_session_store,
    repeated_pairs,
)
from peeragogy_tui.core.store import DB_NAME, database, open_store, schema
from peeragogy_tui.errors import PeeragogyError

PEOPLE = [f"Person {number}" for number in range(1, 13)]
TRICKY = [
    "[@click=app.quit]",
    "[bold]x[/]",
    "\x1b[31mred\x1b[0m",
    "emoji 🎉 Café 漢字",
    "line one\nline two\r\n\ttabbed",
    "  spaces kept  ",
    "| pipe | and [x](javascript:alert(1))",
]


def test_sessions_live_in_the_answers_file(sessions: SessionStore, private_home: Path) -> None:
    assert sessions.path == private_home / DB_NAME
    assert sessions.db.read("PRAGMA user_version")[0][0] == len(database.MIGRATIONS)


def test_knowledge_cafe_walk_through(sessions: SessionStore, clock: FakeClock) -> None:
    cafe = exercise("knowledge-cafe")
    sid = sessions.create(cafe, participants=PEOPLE, group_size=4, seed=3, title="Café, May")
    state = sessions.load(sid)
    assert (state.title, state.exercise_id, state.status) == (
        "Café, May",
        "knowledge-cafe",
        "running",
    )
    assert state.facilitator_notes == cafe.facilitator_notes
    assert [step.step_key for step in state.steps] == cafe.keys
    assert state.current_index == 0 and state.current.step_key == "welcome"
    assert state.current.countdown.started_at is None, "the host starts the welcome when ready"
    assert state.current.started_at == "2024-05-01T09:00:00+00:00"
    tables = state.groups_for(0)
    assert sorted(len(group) for group in tables) == [4, 4, 4]
    assert sorted(name for group in tables for name in group) == sorted(PEOPLE)

    # Welcome: started a minute late, runs one minute over.
    clock.tick(minutes=1)
    sessions.start_timer(sid)
    clock.tick(minutes=11)
    sessions.advance(sid)
    state = sessions.load(sid)
    welcome, round_1 = state.steps[0], state.steps[1]
    assert welcome.ended_at == "2024-05-01T09:12:00+00:00"
    assert welcome.active_seconds == 12 * 60
    assert welcome.countdown.overtime(clock.now) == 60
    assert round_1.countdown.started_at == clock.now, "advancing starts the next timer"
    assert state.groups_for(1) == tables, "round 1 sits at the welcome tables"

    # Round 1: a two-minute pause and an extra minute.
    clock.tick(minutes=5)
    sessions.pause(sid)
    clock.tick(minutes=2)
    assert sessions.load(sid).current.countdown.remaining(clock.now) == 15 * 60
    sessions.resume(sid)
    sessions.add_minutes(sid, 1)
    clock.tick(minutes=10)
    state = sessions.load(sid)
    assert state.current.countdown.remaining(clock.now) == 6 * 60
    sessions.add_entry(
        sid, step_key="round-1", kind="note", text="Trust takes time", group="Table 1"
    )
    clock.tick(minutes=6)
    assert sessions.load(sid).current.countdown.is_over(clock.now)
    assert sessions.load(sid).current_index == 1, "the session waits for the facilitator"

    # Rounds 2 and 3 regroup, avoiding pairs who already talked.
    sessions.advance(sid)
    clock.tick(minutes=20)
    sessions.advance(sid)
    state = sessions.load(sid)
    assert set(state.groups) == {0, 2, 3}
    rounds = [state.groups_for(1), state.groups_for(2), state.groups_for(3)]
    assert all(
        sorted(n for g in arrangement for n in g) == sorted(PEOPLE) for arrangement in rounds
    )
    assert repeated_pairs(rounds[:2]) == 3, "the fewest possible for 12 people in tables of 4"

    clock.tick(minutes=15)
    sessions.advance(sid)  # harvest: same tables, one circle
    state = sessions.load(sid)
    assert state.current.step_key == "harvest"
    assert state.groups_for(4) == state.groups_for(3)
    clock.tick(minutes=14)
    sessions.advance(sid)  # insights: an untimed text step just opens
    state = sessions.load(sid)
    assert state.current.step_key == "insights"
    assert not state.current.countdown.is_timed()
    assert state.current.countdown.started_at is None

    first = sessions.add_entry(
        sid, step_key="insights", kind="note", text="Listen more", participant="Person 3"
    )
    question = sessions.add_entry(
        sid, step_key="questions-raised", kind="question", text="How to start?"
    )
    action = sessions.add_entry(
        sid, step_key="follow-up", kind="action", text="Book the next café", owner="Person 7"
    )
    sessions.update_entry(first, text="Listen more, talk less")
    sessions.update_entry(question, private=True)
    sessions.update_entry(question, private=False)
    sessions.update_entry(action, private=True)
    sessions.delete_entry(first)

    sessions.advance(sid)
    sessions.skip(sid)
    assert sessions.load(sid).current.step_key == "follow-up"
    sessions.advance(sid)  # the last step: finishes the session
    state = sessions.load(sid)
    assert state.status == "finished" and state.finished_at is not None
    assert state.steps[6].skipped and not state.steps[5].skipped
    assert all(step.ended_at is not None for step in state.steps)
    assert [(e.kind, e.text, e.private) for e in state.entries] == [
        ("note", "Trust takes time", False),
        ("question", "How to start?", False),
        ("action", "Book the next café", True),
    ]
    assert state.entries[2].owner == "Person 7"
    assert state.entries[0].group == "Table 1"


def test_every_change_bumps_the_revision(sessions: SessionStore, clock: FakeClock) -> None:
    sid = sessions.create(exercise("knowledge-cafe"), participants=PEOPLE[:6], group_size=3, seed=1)
    entry_holder: list[int] = []

    def add() -> None:
        entry_holder.append(sessions.add_entry(sid, step_key="welcome", kind="note", text="x"))

    changes = [
        lambda: sessions.start_timer(sid),
        lambda: sessions.pause(sid),
        lambda: sessions.resume(sid),
        lambda: sessions.add_minutes(sid, 1),
        lambda: sessions.add_minutes(sid, -1),
        lambda: sessions.advance(sid),
        lambda: sessions.back(sid),
        lambda: sessions.skip(sid),
        lambda: sessions.set_participants(sid, PEOPLE[:7]),
        lambda: sessions.split(sid, 2),
        add,
        lambda: sessions.update_entry(entry_holder[0], text="y"),
        lambda: sessions.update_entry(entry_holder[0], private=True),
        lambda: sessions.delete_entry(entry_holder[0]),
        lambda: sessions.finish(sid),
    ]
    before = sessions.revision(sid)
    for number, change in enumerate(changes):
        clock.tick(seconds=30)
        change()
        after = sessions.revision(sid)
        assert after == before + 1, f"change {number} did not bump the revision"
        assert sessions.load(sid).updated_at == clock.now.isoformat(timespec="seconds")
        before = after


@pytest.mark.parametrize("text", TRICKY)
def test_names_and_notes_are_stored_byte_exact(sessions: SessionStore, text: str) -> None:
    sid = sessions.create(
        exercise("peer-coaching-circle"), participants=[text, "Bo"], title=text, group_size=2
    )
    entry = sessions.add_entry(
        sid, step_key="case", kind="action", text=text, participant=text, group=text, owner=text
    )
    state = sessions.load(sid)
    assert state.title == text
    assert state.participants == [text, "Bo"]
    assert [text, "Bo"] in [sorted(g, key=[text, "Bo"].index) for g in state.groups_for(0)]
    stored = state.entries[0]
    assert stored.id == entry
    assert (stored.text, stored.participant, stored.group, stored.owner) == (text, text, text, text)


def test_participant_rules(sessions: SessionStore) -> None:
    cafe = exercise("knowledge-cafe")
    sid = sessions.create(cafe, participants=["Sam", "Ann", "Sam", "Sam"])
    assert sessions.load(sid).participants == ["Sam", "Ann", "Sam (2)", "Sam (3)"]
    with pytest.raises(PeeragogyError, match="participant 2 has an empty name") as caught:
        sessions.create(cafe, participants=["Ann", "  "])
    assert caught.value.hint
    with pytest.raises(PeeragogyError, match="at least 2"):
        sessions.create(cafe, participants=PEOPLE, group_size=1)
    with pytest.raises(PeeragogyError, match="empty name"):
        sessions.set_participants(sid, [""])
    assert sessions.list()[0].participant_count == 4


def test_back_keeps_timings_honest(sessions: SessionStore, clock: FakeClock) -> None:
    sid = sessions.create(exercise("peer-coaching-circle"), participants=PEOPLE[:5])
    sessions.start_timer(sid)
    clock.tick(minutes=4)
    sessions.advance(sid)
    clock.tick(minutes=3)
    sessions.back(sid)
    state = sessions.load(sid)
    check_in, case = state.steps[0], state.steps[1]
    assert state.current_index == 0
    assert check_in.ended_at is None and check_in.opened_at is not None
    assert check_in.countdown.is_paused(), "the reopened step waits for the facilitator"
    assert check_in.countdown.remaining(clock.tick(minutes=5)) == 6 * 60
    assert case.ended_at is not None and case.active_seconds == 3 * 60
    assert case.countdown.elapsed(clock.now) == 3 * 60, "left timers stop"
    sessions.resume(sid)
    clock.tick(minutes=1)
    sessions.advance(sid)
    state = sessions.load(sid)
    assert state.steps[0].active_seconds == (4 + 5 + 1) * 60
    assert state.steps[1].countdown.elapsed(clock.tick(minutes=2)) == 5 * 60
    assert state.steps[0].started_at == "2024-05-01T09:00:00+00:00"


def test_moves_that_make_no_sense_are_refused(sessions: SessionStore) -> None:
    sid = sessions.create(exercise("reflect-convening"), participants=["Ann"])
    with pytest.raises(PeeragogyError, match="first step"):
        sessions.back(sid)
    sessions.finish(sid)
    sessions.finish(sid)
    for move in (sessions.advance, sessions.skip, sessions.start_timer, sessions.back):
        with pytest.raises(PeeragogyError, match="is finished"):
            move(sid)
    entry = sessions.add_entry(
        sid, step_key=exercise("reflect-convening").key(0), kind="note", text="later"
    )
    assert sessions.load(sid).entries[0].id == entry, "the harvest can be completed afterwards"


def test_entries_are_checked(sessions: SessionStore) -> None:
    sid = sessions.create(exercise("knowledge-cafe"), participants=["Ann", "Bo"])
    with pytest.raises(PeeragogyError, match="no step 'nope'"):
        sessions.add_entry(sid, step_key="nope", kind="note", text="x")
    with pytest.raises(PeeragogyError, match="unknown harvest entry kind"):
        sessions.add_entry(sid, step_key="welcome", kind="idea", text="x")
    with pytest.raises(PeeragogyError, match="empty"):
        sessions.add_entry(sid, step_key="welcome", kind="note", text=" \n ")
    entry = sessions.add_entry(sid, step_key="welcome", kind="note", text="x", participant="")
    assert sessions.load(sid).entries[0].participant is None
    with pytest.raises(TypeError, match="colour"):
        sessions.update_entry(entry, colour="red")
    with pytest.raises(PeeragogyError, match="no step"):
        sessions.update_entry(entry, step_key="nope")
    sessions.delete_entry(entry)
    with pytest.raises(PeeragogyError, match="no harvest entry"):
        sessions.update_entry(entry, text="y")
    assert sessions.load(sid).entries == []


def test_unknown_sessions_are_clear_errors(sessions: SessionStore) -> None:
    for call in (sessions.load, sessions.revision, sessions.advance, sessions.finish):
        with pytest.raises(PeeragogyError, match="no session #99") as caught:
            call(99)
        assert "peeragogy session list" in (caught.value.hint or "")


def test_split_and_set_participants_regroup_the_current_step(
    sessions: SessionStore, clock: FakeClock
) -> None:
    sid = sessions.create(exercise("knowledge-cafe"), participants=PEOPLE[:8])
    assert sessions.load(sid).groups == {}
    sessions.split(sid, 4, seed=9)
    state = sessions.load(sid)
    assert state.group_size == 4 and [len(g) for g in state.groups[0]] == [4, 4]
    sessions.split(sid, 4)
    again = sessions.load(sid).groups[0]
    sessions.split(sid, 4)
    assert sessions.load(sid).groups[0] != again, "pressing split again reshuffles"
    sessions.set_participants(sid, [*PEOPLE[:8], "Late arrival"])
    state = sessions.load(sid)
    assert sorted(len(g) for g in state.groups[0]) == [3, 3, 3]
    assert "Late arrival" in [name for group in state.groups[0] for name in group]
    with pytest.raises(PeeragogyError, match="at least 2"):
        sessions.split(sid, 1)


def test_sessions_without_timers_or_groups_are_allowed(sessions: SessionStore) -> None:
    solo = exercise("reflect-convening")
    sid = sessions.create(solo, participants=["Ann"])
    state = sessions.load(sid)
    assert not any(step.countdown.is_timed() for step in state.steps)
    sessions.advance(sid)
    assert sessions.load(sid).current.countdown.started_at is None


def test_list_latest_and_running(sessions: SessionStore, clock: FakeClock) -> None:
    assert sessions.list() == [] and sessions.latest() is None and sessions.latest_running() is None
    first = sessions.create(exercise("knowledge-cafe"), participants=["Ann"])
    clock.tick(minutes=1)
    second = sessions.create(exercise("peer-coaching-circle"), participants=["Bo", "Cy"])
    sessions.advance(second)
    sessions.finish(second)
    summaries = sessions.list()
    assert [s.id for s in summaries] == [second, first]
    assert summaries[0].status == "finished" and summaries[0].current_step_key == "case"
    assert summaries[1].current_prompt.startswith("Welcome.")
    assert summaries[1].step_count == 8 and summaries[0].participant_count == 2
    assert sessions.latest() == second
    assert sessions.latest_running() == first


def test_watcher_reloads_only_after_a_change(sessions: SessionStore) -> None:
    sid = sessions.create(exercise("knowledge-cafe"), participants=["Ann"])
    watcher = SessionWatcher(sessions, sid)
    assert watcher.poll() is not None
    assert watcher.poll() is None
    sessions.add_entry(sid, step_key="welcome", kind="question", text="Why?")
    changed = watcher.poll()
    assert changed is not None and changed.entries[0].text == "Why?"
    assert watcher.poll() is None


def _v1_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        schema._v1(conn)
        conn.execute("PRAGMA user_version = 1")
        conn.execute(f"PRAGMA application_id = {database.APPLICATION_ID}")
        conn.execute(
            "INSERT INTO runs (exercise_id, exercise_title, status, started_at, updated_at)"
            " VALUES ('ex', 'Ex', 'in_progress', '2024-01-01T00:00:00+00:00', '2024-01-01T00:00:00+00:00')"
        )
        conn.execute(
            "INSERT INTO answers VALUES (1, 'k', 0, 'text', 'p', '\"kept ✓\"', '2024-01-01T00:00:00+00:00')"
        )
        conn.commit()
    finally:
        conn.close()


def test_a_v1_file_migrates_to_the_newest_schema_and_keeps_its_answers(private_home: Path) -> None:
    private_home.mkdir(parents=True)
    path = private_home / DB_NAME
    _v1_file(path)
    with open_session_store(path, clock=FakeClock()) as sessions:
        assert sessions.db.read("PRAGMA user_version")[0][0] == len(database.MIGRATIONS)
        sid = sessions.create(exercise("knowledge-cafe"), participants=["Ann", "Bo"])
        assert sessions.load(sid).exercise_id == "knowledge-cafe"
    with open_store(path) as answers:
        assert answers.get_run(1).answer_map() == {"k": "kept ✓"}
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    assert not list(path.parent.glob("*.corrupt-*"))


def test_a_naive_clock_is_read_as_utc(private_home: Path) -> None:
    naive = T0.replace(tzinfo=None) + timedelta(hours=1)
    with open_session_store(clock=lambda: naive) as sessions:
        sid = sessions.create(exercise("knowledge-cafe"), participants=["Ann"])
        assert sessions.load(sid).created_at == "2024-05-01T10:00:00+00:00"


def test_the_sessions_package_never_imports_textual() -> None:
    import subprocess
    import sys

    modules = sorted(
        f"peeragogy_tui.core.sessions.{path.stem}"
        for path in (REPO / "peeragogy_tui" / "core" / "sessions").glob("*.py")
        if path.stem != "__init__"
    )
    code = f"import sys; import {', '.join(modules)}; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert len(modules) >= 8
    assert result.stdout.strip() == "False"


def test_lone_surrogates_become_replacement_characters(sessions: SessionStore) -> None:
    sid = sessions.create(exercise("knowledge-cafe"), participants=["Ann\ud800"], group_size=2)
    sessions.add_entry(sid, step_key="welcome", kind="note", text="x\udfff", owner="\ud83d")
    state = sessions.load(sid)
    assert state.participants == ["Ann\ufffd"] and state.groups_for(0) == [["Ann\ufffd"]]
    assert (state.entries[0].text, state.entries[0].owner) == ("x\ufffd", "\ufffd")
