"""Bookmarks and the reading log in the store, and the pure progress report."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.handbook.identity import BUNDLED, handbook_identity, handbook_key
from peeragogy_tui.core.progress import (
    READ_THRESHOLD,
    WeekActivity,
    activity_chart,
    build_progress,
    collect_progress,
    format_duration,
    progress_bar,
)
from peeragogy_tui.core.store import open_store
from peeragogy_tui.core.store.reading import open_reading_store
from peeragogy_tui.paths import bundled_handbook_dir

HOSTILE = "note [bold]x[/] [@click=app.quit] \x1b]2;PWNED\x07 ünï 🦘\nsecond line"


def _clock() -> datetime:
    return datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def test_bookmarks_round_trip_byte_exact_newest_first(tmp_path: Path) -> None:
    with open_reading_store(tmp_path / "a.sqlite3", clock=_clock) as store:
        first = store.add_bookmark("bundled#en", "principles", "Principles", block=3, line=40, note=HOSTILE)
        second = store.add_bookmark("bundled#en", "convening", "Convening", line=2)
        store.add_bookmark("/elsewhere#en", "x", "X")
        marks = store.bookmarks("bundled#en")
        assert [m.id for m in marks] == [second.id, first.id]
        assert marks[1].note == HOSTILE and (marks[1].block, marks[1].line) == (3, 40)
        assert len(store.bookmarks()) == 3
        assert store.delete_bookmark(first.id) is True
        assert store.delete_bookmark(first.id) is False
        assert [m.id for m in store.bookmarks("bundled#en")] == [second.id]


def test_reading_log_adds_time_and_keeps_the_furthest_point(tmp_path: Path) -> None:
    with open_reading_store(tmp_path / "a.sqlite3", clock=_clock) as store:
        store.record_reading("k", "one", seconds=30, furthest=0.5)
        store.record_reading("k", "one", seconds=15, furthest=0.2)
        store.record_reading("k", "one", seconds=-5, furthest=7)
        store.record_reading("other", "one", seconds=99, furthest=0.1)
        entry = store.reading("k")["one"]
        assert entry.seconds == 45 and entry.furthest == 1.0
        assert store.reading("other")["one"].seconds == 99


def test_export_includes_bookmarks(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    with open_reading_store(path, clock=_clock) as reading:
        reading.add_bookmark("bundled#en", "principles", "Principles", line=9, note=HOSTILE)
    with open_store(path) as store:
        document = json.loads(store.export_json())
        markdown = store.export_markdown()
    assert document["bookmarks"][0]["note"] == HOSTILE
    assert document["bookmarks"][0]["chapter_id"] == "principles"
    assert "## Bookmarks" in markdown and "Principles (chapter principles, line 10)" in markdown
    assert "\x1b" not in markdown and "\x07" not in markdown


def test_bundled_handbook_is_keyed_by_identity_not_path(tmp_path: Path) -> None:
    assert handbook_identity(bundled_handbook_dir()) == BUNDLED
    for lang in ("en", "es"):
        loaded = load_handbook(bundled_handbook_dir(), lang)  # its root is the language folder
        assert handbook_key(loaded.root, loaded.lang) == f"bundled#{lang}"
    copy = tmp_path / "book"
    copy.mkdir()
    assert handbook_identity(copy) == str(copy.resolve())


def test_progress_groups_chapters_by_part_and_counts_exercises() -> None:
    report = build_progress(
        [("a", "A", "The lifecycle"), ("b", "B", "The lifecycle"), ("c", "C", None)],
        {"a": (600.0, 1.0), "b": (60.0, READ_THRESHOLD - 0.01)},
        [("x", "X"), ("y", "Y"), ("z", "Z")],
        {"x": "done", "y": "in_progress"},
        ["2026-11-30T09:00:00+00:00", "2026-12-01T09:00:00+00:00", "2026-11-23T09:00:00+00:00", "garbage"],
        today=date(2026, 12, 2),
    )
    assert [(p.name, p.read, len(p.chapters)) for p in report.parts] == [("The lifecycle", 1, 2), ("Other chapters", 0, 1)]
    assert report.chapters_read == 1 and report.seconds == 660
    assert report.exercises_done == 1 and len(report.exercises) == 3
    assert len(report.weeks) == 12
    assert report.weeks[-1] == WeekActivity(date(2026, 11, 30), 2)
    assert report.weeks[-2].answers == 1
    data = report.to_dict()
    assert data["exercises"]["in_progress"] == 1
    assert data["parts"][0]["chapters"][1]["read"] is False


def test_activity_chart_reads_without_colour() -> None:
    weeks = [WeekActivity(date(2026, 11, 2), 0), WeekActivity(date(2026, 11, 9), 1), WeekActivity(date(2026, 11, 16), 8)]
    lines = activity_chart(weeks, height=4)
    assert lines[-3].split() == ["0", "1", "8"]  # the counts are printed, not only drawn
    assert lines[-2].split() == ["2", "9", "16"]
    assert lines[-1].split() == ["Nov"]
    assert lines[0].endswith("███") and lines[3][4:7] != "   "  # the small week still shows
    assert all(len(line) <= 48 for line in activity_chart([WeekActivity(date(2026, 1, 5), 3)] * 12))


def test_format_duration_and_bar() -> None:
    assert format_duration(0) == "0 min"
    assert format_duration(65 * 60) == "1 h 05 min"
    assert progress_bar(1, 4, width=8) == "[██░░░░░░]"
    assert progress_bar(0, 0, width=4) == "[····]"


def test_collect_progress_uses_the_handbook_key(tmp_path: Path) -> None:
    book = tmp_path / "book"
    book.mkdir()
    (book / "one.md").write_text("# One\n\ntext\n", "utf-8")
    handbook = load_handbook(book, None)
    path = tmp_path / "a.sqlite3"
    with open_reading_store(path, clock=_clock) as store:
        store.record_reading(handbook_key(book, handbook.lang), handbook.chapters[0].id, seconds=120, furthest=1)
        report = collect_progress(handbook, [], store, {}, today=date(2026, 12, 2))
    assert report.chapters_read == 1 and report.seconds == 120
    assert collect_progress(handbook, [], None, {}, today=date(2026, 12, 2)).chapters_read == 0


def test_parts_come_from_the_tree_and_only_this_handbooks_exercises_count(tmp_path: Path) -> None:
    from types import SimpleNamespace

    book = tmp_path / "book"
    (book / "src").mkdir(parents=True)
    (book / "book.toml").write_text("[book]\ntitle = 'x'\n", "utf-8")
    (book / "src" / "SUMMARY.md").write_text(
        "# Summary\n\n[Preface](preface.md)\n\n# Getting started\n\n- [Welcome](welcome.md)\n"
        "  - [Install](install.md)\n\n# Reference\n\n- [Keys](keys.md)\n",
        "utf-8",
    )
    for name in ("preface", "welcome", "install", "keys"):
        (book / "src" / f"{name}.md").write_text(f"# {name}\n\ntext\n", "utf-8")
    handbook = load_handbook(book, None)
    exercises = [
        SimpleNamespace(id="mine", title="Mine", chapters=["welcome"]),
        SimpleNamespace(id="theirs", title="Theirs", chapters=["principles"]),
    ]
    report = collect_progress(handbook, exercises, None, {}, today=date(2026, 12, 2))
    assert [(p.name, [c.chapter_id for c in p.chapters]) for p in report.parts] == [
        ("Other chapters", ["preface"]),
        ("Getting started", ["welcome", "install"]),
        ("Reference", ["keys"]),
    ]
    assert [e.exercise_id for e in report.exercises] == ["mine"]


def test_progress_lines_fit_the_progress_screen_at_80_columns() -> None:
    """The screen gives the text 80 - 6 columns; no line may wrap there, even with nothing recorded."""
    from peeragogy_tui.core.progress_text import progress_lines

    report = build_progress([("a", "A", None)], {}, [], {}, [], today=date(2026, 12, 2))
    assert all(len(line) <= 74 for line in progress_lines(report, width=74))
