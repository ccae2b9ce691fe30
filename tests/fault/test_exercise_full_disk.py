"""A full disk during an exercise: the screen stays on the step, the text stays, Ctrl+N saves once space is back.

Issue 13: the toast said "Your text stays on screen" while the screen had
already moved on, and the answer was gone after space was freed. At start,
a full disk made the run begin again at step 1 with no sign that nothing
was being saved.
"""

from __future__ import annotations

import errno
import sqlite3
import sys
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

import peeragogy_tui.core.store as store_package
from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.store import default_store_path, open_store
from peeragogy_tui.core.store.database import storage_error
from peeragogy_tui.paths import DATA_DIR_ENV, bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen

sys.path.insert(0, str(Path(__file__).parent))
from _full_disk import BIG, cap_database, tiny_filesystem, uncap_database
from exercise_support import settled_on_step

SIZE = (100, 32)
EXERCISE = "reflect-convening"


def make():
    return create_app(
        load_handbook(bundled_handbook_dir()),
        exercises=load_exercises(bundled_exercises_dir()),
        start="convening",
        restore=False,
    )


def warning_text(screen: ExerciseScreen) -> str | None:
    """The save warning's text while it is shown, else ``None``."""
    warning = screen.query_one("#save-warning", Static)
    if not warning.has_class("-failing") or warning.styles.display == "none":
        return None
    return str(warning.render())


def toasts(app) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


def stored_run():
    with open_store() as store:
        return store.unfinished_run(EXERCISE) or store.latest_run(EXERCISE)


def seed_run_at_step_two() -> None:
    exercise = load_exercises(bundled_exercises_dir()).get(EXERCISE)
    with open_store() as store:
        run_id = store.start_run(exercise.id, exercise.title)
        store.save_answer(
            run_id, exercise.key(0), "kept from before", step_index=0, prompt=exercise.steps[0].prompt, current_step=1
        )


async def open_exercise(app, pilot, step: int = 0) -> ExerciseScreen:
    app.open_exercise(EXERCISE)
    return await settled_on_step(pilot, step)


async def test_a_failed_save_stays_on_the_step_and_saves_when_asked_again():
    app = make()
    second = "second answer, long enough to need new pages. " * (BIG // 40)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot)
        screen.query_one(TextArea).load_text("first answer")
        await pilot.press("ctrl+n")
        await settled_on_step(pilot, 1)
        cap_database(app.store)
        screen.query_one(TextArea).load_text(second)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.run.index == 1, "the screen moved on although the answer was not saved"
        assert screen.query_one(TextArea).text == second
        assert "disk is full" in (warning_text(screen) or "")
        assert any("Could not save" in toast for toast in toasts(app))
        on_disk = stored_run()
        assert on_disk.current_step == 1 and [a.step_key for a in on_disk.answers] == ["who-and-why"]
        await pilot.press("ctrl+n")  # still full: still here, still warned
        await pilot.pause()
        assert screen.run.index == 1 and warning_text(screen) is not None
        uncap_database(app.store)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.run.index == 2
        assert warning_text(screen) is None
    on_disk = stored_run()
    assert on_disk.answer_map()["missing-voice"] == second
    assert on_disk.current_step == 2


async def test_a_skip_that_cannot_be_saved_does_not_move_either():
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot)

        def full(work):
            raise storage_error(sqlite3.OperationalError("database or disk is full"), app.store.path)

        original = app.store.db.write
        app.store.db.write = full
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.run.index == 0 and "who-and-why" not in screen.run.answers
        app.store.db.write = original
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.run.index == 1
    assert stored_run().answer_map() == {"who-and-why": None}


async def test_a_run_that_could_not_be_started_is_recorded_with_its_answers_on_retry():
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        store = app.store
        original = store.db.write

        def full(work):
            raise storage_error(sqlite3.OperationalError("database or disk is full"), store.path)

        store.db.write = full
        screen = await open_exercise(app, pilot)
        assert "disk is full" in (warning_text(screen) or ""), "no sign that answers are not being saved"
        screen.query_one(TextArea).load_text("typed while the disk was full")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.run.index == 0
        assert warning_text(screen) is not None
        store.db.write = original
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.run.index == 1 and warning_text(screen) is None
    assert stored_run().answer_map() == {"who-and-why": "typed while the disk was full"}


async def test_a_store_that_cannot_open_still_resumes_at_its_step_and_warns(monkeypatch: pytest.MonkeyPatch):
    seed_run_at_step_two()
    real_open = store_package.open_store

    def disk_full(*args, **kwargs):
        raise storage_error(OSError(errno.ENOSPC, "No space left on device"), default_store_path())

    monkeypatch.setattr(store_package, "open_store", disk_full)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, step=1)
        assert screen.run.index == 1, "the run did not resume at its stored step"
        assert "disk is full" in (warning_text(screen) or "")
        await pilot.pause(0.1)
        assert warning_text(screen) is not None, "the warning must stay while nothing can be saved"
        screen.query_one(TextArea).load_text("second, typed on a full disk")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.run.index == 1
        monkeypatch.setattr(store_package, "open_store", real_open)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.run.index == 2 and warning_text(screen) is None
    assert stored_run().answer_map() == {
        "who-and-why": "kept from before",
        "missing-voice": "second, typed on a full disk",
    }


async def test_a_real_full_disk_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with tiny_filesystem(tmp_path) as disk:
        monkeypatch.setenv(DATA_DIR_ENV, str(disk.mount / "home"))
        seed_run_at_step_two()
        disk.fill()
        app = make()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_exercise(app, pilot, step=1)
            assert screen.run.index == 1
            assert warning_text(screen) is not None
            screen.query_one(TextArea).load_text("typed on a really full disk")
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert screen.run.index == 1 and screen.query_one(TextArea).text == "typed on a really full disk"
            disk.free()
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert screen.run.index == 2 and warning_text(screen) is None
        assert stored_run().answer_map()["missing-voice"] == "typed on a really full disk"
