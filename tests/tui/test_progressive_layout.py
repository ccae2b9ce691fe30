"""Pilot tests: a long chapter is laid out progressively, and every place in it is still reached.

The background layout is held at a gate, so each test sees the chapter while
it is still being laid out (deterministically, not by racing it), then lets
it finish and checks where the view landed.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.reading_state import ReadingPosition, save_position
from peeragogy_tui.core.render import layout_document, parse_document
from peeragogy_tui.core.render.progressive import LayoutJob
from peeragogy_tui.tui.widgets.document_view import DocumentView

SIZE = (100, 30)
PARAGRAPHS = 1500
DEEP_BLOCK = 1400


def long_chapter() -> str:
    parts = ["# Long", ""]
    for number in range(PARAGRAPHS):
        if number % 50 == 0:
            parts += [f"## Part {number // 50}", ""]
        parts += [f"Paragraph {number} of the long chapter, with a few words to wrap at narrow widths.", ""]
    parts += ["## The far end", "", "Here lives the zyzzyva, once.", ""]
    parts += [f"Afterword {number}.\n" for number in range(60)]
    return "\n".join(parts)


@pytest.fixture
def long_book(tmp_path: Path):
    root = tmp_path / "book"
    root.mkdir()
    (root / "long.md").write_text("---\ntitle: Long\norder: 1\n---\n" + long_chapter(), encoding="utf-8")
    (root / "short.md").write_text("---\ntitle: Short\norder: 2\n---\n# Short\n\nHi.\n", encoding="utf-8")
    return load_handbook(root)


@pytest.fixture
def gate(monkeypatch):
    """Holds the background layout until ``gate.set()``."""
    event = asyncio.Event()
    original = DocumentView._lay_out_rest

    async def gated(self, job):
        await event.wait()
        await original(self, job)

    monkeypatch.setattr(DocumentView, "_lay_out_rest", gated)
    return event


def full_layout(view: DocumentView):
    text_width, _ = view._laid_out_for
    return layout_document(parse_document(long_chapter()), text_width)


def percent(screen) -> int:
    found = re.search(r"· (\d+)%", screen.status_text)
    assert found, screen.status_text
    return int(found.group(1))


async def finish(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_first_screen_is_right_before_the_rest_is_laid_out(long_book, make_app, gate):
    app = make_app(long_book, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        assert not view.layout_complete, "the background layout is still held"
        height = view.scrollable_content_region.height
        expected = [line.plain for line in full_layout(view).lines]
        assert height <= len(view.lines) < len(expected) // 10
        assert [line.plain for line in view.lines] == expected[: len(view.lines)]
        shown = [view.render_line(y).text for y in range(height)]
        assert shown[0].strip() == "Long"
        assert [row.strip() for row in shown] == [line.strip() for line in expected[:height]]
        gate.set()
        await finish(app, pilot)
        assert view.layout_complete
        assert [line.plain for line in view.lines] == expected


async def test_saved_position_deep_in_the_chapter_lands_on_its_line(long_book, make_app, gate, monkeypatch):
    monkeypatch.setattr("peeragogy_tui.tui.widgets.document_view._FIRST_SLICE", 0.0)  # no time to look for it
    save_position(long_book.root, long_book.lang, ReadingPosition(long_book.chapters[0].id, DEEP_BLOCK, 0))
    app = make_app(long_book)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        assert not view.layout_complete
        assert len(view.layout_result.block_lines) <= DEEP_BLOCK, "the saved block is not laid out yet"
        gate.set()
        await finish(app, pilot)
        expected = full_layout(view)
        assert view.scroll_y == expected.block_lines[DEEP_BLOCK]
        assert view.top_block == DEEP_BLOCK


async def test_search_match_deep_in_the_chapter_lands_on_its_line(long_book, make_app, gate):
    app = make_app(long_book, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = app.main_screen, app.main_screen.document_view
        assert not view.layout_complete
        screen.show_matches("zyzzyva")
        assert view.current_match is None, "the match is not laid out yet"
        gate.set()
        await finish(app, pilot)
        assert len(view.matches) == 1 and view.current_match == 0
        match = view.matches[0]
        assert "zyzzyva" in view.lines[match.line].plain[match.start : match.end]
        top, height = round(view.scroll_y), view.scrollable_content_region.height
        assert top <= match.line < top + height
        assert "match 1/1" in screen.status_text


async def test_heading_link_deep_in_the_chapter_lands_on_its_line(long_book, make_app, gate):
    app = make_app(long_book, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = app.main_screen, app.main_screen.document_view
        assert "the-far-end" not in view.layout_result.anchors
        screen.follow_link("#the-far-end")
        await pilot.pause()
        gate.set()
        await finish(app, pilot)
        assert view.scroll_y == full_layout(view).anchors["the-far-end"]
        assert view.render_line(0).text.strip() == "The far end"


async def test_end_during_layout_reaches_the_end_and_the_percentage_follows(long_book, make_app, gate):
    app = make_app(long_book, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = app.main_screen, app.main_screen.document_view
        assert not view.layout_complete
        assert percent(screen) == 0, screen.status_text
        await pilot.press("G")
        gate.set()
        await finish(app, pilot)
        height = view.scrollable_content_region.height
        assert view.max_scroll_y == len(full_layout(view).lines) - height > 0
        assert view.scroll_y == view.max_scroll_y
        assert percent(screen) == 100, screen.status_text
        assert view.render_line(height - 1).text.strip() == "Afterword 59."
        await pilot.press("g")
        assert percent(screen) == 0, screen.status_text


async def test_percentage_is_0_at_the_top_and_100_at_the_end(bundled, make_app):
    app = make_app(bundled, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await pilot.pause()
        assert app.main_screen.document_view.max_scroll_y > 0
        assert percent(screen) == 0, screen.status_text
        await pilot.press("G")
        await pilot.pause()
        assert percent(screen) == 100, screen.status_text
        await pilot.press("g")
        await pilot.pause()
        assert percent(screen) == 0, screen.status_text


async def test_resize_during_layout_keeps_the_place_and_finishes(long_book, make_app, gate):
    app = make_app(long_book, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        gate.set()
        await finish(app, pilot)
        assert view.layout_complete
        assert [line.plain for line in view.lines] == [line.plain for line in full_layout(view).lines]
        assert view.scroll_y == 0


async def test_resize_during_layout_keeps_the_block_at_the_top(long_book, make_app, gate):
    app = make_app(long_book, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        height = view.scrollable_content_region.height
        view._job.advance(lines=len(view.lines) + 4 * height)  # a little more laid out, the rest held
        view._grew()
        block = view.layout_result.block_at(2 * height)
        view.scroll_to_block(block)
        await pilot.pause()
        assert view.top_block == block and not view.layout_complete
        await pilot.resize_terminal(70, 30)
        gate.set()
        await finish(app, pilot)
        assert view._laid_out_for[0] < SIZE[0] - 32 and view.layout_complete
        assert view.top_block == block
        assert view.scroll_y == full_layout(view).block_lines[block]


async def test_resize_deep_in_a_laid_out_chapter_keeps_the_block_at_the_top(long_book, make_app, gate):
    gate.set()
    app = make_app(long_book, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        await finish(app, pilot)
        view.scroll_to_block(DEEP_BLOCK)
        await pilot.pause()
        await pilot.resize_terminal(60, 30)
        await finish(app, pilot)
        assert view.layout_complete and view.top_block == DEEP_BLOCK
        assert view.scroll_y == full_layout(view).block_lines[DEEP_BLOCK]
        assert [line.plain for line in view.lines] == [line.plain for line in full_layout(view).lines]


async def test_a_burst_of_resizes_is_laid_out_once_at_the_last_size(long_book, make_app, gate, monkeypatch):
    """Each resize restarts the wait (here a long one, so the burst surely falls inside it)."""
    monkeypatch.setattr("peeragogy_tui.tui.widgets.relayout.RESIZE_SETTLE", 1.0)
    jobs: list[int] = []

    class CountedJob(LayoutJob):
        def __init__(self, document, width, *args, **kwargs):
            jobs.append(width)
            super().__init__(document, width, *args, **kwargs)

    monkeypatch.setattr("peeragogy_tui.tui.widgets.document_view.LayoutJob", CountedJob)
    gate.set()
    app = make_app(long_book, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        await finish(app, pilot)
        opened_at = list(jobs)
        top = view.top_block
        for width in (90, 75, 66):
            await pilot.resize_terminal(width, 30)
        assert jobs == opened_at, "nothing laid out while the resizes keep coming"
        shown = [line.plain for line in view.lines]
        assert shown and view.render_line(0).text.strip(), "the old lines are shown meanwhile"
        await finish(app, pilot)
        assert len(jobs) == len(opened_at) + 1 and jobs[-1] == view._laid_out_for[0] < jobs[0]
        assert view.layout_complete and view.top_block == top
        assert [line.plain for line in view.lines] == [line.plain for line in full_layout(view).lines]


async def test_the_scroll_height_follows_the_layout_when_the_reader_nears_its_end(long_book, make_app, gate, monkeypatch):
    """Far from the lines laid out so far, the scroll height may lag (each update lays the screen
    out again); near them, it follows at once, and at the end it is exact."""
    monkeypatch.setattr("peeragogy_tui.tui.widgets.document_view._RESIZE_EVERY", 3600.0)
    app = make_app(long_book, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        height = view.scrollable_content_region.height
        job = view._job
        job.advance(lines=len(view.lines) + 20 * height)
        view._grew()  # the reader is at the top, within three screens of the end laid out: follow
        first = view.virtual_size.height
        assert first == len(view.lines)
        job.advance(lines=len(view.lines) + 20 * height)
        view._grew()  # far from it now: the height may wait
        assert view.virtual_size.height == first < len(view.lines)
        view.scroll_to(y=first - height, animate=False, immediate=True)
        await pilot.pause()
        job.advance(lines=len(view.lines) + height)
        view._grew()  # near the end of what it can scroll: follow at once
        assert view.virtual_size.height == len(view.lines)
        await pilot.press("pagedown", "pagedown")
        assert view.scroll_y > first - height, "the reader scrolls on into the new lines"
        gate.set()
        await finish(app, pilot)
        assert view.layout_complete and view.virtual_size.height == len(full_layout(view).lines)
