"""A damaged answers file is set aside and rebuilt with every readable row; nothing crashes.

Damage is made for real: pages overwritten with garbage in the closed file,
and a ``value_json`` that is not JSON written with plain sqlite3.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import stat
from pathlib import Path

from typer.testing import CliRunner

from peeragogy_tui.cli import app as cli_app
from peeragogy_tui.core.sessions import open_session_store
from peeragogy_tui.core.store import DB_NAME, open_store

PAGE = 4096
RUNS = 20
STEPS = 8


def _answer(run: int, step: int) -> str:
    return f"run {run} step {step} " + "ü" * 300


def _filled_store(home: Path) -> Path:
    with open_store() as store:
        for number in range(RUNS):
            run = store.start_run(f"ex-{number}", f"Exercise {number}")
            for step in range(STEPS):
                store.save_answer(run, f"s{step}", _answer(number, step), step_index=step, prompt="p")
        path = store.path
    assert not os.path.exists(str(path) + "-wal"), "closing checkpoints: the file holds everything"
    return path


def _copies(path: Path) -> list[Path]:
    return sorted(
        p for p in path.parent.glob(f"{path.name}.corrupt-*") if not p.name.endswith(("-wal", "-shm"))
    )


def _readable_one_by_one(path: Path) -> set[tuple[int, str, str]]:
    """What plain SQLite can still read from the damaged file, row by row (the bar to meet)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    found = set()
    for rowid in range(1, RUNS * STEPS + 1):
        try:
            row = conn.execute(
                "SELECT run_id, step_key, value_json FROM answers WHERE rowid = ?", (rowid,)
            ).fetchone()
        except sqlite3.DatabaseError:
            continue
        if row is not None:
            found.add((row[0], row[1], json.loads(row[2])))
    conn.close()
    return found


def test_garbled_pages_are_set_aside_and_every_readable_row_is_kept(private_home: Path) -> None:
    path = _filled_store(private_home)
    data = bytearray(path.read_bytes())
    pages = len(data) // PAGE
    first = pages // 2
    data[first * PAGE : (first + 3) * PAGE] = random.Random(13).randbytes(3 * PAGE)
    path.write_bytes(bytes(data))
    garbled = bytes(data)
    readable = _readable_one_by_one(path)
    assert 0 < len(readable) < RUNS * STEPS, "the damage must cost some rows, not all"

    with open_store() as store:
        reports = store.db.salvaged
        runs = store.runs()
        assert store.db.read("PRAGMA integrity_check")[0][0] == "ok"
    kept = {(run.id, a.step_key, a.value) for run in runs for a in run.answers}
    assert readable <= kept, "every row SQLite can still read is in the rebuilt store"
    originals = {(r + 1, f"s{s}", _answer(r, s)) for r in range(RUNS) for s in range(STEPS)}
    assert kept <= originals, "nothing invented or altered"
    assert len(reports) == 1
    copy = reports[0].damaged_copy
    assert _copies(path) == [copy]
    assert copy.read_bytes() == garbled, "the damaged copy is the file as it was"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    message = reports[0].message()
    assert str(copy) in message and f"{len(kept)} answers" in message and "quick_check" in message
    with open_store() as again:
        assert again.db.salvaged == [], "a rebuilt store is healthy: no second repair"
        assert len(again.runs()) == len(runs)


def _break_one_answer(path: Path, run_id: int = 2, step_key: str = "s3") -> None:
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE answers SET value_json = '{not json' WHERE run_id = ? AND step_key = ?",
        (run_id, step_key),
    )
    conn.commit()
    conn.close()


def test_an_answer_that_is_not_json_is_repaired_and_kept_as_its_raw_text(private_home: Path) -> None:
    path = _filled_store(private_home)
    _break_one_answer(path)
    with open_store() as store:
        heard = []
        store.db.on_salvage = heard.append
        run = store.get_run(2)
        assert len(heard) == 1 and "run #2, step 's3'" in heard[0].message()
        assert run.answer_map()["s3"] == "{not json"
        assert run.answer_map()["s2"] == _answer(1, 2)
        assert sum(len(r.answers) for r in store.runs()) == RUNS * STEPS
    copy = _copies(path)[0]
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    assert conn.execute("SELECT value_json FROM answers WHERE run_id = 2 AND step_key = 's3'").fetchone() == ("{not json",)
    conn.close()


