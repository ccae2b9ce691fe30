"""Run claims: one live owner per run, leases that expire, dead owners that never block."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from peeragogy_tui.core.exercises import Exercise
from peeragogy_tui.core.store import (
    LEASE_SECONDS,
    AnswerStore,
    Claimant,
    RunClaimedError,
    database,
    open_store,
    record_step,
    save_as_new_run,
    start_or_resume,
)
from peeragogy_tui.core.store import schema
from peeragogy_tui.core.store.claims import pid_alive
from peeragogy_tui.core.store.heartbeat import Heartbeat

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


EXERCISE = Exercise.model_validate(
    {
        "id": "ex",
        "title": "Ex",
        "lang": "en",
        "chapters": ["c"],
        "kind": "solo",
        "minutes": 5,
        "summary": "s",
        "steps": [
            {"type": "text", "prompt": "a"},
            {"type": "text", "prompt": "b"},
            {"type": "scale", "prompt": "c", "min": 1, "max": 5},
        ],
    }
)


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(private_home: Path, fake_clock: FakeClock) -> AnswerStore:
    opened = open_store(clock=fake_clock)
    yield opened  # type: ignore[misc]
    opened.close()


def other_live_claimant() -> Claimant:
    """Another window in a live process on this host (our own pid: it is alive)."""
    return Claimant.here()


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_held_run_is_never_written_by_another_claimant(store: AnswerStore) -> None:
    owner, other = Claimant.here(), other_live_claimant()
    run_id = store.start_run("ex", "Ex", claimant=owner)
    store.save_answer(run_id, "step-1", "mine", step_index=0, prompt="a", claimant=owner)
    before = store.get_run(run_id)
    for write in (
        lambda: store.save_answer(run_id, "step-1", "theirs", step_index=0, prompt="a", claimant=other),
        lambda: store.save_draft(run_id, "step-2", "their draft", claimant=other),
        lambda: store.set_position(run_id, 0, claimant=other),
        lambda: store.finish_run(run_id, claimant=other),
    ):
        with pytest.raises(RunClaimedError, match=rf"run #{run_id} is open in another window \(pid {os.getpid()}\)"):
            write()
    assert store.get_run(run_id) == before
    assert store.get_draft(run_id, "step-2") is None
    assert store.claim_holder(run_id) is not None


def test_resume_skips_a_run_held_elsewhere_and_names_it(store: AnswerStore) -> None:
    first = start_or_resume(store, EXERCISE, Claimant.here())
    second = start_or_resume(store, EXERCISE, other_live_claimant())
    assert not second.resumed and second.run_id != first.run_id
    assert second.held_elsewhere is not None and second.held_elsewhere.run_id == first.run_id
    assert second.held_elsewhere.pid == os.getpid()


def test_a_released_run_is_resumed_by_the_next_process(store: AnswerStore) -> None:
    owner = Claimant.here()
    opened = start_or_resume(store, EXERCISE, owner)
    opened.run.answer("first")
    record_step(store, opened.run_id, opened.run, 0, owner)
    store.release_claim(opened.run_id, owner)
    again = start_or_resume(store, EXERCISE, other_live_claimant())
    assert again.resumed and again.run_id == opened.run_id and again.held_elsewhere is None
    assert again.run.answers == {"step-1": "first"}


def test_an_expired_lease_is_taken_over(store: AnswerStore, fake_clock: FakeClock) -> None:
    owner, other = Claimant.here(), other_live_claimant()
    run_id = store.start_run("ex", "Ex", claimant=owner)
    fake_clock.advance(LEASE_SECONDS - 1)
    assert store.claim_run(run_id, other) is not None
    fake_clock.advance(2)
    assert store.claim_run(run_id, other) is None
    with pytest.raises(RunClaimedError):
        store.save_answer(run_id, "k", "late", step_index=0, prompt="a", claimant=owner)


def test_a_heartbeat_keeps_the_lease(store: AnswerStore, fake_clock: FakeClock) -> None:
    owner = Claimant.here()
    run_id = store.start_run("ex", "Ex", claimant=owner)
    fake_clock.advance(LEASE_SECONDS - 1)
    assert store.renew_claim(run_id, owner) is None
    fake_clock.advance(LEASE_SECONDS - 1)  # past the first lease, within the renewed one
    assert store.claim_run(run_id, other_live_claimant()) is not None


def test_a_dead_owner_on_this_host_frees_the_run_at_once(store: AnswerStore) -> None:
    pid = dead_pid()
    ghost = Claimant("ghost-token", pid, Claimant.here().host)
    run_id = store.start_run("ex", "Ex", claimant=ghost)
    assert store.claim_holder(run_id) is None  # the lease is fresh, but nobody runs it
    assert store.claim_run(run_id, Claimant.here()) is None


def test_an_owner_on_another_host_is_trusted_until_its_lease_ends(
    store: AnswerStore, fake_clock: FakeClock
) -> None:
    remote = Claimant("remote-token", dead_pid(), "some-other-host")
    run_id = store.start_run("ex", "Ex", claimant=remote)
    holder = store.claim_run(run_id, Claimant.here())
    assert holder is not None and "on some-other-host" in holder.describe()
    fake_clock.advance(LEASE_SECONDS + 1)
    assert store.claim_run(run_id, Claimant.here()) is None


def test_a_killed_but_unreaped_process_counts_as_dead() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert pid_alive(child.pid)
        os.kill(child.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while pid_alive(child.pid) and time.monotonic() < deadline:
            time.sleep(0.01)  # the kernel turns it into a zombie; we have not reaped it yet
        assert not pid_alive(child.pid)
    finally:
        child.wait()
    assert not pid_alive(child.pid)


def test_a_run_taken_over_moves_our_answers_into_a_new_run(
    store: AnswerStore, fake_clock: FakeClock
) -> None:
    owner, other = Claimant.here(), other_live_claimant()
    opened = start_or_resume(store, EXERCISE, owner)
    run = opened.run
    run.answer("one")
    record_step(store, opened.run_id, run, 0, owner)
    fake_clock.advance(LEASE_SECONDS + 1)  # we were frozen; the other window took the run
    assert store.claim_run(opened.run_id, other) is None
    run.answer("two")
    with pytest.raises(RunClaimedError):
        record_step(store, opened.run_id, run, 1, owner)
    new_id = save_as_new_run(store, run, owner)
    moved = store.get_run(new_id)
    assert moved.answer_map() == {"step-1": "one", "step-2": "two"} and moved.current_step == 2
    assert store.get_run(opened.run_id).answer_map() == {"step-1": "one"}  # untouched
    run.answer(3)
    record_step(store, new_id, run, 2, owner)
    assert store.get_run(new_id).status == "done"


def test_an_empty_run_is_discarded_only_by_its_owner(store: AnswerStore) -> None:
    owner = Claimant.here()
    empty = store.start_run("ex", "Ex", claimant=owner)
    assert not store.discard_if_empty(empty, other_live_claimant())
    assert store.discard_if_empty(empty, owner)
    assert store.find_run(empty) is None
    kept = store.start_run("ex", "Ex", claimant=owner)
    store.save_draft(kept, "step-1", "a thought", claimant=owner)
    assert not store.discard_if_empty(kept, owner)
    assert store.find_run(kept) is not None


def test_heartbeat_renews_then_releases(store: AnswerStore, fake_clock: FakeClock) -> None:
    owner = Claimant.here()
    run_id = store.start_run("ex", "Ex", claimant=owner)

    def lease() -> float | None:
        rows = store.db.read("SELECT lease_until FROM run_claims WHERE run_id = ?", (run_id,))
        return float(rows[0][0]) if rows else None

    first = lease()
    assert first == T0.timestamp() + LEASE_SECONDS
    fake_clock.advance(30)
    with Heartbeat(store, run_id, owner, every=0.01):
        deadline = time.monotonic() + 10
        while lease() == first and time.monotonic() < deadline:
            time.sleep(0.01)
        assert lease() == first + 30
    assert lease() is None


def test_the_claims_schema_step_gives_existing_runs_a_uuid(private_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    every_step = database.MIGRATIONS
    before_claims = every_step.index(schema._v4)
    monkeypatch.setattr(database, "MIGRATIONS", every_step[:before_claims])
    with open_store() as old:  # a file from before run claims, with three runs
        for _ in range(3):
            old.db.write(
                lambda conn: conn.execute(
                    "INSERT INTO runs (exercise_id, exercise_title, status, started_at, updated_at)"
                    " VALUES ('ex', 'Ex', 'in_progress', '2024-05-01T09:00:00+00:00', '2024-05-01T09:00:00+00:00')"
                )
            )
        ids = [row[0] for row in old.db.read("SELECT id FROM runs ORDER BY id")]
        path = old.path
    monkeypatch.setattr(database, "MIGRATIONS", every_step)  # (not undo(): that would drop PEERAGOGY_HOME)
    with open_store(path) as new:
        assert new.db.read("PRAGMA user_version")[0][0] == len(every_step)
        uuids = [row[0] for row in new.db.read("SELECT uuid FROM runs ORDER BY id")]
        assert len(set(uuids)) == 3 and all(len(u) == 36 for u in uuids)
        assert [r.id for r in new.runs()] == ids
    with sqlite3.connect(path) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE runs SET uuid = ? WHERE id = ?", (uuids[0], ids[1]))
