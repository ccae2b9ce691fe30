"""Bookmarks (m, ') and the progress view (P), driven as a reader would."""

from __future__ import annotations

from pathlib import Path

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.handbook.identity import handbook_key
from peeragogy_tui.core.store.reading import open_reading_store
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.screens.bookmarks import BookmarksScreen
from peeragogy_tui.tui.screens.main import MainScreen
from peeragogy_tui.tui.screens.progress import ProgressScreen

HOSTILE_NOTE = "[@click=app.quit]quit[/] [bold]x \x1b]2;PWNED\x07"


def _app(book: Path | None = None):
    handbook = load_handbook(book or bundled_handbook_dir())
    return create_app(handbook, exercises=load_exercises(bundled_exercises_dir()), restore=False)


def _store_path(home: Path) -> Path:
    return home / "answers.sqlite3"


async def test_bookmark_a_place_with_a_note_and_jump_back(private_home: Path) -> None:
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = app.screen
        assert isinstance(main, MainScreen)
        await pilot.press("right_square_bracket", "right_square_bracket")
        marked = main.chapter
        view = main.document_view
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        block = view.top_block
        assert block > 0
        await pilot.press("m")
        await pilot.press(*"ask the group")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("right_square_bracket")
        assert main.chapter is not marked
        await pilot.press("apostrophe")
        await pilot.pause()
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is main
        assert main.chapter is marked and view.top_block == block
    with open_reading_store(_store_path(private_home)) as store:
        (mark,) = store.bookmarks()
    assert mark.note == "ask the group" and mark.chapter_id == marked.id and mark.block == block
    assert mark.handbook == handbook_key(main.handbook.root, main.handbook.lang)


async def test_escape_cancels_a_bookmark_and_a_hostile_note_is_kept_exact_and_shown_as_text(private_home: Path) -> None:
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "x", "escape")
        await pilot.pause()
        with open_reading_store(_store_path(private_home)) as store:
            assert store.bookmarks() == []
        main = app.screen
        with open_reading_store(_store_path(private_home)) as store:
            store.add_bookmark(main.reading.handbook_key, main.chapter.id, main.chapter.title, note=HOSTILE_NOTE)
        await pilot.press("apostrophe")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BookmarksScreen)
        shown = str(screen.query_one("OptionList").get_option_at_index(0).prompt)
        assert "[@click=app.quit]quit[/]" in shown and "\x1b" not in shown and "\x07" not in shown
        await pilot.press("enter")  # the markup did nothing: the app is still running
        await pilot.pause()
        assert app.is_running and app.screen is main
    with open_reading_store(_store_path(private_home)) as store:
        assert store.bookmarks()[0].note == HOSTILE_NOTE


async def test_delete_a_bookmark_after_confirming(private_home: Path) -> None:
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = app.screen
        with open_reading_store(_store_path(private_home)) as store:
            for note in ("one", "two"):
                store.add_bookmark(main.reading.handbook_key, main.chapter.id, main.chapter.title, note=note)
        await pilot.press("apostrophe")
        await pilot.pause()
        await pilot.press("d", "n")  # asked, said no: nothing goes
        await pilot.pause()
        await pilot.press("d", "y")
        await pilot.pause()
        assert len(app.screen.query_one("OptionList").options) == 1
    with open_reading_store(_store_path(private_home)) as store:
        assert [m.note for m in store.bookmarks()] == ["one"]


async def test_reading_to_the_end_counts_the_chapter_read_with_its_time(private_home: Path) -> None:
    app = _app()
    now = [1000.0]
    async with app.run_test(size=(80, 24)) as pilot:
        main = app.screen
        main.reading._clock = lambda: now[0]
        await pilot.press("right_square_bracket")  # a chapter opened at a known time
        chapter = main.chapter
        now[0] += 40
        await pilot.press("pagedown")
        now[0] += 3600  # walked away: at most two minutes of it count
        await pilot.press("end")
        await pilot.pause()
        main._save_position()
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        body = str(app.screen.query_one("#progress-body").render())
        assert "Chapters read" in body and "1 of 16" in body
    with open_reading_store(_store_path(private_home)) as store:
        entry = store.reading(main.reading.handbook_key)[chapter.id]
    assert entry.furthest == 1.0
    assert entry.seconds == 160


async def test_progress_view_fits_80x24_and_closes(private_home: Path) -> None:
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("P")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgressScreen)
        lines = str(screen.query_one("#progress-body").render()).splitlines()
        assert lines[0].startswith("Chapters read") and all(len(line) <= 80 for line in lines)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


def _fixed_report():
    from datetime import date

    from peeragogy_tui.core.progress import collect_progress

    handbook = load_handbook(bundled_handbook_dir())

    class Reading:  # what the reading store would hold: two chapters begun, one finished, some answers
        def reading(self, key):
            from peeragogy_tui.core.store.reading import ChapterReading

            stamp = "2026-11-30T10:00:00+00:00"
            return {
                "introduction": ChapterReading(key, "introduction", 400, 1.0, stamp, stamp),
                "convening": ChapterReading(key, "convening", 150, 0.45, stamp, stamp),
            }

        def answer_times(self):
            return ["2026-11-10T10:00:00+00:00"] * 3 + ["2026-11-24T10:00:00+00:00"] * 7 + ["2026-12-01T10:00:00+00:00"] * 2

    exercises = load_exercises(bundled_exercises_dir()).exercises
    statuses = {"reflect-convening": "done", "group-heartbeat": "in_progress"}
    return collect_progress(handbook, exercises, Reading(), statuses, today=date(2026, 12, 2))


def test_progress_view_snapshot_80x24_without_colour(snap_compare, monkeypatch) -> None:
    from textual.app import App

    monkeypatch.setenv("NO_COLOR", "1")
    report = _fixed_report()

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ProgressScreen(report, "the Peeragogy Handbook (en)"))

    assert snap_compare(Host(), terminal_size=(80, 24))


async def test_saving_the_place_opens_and_writes_the_store_off_the_apps_thread(private_home: Path, monkeypatch) -> None:
    """The first save opened the answer store (and imported the exercise models) on the app's
    thread: the longest freeze of a chapter's first second. It runs on the save thread now."""
    import threading

    import peeragogy_tui.core.store as store_package

    opened_on: list[int] = []
    real_open = store_package.open_store

    def recording_open(*args, **kwargs):
        opened_on.append(threading.get_ident())
        return real_open(*args, **kwargs)

    monkeypatch.setattr(store_package, "open_store", recording_open)
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = app.screen
        await pilot.press("right_square_bracket", "pagedown")
        await pilot.pause()
        chapter, block = main.chapter, main.document_view.top_block
        main._save_position()
        app.saves.drain()
        assert opened_on and threading.get_ident() not in opened_on
        with open_reading_store(_store_path(private_home)) as store:
            assert chapter.id in store.reading(main.reading.handbook_key)
    from peeragogy_tui.core.reading_state import load_position

    saved = load_position(app.handbook.root, app.handbook.lang)
    assert saved is not None and (saved.chapter_id, saved.block) == (chapter.id, block)
