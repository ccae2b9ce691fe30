"""Pilot tests: a long chapter shows its head at once, and its full parse takes over in place.

The full parse (a thread) is held at a gate, so each test sees the head on screen
deterministically, then lets the parse finish and checks where the view is.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.reading_state import ReadingPosition, load_position, save_position
from peeragogy_tui.core.render import parse_document
from peeragogy_tui.core.render.document_cache import StartupDocument
from peeragogy_tui.core.render.head import LONG_CHAPTER_CHARS
from peeragogy_tui.tui import full_parse

SIZE = (100, 30)
DEEP_BLOCK = 2500


def long_body() -> str:
    parts = ["# Very long", ""]
    for number in range(3000):
        parts += [f"Paragraph {number} of a chapter longer than its head, with words to wrap at narrow widths.", ""]
    parts += ["## The far end", "", "The zyzzyva lives here.", ""]
    return "\n".join(parts)


@pytest.fixture
def long_book(tmp_path: Path):
    root = tmp_path / "book"
    root.mkdir()
    body = long_body()
    assert len(body) > LONG_CHAPTER_CHARS
    (root / "long.md").write_text("---\ntitle: Very long\norder: 1\n---\n" + body, encoding="utf-8")
    return load_handbook(root)


@pytest.fixture
def parse_gate(monkeypatch):
    """Holds the full parse (the one not on the app's thread) until ``gate.set()``."""
    gate = threading.Event()

    def gated(markdown, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            assert gate.wait(30), "the test never opened the gate"
        return parse_document(markdown, **kwargs)

    monkeypatch.setattr(full_parse, "parse_document", gated)
    return gate


def percent(screen) -> int:
    found = re.search(r"· (\d+)%", screen.status_text)
    assert found, screen.status_text
    return int(found.group(1))


async def until(pilot, condition, seconds: float = 20.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not met in time")


async def test_head_first_then_the_whole_chapter_in_place(long_book, make_app, parse_gate):
    app = make_app(long_book, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        view = screen.document_view
        assert view.document.partial and not view.layout_complete
        assert "Paragraph 0 of a chapter" in view.lines[2].plain or any(
            "Paragraph 0 of a chapter" in line.plain for line in view.lines[:6]
        )
        head_blocks = len(view.document.blocks)
        await pilot.press("pagedown", "pagedown", "down")
        line = round(view.scroll_y)
        assert line > 0
        top_text = view.lines[line].plain
        parse_gate.set()
        await until(pilot, lambda: not view.document.partial and view.layout_complete)
        assert len(view.document.blocks) > head_blocks
        assert round(view.scroll_y) == line and view.lines[line].plain == top_text, "the place is kept"


async def test_end_while_only_the_head_is_here_goes_to_the_real_end(long_book, make_app, parse_gate):
    app = make_app(long_book, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        view = screen.document_view
        await pilot.press("end")
        await pilot.pause()
        assert view.document.partial
        assert percent(screen) < 20, "the end of the head (a tenth of the chapter) is not its end"
        parse_gate.set()
        await until(pilot, lambda: view.layout_complete and view.scroll_y == view.max_scroll_y)
        await pilot.pause()
        assert any("zyzzyva" in line.plain for line in view.lines[-5:])
        assert percent(screen) == 100


async def test_saved_position_beyond_the_head_lands_after_the_full_parse(long_book, make_app, parse_gate):
    save_position(long_book.root, long_book.lang, ReadingPosition("long", DEEP_BLOCK, 0))
    app = make_app(long_book)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        assert view.document.partial and len(view.document.blocks) < DEEP_BLOCK
        parse_gate.set()
        await until(pilot, lambda: view.layout_complete and view.top_block == DEEP_BLOCK)
        assert f"Paragraph {DEEP_BLOCK - 1} " in view.lines[round(view.scroll_y)].plain


async def test_a_search_match_beyond_the_head_is_reached(long_book, make_app, parse_gate):
    app = make_app(long_book, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        view.highlight("zyzzyva")
        view.goto_match(0)
        assert view.document.partial
        parse_gate.set()
        await until(pilot, lambda: view.layout_complete and view.current_match == 0)
        await pilot.pause()
        top = round(view.scroll_y)
        shown = "\n".join(line.plain for line in view.lines[top : top + SIZE[1]])
        assert "zyzzyva" in shown


def test_startup_cache_keeps_a_head_of_a_long_chapter(long_book):
    chapter = long_book.get("long")
    whole = parse_document(chapter.body)
    cache = StartupDocument(long_book.root, long_book.lang)
    cache.save("long", chapter.body, whole, top_block=50)
    assert cache.path.stat().st_size < len(chapter.body) / 2, "no copy of the whole body in the entry"
    head = StartupDocument(long_book.root, long_book.lang).load("long", chapter.body)
    assert head is not None and head.partial
    assert 50 < len(head.blocks) < len(whole.blocks)
    assert StartupDocument(long_book.root, long_book.lang).load("long", chapter.body + "\nedited\n") is None


@pytest.fixture
def table_book(tmp_path: Path):
    root = tmp_path / "tables"
    root.mkdir()
    rows = "".join(f"| {n} | peer {n} | notes on week {n}, a few words to wrap |\n" for n in range(3000))
    # Far below the head, a long name: the whole table's columns differ from its head's, and its rows wrap.
    rows = rows.replace("| peer 2500 |", "| peer 2500, whose name is longer than any other in this table by far |")
    body = "# Attendance\n\n| # | Who | Notes |\n|---:|---|---|\n" + rows + "\nThe zyzzyva closes the table.\n"
    assert len(body) > LONG_CHAPTER_CHARS
    (root / "table.md").write_text("---\ntitle: Attendance\norder: 1\n---\n" + body, encoding="utf-8")
    return load_handbook(root)


async def test_a_long_table_shows_its_first_rows_then_the_rest_in_place(table_book, make_app, parse_gate):
    app = make_app(table_book, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        assert view.document.partial, "a one-block chapter of a long table still gets a head"
        first_rows = len(view.document.blocks[1].rows)
        assert first_rows < 3000
        await pilot.press("pagedown", "pagedown", "down")
        top_row = peer_at_top(view)
        assert top_row > 10
        parse_gate.set()
        await until(pilot, lambda: not view.document.partial and view.layout_complete)
        assert len(view.document.blocks[1].rows) == 3000
        assert peer_at_top(view) == top_row, "the same row at the top (the whole table's columns are wider)"
        await pilot.press("end")
        await pilot.pause()
        assert any("zyzzyva" in text.plain for text in view.lines[-3:])


def peer_at_top(view) -> int:
    found = re.search(r"peer (\d+)", view.lines[round(view.scroll_y)].plain)
    assert found, view.lines[round(view.scroll_y)].plain
    return int(found.group(1))


async def at_table_row(pilot, app, row: int):
    """Wait for the whole table, put its row ``row`` (the header is row 0) at the top: the view."""
    view = app.main_screen.document_view
    await until(pilot, lambda: not view.document.partial and view.layout_complete)
    view.scroll_to_line(view.layout_result.table_rows[1][row])
    await pilot.pause()
    assert peer_at_top(view) == row - 1
    return view


async def test_a_resize_keeps_the_table_row_at_the_top(table_book, make_app, parse_gate):
    parse_gate.set()
    app = make_app(table_book, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        view = await at_table_row(pilot, app, 1200)
        await pilot.resize_terminal(70, 30)
        await until(pilot, lambda: view.layout_complete)
        await pilot.pause()
        assert peer_at_top(view) == 1199, "not the top of the table, nor another row"


async def test_far_down_a_long_chapter_the_cache_keeps_only_its_head(long_book, make_app, parse_gate):
    chapter = long_book.get("long")
    whole = parse_document(chapter.body)
    StartupDocument(long_book.root, long_book.lang).save("long", chapter.body, whole, top_block=DEEP_BLOCK)
    head = StartupDocument(long_book.root, long_book.lang).load("long", chapter.body)
    assert head is not None and head.partial
    assert len(head.blocks) < 1000 < DEEP_BLOCK, "not every block down to the place: a slow first frame"
    save_position(long_book.root, long_book.lang, ReadingPosition("long", DEEP_BLOCK, 0))
    app = make_app(long_book)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        assert view.document.partial
        parse_gate.set()
        await until(pilot, lambda: view.layout_complete and view.top_block == DEEP_BLOCK)


def test_startup_cache_keeps_the_first_rows_of_a_long_table(table_book):
    chapter = table_book.get("table")
    whole = parse_document(chapter.body)
    cache = StartupDocument(table_book.root, table_book.lang)
    cache.save("table", chapter.body, whole)
    head = StartupDocument(table_book.root, table_book.lang).load("table", chapter.body)
    assert head is not None and head.partial
    assert 0 < len(head.blocks[1].rows) < 3000
    assert head.blocks[1].rows == whole.blocks[1].rows[: len(head.blocks[1].rows)]


async def test_the_row_read_last_in_a_long_table_is_where_the_reader_reopens(table_book, make_app, parse_gate):
    parse_gate.set()
    app = make_app(table_book)
    async with app.run_test(size=SIZE) as pilot:
        view = await at_table_row(pilot, app, 1800)
        await pilot.press("q")
    position = load_position(table_book.root, table_book.lang)
    assert position is not None and (position.block, position.row) == (1, 1800)
    again = make_app(table_book)
    async with again.run_test(size=(70, 30)) as pilot:
        view = again.main_screen.document_view
        await until(pilot, lambda: view.layout_complete and view.scroll_y > 0)
        await pilot.pause()
        assert peer_at_top(view) == 1799, "the same row, at another width, not the table's top"