def test_a_window_still_open_on_the_old_file_writes_into_the_rebuilt_one(private_home: Path) -> None:
    path = _filled_store(private_home)
    other = open_store()  # a second window, opened before the damage is found
    run = other.start_run("late", "Late")
    _break_one_answer(path)
    with open_store() as first:
        first.runs()  # finds the bad row: set aside, rebuilt, renamed into place
        assert len(first.db.salvaged) == 1
    other.save_answer(run, "k", "written after the rebuild", step_index=0, prompt="p")
    other.close()
    with open_store() as check:
        assert check.get_run(run).answer_map() == {"k": "written after the rebuild"}
        assert check.db.salvaged == []


def test_a_session_with_a_bad_participant_list_still_loads(private_home: Path) -> None:
    from peeragogy_tui.core.exercises import load_exercises
    from peeragogy_tui.paths import bundled_exercises_dir

    exercise = load_exercises(bundled_exercises_dir()).get("knowledge-cafe")
    with open_session_store() as sessions:
        session_id = sessions.create(exercise, participants=["Ana", "Ben"], group_size=2, seed=1)
        path = sessions.path
    conn = sqlite3.connect(path)
    conn.execute("UPDATE sessions SET participants_json = '[\"Ana\", ' WHERE id = ?", (session_id,))
    conn.commit()
    conn.close()
    with open_session_store() as sessions:
        assert [s.id for s in sessions.list()] == [session_id]
        state = sessions.load(session_id)
        assert state.participants == [] and len(sessions.db.salvaged) == 1
        assert "participant list was unreadable" in sessions.db.salvaged[0].message()


def test_answers_commands_repair_once_and_say_where_the_damaged_copy_is(private_home: Path) -> None:
    path = _filled_store(private_home)
    _break_one_answer(path)
    runner = CliRunner()
    first = runner.invoke(cli_app, ["answers", "show", "2"])
    assert first.exit_code == 0, first.output
    assert "{not json" in first.stdout and "Traceback" not in first.output
    copy = _copies(path)[0]
    assert "warning:" in first.stderr and str(copy) in first.stderr.replace("\n", "")
    for args in (["answers", "list"], ["answers", "export"], ["answers", "export", "--format", "md"]):
        result = runner.invoke(cli_app, args)
        assert result.exit_code == 0 and result.stderr == "", (args, result.output)
    exported = json.loads(runner.invoke(cli_app, ["answers", "export"]).stdout)
    assert sum(len(run["steps"]) for run in exported["runs"]) == RUNS * STEPS


async def test_the_reader_reviews_a_damaged_store_and_says_what_happened(private_home: Path) -> None:
    from peeragogy_tui.core.exercises import load_exercises
    from peeragogy_tui.core.handbook import load_handbook
    from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
    from peeragogy_tui.tui.app import create_app
    from peeragogy_tui.tui.screens.review import ReviewScreen

    exercises = load_exercises(bundled_exercises_dir())
    with open_store() as store:
        for exercise in exercises.for_chapter("convening"):
            run = store.start_run(exercise.id, exercise.title)
            store.save_answer(run, "step-1", "fine", step_index=0, prompt="p")
            store.save_answer(run, "step-2", "broken soon", step_index=1, prompt="p")
        path = store.path
    conn = sqlite3.connect(path)
    conn.execute("UPDATE answers SET value_json = '{not json' WHERE step_key = 'step-2'")
    conn.commit()
    conn.close()
    app = create_app(load_handbook(bundled_handbook_dir()), exercises=exercises, start="convening", restore=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert {a.value for run in app.screen.runs for a in run.answers} == {"fine", "{not json"}
        notes = [n for n in app._notifications if n.title == "Answers database repaired"]
        assert len(notes) == 1 and str(_copies(path)[0]) in notes[0].message
