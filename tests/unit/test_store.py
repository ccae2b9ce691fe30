"""The SQLite answer store: round trips, byte-exactness, privacy, migrations, bad files."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from peeragogy_tui.core.exercises import Exercise
from peeragogy_tui.core.store import (
    DB_NAME,
    AnswerStore,
    CorruptStoreError,
    database,
    open_store,
    record_step,
    start_or_resume,
)
from peeragogy_tui.errors import PeeragogyError

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
TRICKY = [
    "[bold]x[/]",
    "[@click=app.quit]",
    "\x1b[31mred\x1b[0m",
    "line one\nline two\r\n\ttabbed",
    "emoji 🎉 and Café and 漢字",
    "NUL \x00 and C1 \x9b31m",
    "  spaces kept  ",
    '"quotes" and \\backslashes\\',
]


def clock() -> Callable[[], datetime]:
    ticks = iter(range(100_000))
    return lambda: T0 + timedelta(seconds=next(ticks))


@pytest.fixture
def store(private_home: Path) -> Iterator[AnswerStore]:
    with open_store(clock=clock()) as opened:
        yield opened


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_default_location_is_private(private_home: Path) -> None:
    old = os.umask(0)
    try:
        with open_store() as opened:
            run = opened.start_run("x", "X")
            opened.save_answer(run, "k", "v", step_index=0, prompt="p")
            assert opened.path == private_home / DB_NAME
            assert mode(private_home) == 0o700
            assert mode(opened.path) == 0o600
            companions = [opened.path.with_name(DB_NAME + suffix) for suffix in ("-wal", "-shm")]
            assert any(p.exists() for p in companions), "WAL mode keeps companion files while open"
            for companion in companions:
                if companion.exists():
                    assert mode(companion) == 0o600
    finally:
        os.umask(old)


def test_wal_mode_and_busy_timeout(store: AnswerStore) -> None:
    assert store.db.read("PRAGMA journal_mode")[0][0] == "wal"
    assert store.db.read("PRAGMA busy_timeout")[0][0] == database.BUSY_TIMEOUT_MS
    assert store.db.read("PRAGMA foreign_keys")[0][0] == 1


@pytest.mark.parametrize("value", TRICKY)
def test_text_is_stored_byte_exact(store: AnswerStore, value: str) -> None:
    run = store.start_run("ex", "Ex")
    store.save_answer(run, "k", value, step_index=0, prompt=value)
    stored = store.get_run(run).answers[0]
    assert stored.value == value and stored.prompt == value
    exported = json.loads(store.export_json())["runs"][0]["steps"][0]
    assert exported["answer"] == value and exported["prompt"] == value


def test_structured_values_round_trip(store: AnswerStore) -> None:
    run = store.start_run("ex", "Ex")
    values: list[tuple[str, str, Any]] = [
        ("scale", "scale", 4),
        ("many", "choice", ["Café", "[b]"]),
        ("ticks", "checklist", []),
        ("skipped", "text", None),
        ("timer", "timer", ""),
    ]
    for index, (key, kind, value) in enumerate(values):
        store.save_answer(run, key, value, step_index=index, prompt=key, step_type=kind)
    got = store.get_run(run)
    assert [(a.step_key, a.step_type, a.value) for a in got.answers] == values
    assert got.answers[3].skipped and not got.answers[0].skipped
    assert got.answers[1].value_json == '["Café", "[b]"]', "ensure_ascii=False keeps text readable"


def test_saving_again_replaces_and_clears_the_draft(store: AnswerStore) -> None:
    run = store.start_run("ex", "Ex")
    store.save_draft(run, "k", "half a thought\n")
    assert store.get_draft(run, "k") == "half a thought\n"
    store.save_answer(run, "k", "first", step_index=0, prompt="p", current_step=1)
    assert store.get_draft(run, "k") is None
    store.save_answer(run, "k", "second", step_index=0, prompt="p")
    got = store.get_run(run)
    assert [a.value for a in got.answers] == ["second"]
    assert got.current_step == 1


def test_earlier_runs_are_kept_with_their_dates(store: AnswerStore) -> None:
    first = store.start_run("ex", "Ex", started_at=T0)
    store.save_answer(first, "k", "old", step_index=0, prompt="p")
    store.finish_run(first, finished_at=T0 + timedelta(hours=1))
    second = store.start_run("ex", "Ex", started_at=T0 + timedelta(days=1))
    store.save_answer(second, "k", "new", step_index=0, prompt="p")
    runs = store.runs("ex")
    assert [r.id for r in runs] == [first, second]
    assert runs[0].answers[0].value == "old" and runs[0].finished_at == "2024-05-01T10:00:00+00:00"
    assert runs[0].status == "done" and runs[1].status == "in_progress"
    latest, unfinished = store.latest_run("ex"), store.unfinished_run("ex")
    assert latest is not None and latest.id == second
    assert unfinished is not None and unfinished.id == second
    assert store.statuses() == {"ex": "in_progress"}
    assert store.unfinished_run("other") is None and store.latest_run("other") is None


def test_delete_removes_answers_and_drafts(store: AnswerStore) -> None:
    run = store.start_run("ex", "Ex")
    store.save_answer(run, "k", "v", step_index=0, prompt="p")
    store.save_draft(run, "j", "d")
    assert store.delete_run(run) is True
    assert store.delete_run(run) is False
    assert store.find_run(run) is None
    assert store.db.read("SELECT COUNT(*) FROM answers")[0][0] == 0
    assert store.db.read("SELECT COUNT(*) FROM drafts")[0][0] == 0
    with pytest.raises(PeeragogyError, match="no run #"):
        store.get_run(run)


def test_writing_to_a_missing_run_is_a_clear_error(store: AnswerStore) -> None:
    with pytest.raises(PeeragogyError, match="no run #99"):
        store.save_answer(99, "k", "v", step_index=0, prompt="p")
    with pytest.raises(PeeragogyError, match="no run #99"):
        store.save_draft(99, "k", "v")


def test_markdown_export_is_safe_to_cat(store: AnswerStore) -> None:
    run = store.start_run("ex", "Title \x1b]0;pwned\x07")
    store.save_answer(run, "k", "a\x1b[2Jb\nsecond line", step_index=0, prompt="P?")
    store.save_answer(run, "s", None, step_index=1, prompt="Skipped?")
    text = store.export_markdown()
    assert "\x1b" not in text and "\x07" not in text
    assert "> ab\n> second line" in text and "> (skipped)" in text
    assert "## Title  (run 1)" in text


def test_migrations_run_once_in_order(private_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store() as first:
        run = first.start_run("ex", "Ex")
        first.save_answer(run, "k", "kept", step_index=0, prompt="p")
        assert first.db.read("PRAGMA user_version")[0][0] == len(database.MIGRATIONS)
        assert first.db.read("PRAGMA application_id")[0][0] == database.APPLICATION_ID
    calls: list[int] = []
    newest = len(database.MIGRATIONS) + 1

    def next_step(conn: sqlite3.Connection) -> None:
        calls.append(newest)
        conn.execute("ALTER TABLE runs ADD COLUMN note TEXT")

    monkeypatch.setattr(database, "MIGRATIONS", [*database.MIGRATIONS, next_step])
    with open_store() as second:
        assert second.db.read("PRAGMA user_version")[0][0] == newest
        columns = {row[1] for row in second.db.read("PRAGMA table_info(runs)")}
        assert "note" in columns
        assert second.get_run(run).answers[0].value == "kept"
    with open_store():
        pass
    assert calls == [newest]


def test_a_newer_schema_is_refused_without_touching_the_file(private_home: Path) -> None:
    with open_store() as opened:
        path = opened.path
        opened.db.read("PRAGMA user_version = 99")
    before = path.read_bytes()
    with pytest.raises(PeeragogyError, match="newer version"):
        open_store()
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.corrupt-*"))


def _corrupt_copies(path: Path) -> list[Path]:
    return [
        p
        for p in path.parent.glob(f"{path.name}.corrupt-*")
        if not p.name.endswith(("-wal", "-shm"))
    ]


def test_a_file_that_is_not_sqlite_is_copied_aside_and_untouched(private_home: Path) -> None:
    private_home.mkdir(parents=True)
    path = private_home / DB_NAME
    garbage = b"my precious notes, not a database\n" * 50
    path.write_bytes(garbage)
    with pytest.raises(CorruptStoreError) as caught:
        open_store()
    message = str(caught.value)
    copies = _corrupt_copies(path)
    assert len(copies) == 1
    assert str(path) in message and copies[0].name in message and "copied aside" in message
    assert path.read_bytes() == garbage
    assert copies[0].read_bytes() == garbage
    with pytest.raises(CorruptStoreError):
        open_store()
    assert len(_corrupt_copies(path)) == 1, "an identical copy is reused, not multiplied"


def test_someone_elses_sqlite_file_is_copied_aside(private_home: Path) -> None:
    private_home.mkdir(parents=True)
    path = private_home / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(CorruptStoreError, match="not a peeragogy answers database"):
        open_store()
    assert path.read_bytes() == before
    copies = _corrupt_copies(path)
    assert len(copies) == 1 and copies[0].read_bytes() == before


def test_an_empty_file_becomes_a_store(private_home: Path) -> None:
    private_home.mkdir(parents=True)
    (private_home / DB_NAME).touch()
    with open_store() as opened:
        assert opened.runs() == []


def test_a_read_only_database_gives_a_fix(store: AnswerStore) -> None:
    run = store.start_run("ex", "Ex")
    store.db.conn.close()
    store.db.conn = sqlite3.connect(
        f"file:{store.path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
    )
    with pytest.raises(PeeragogyError) as caught:
        store.save_answer(run, "k", "v", step_index=0, prompt="p")
    text = str(caught.value)
    assert "read-only" in text and str(store.path) in text and "fix:" in text


def test_a_full_disk_gives_a_fix(store: AnswerStore) -> None:
    run = store.start_run("ex", "Ex")
    pages = store.db.read("PRAGMA page_count")[0][0]
    store.db.read(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(PeeragogyError) as caught:
        store.save_answer(run, "k", "x" * 100_000, step_index=0, prompt="p")
    assert "disk is full" in str(caught.value) and "free some disk space" in str(caught.value)
    assert store.get_run(run).answers == (), "the failed write left nothing half-done"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_a_read_only_folder_gives_a_fix(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    try:
        with pytest.raises(PeeragogyError, match="fix:"):
            open_store(folder / DB_NAME)
    finally:
        folder.chmod(0o700)


def test_engine_bridge_resumes_unfinished_runs(store: AnswerStore) -> None:
    exercise = Exercise.model_validate(
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
                {"type": "scale", "prompt": "b", "min": 1, "max": 3},
            ],
        }
    )
    opened = start_or_resume(store, exercise, clock=clock())
    run, run_id, resumed = opened.run, opened.run_id, opened.resumed
    assert not resumed
    run.answer("first [b]")
    record_step(store, run_id, run, 0)
    opened = start_or_resume(store, exercise, clock=clock())
    again, again_id, resumed = opened.run, opened.run_id, opened.resumed
    assert (
        resumed
        and again_id == run_id
        and again.index == 1
        and again.answers == {"step-1": "first [b]"}
    )
    again.answer(2)
    record_step(store, again_id, again, 1)
    stored = store.get_run(run_id)
    assert stored.status == "done" and stored.finished_at is not None and stored.current_step == 2
    opened = start_or_resume(store, exercise, clock=clock())
    third_id, resumed = opened.run_id, opened.resumed
    assert not resumed and third_id != run_id
    assert len(store.runs("ex")) == 2
