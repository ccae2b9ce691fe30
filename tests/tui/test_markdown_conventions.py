"""Footnotes and alerts in the reader: snapshots of how they look, Pilot for following a footnote both ways."""

from __future__ import annotations

from pathlib import Path

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.widgets.document_view import DocumentView

BOOK = Path(__file__).resolve().parents[1] / "fixtures" / "markdown-book"


def book_app(start: str):
    return create_app(load_handbook(BOOK), start=start, restore=False)


def test_alerts_snapshot(snap_compare):
    assert snap_compare(book_app("alerts"), press=["t"], terminal_size=(90, 40))


def test_footnotes_snapshot(snap_compare):
    assert snap_compare(book_app("footnotes"), press=["t"], terminal_size=(90, 30))


async def click_text(pilot, view: DocumentView, needle: str, after: int = 0) -> None:
    """Click the first on-screen occurrence of ``needle`` at or after layout line ``after``."""
    lines = view.lines
    number = next(n for n in range(after, len(lines)) if needle in lines[n].plain)
    view.scroll_to_line(number)
    await pilot.pause()
    column = lines[number].plain.index(needle)
    margin = view._laid_out_for[1]
    await pilot.click(DocumentView, offset=(margin + column, number - round(view.scroll_y)))
    await pilot.pause()


async def test_a_footnote_reference_opens_its_note_and_the_back_link_returns():
    app = book_app("footnotes")
    async with app.run_test(size=(70, 8)) as pilot:
        view = app.main_screen.document_view
        await pilot.pause()
        layout = view.layout_result
        assert layout is not None
        note, reference = layout.anchors["fn-1"], layout.anchors["fnref-1"]
        assert note > reference + 4  # far enough apart that following one moves the view
        await click_text(pilot, view, "[1]")
        assert round(view.scroll_y) == min(note, view.max_scroll_y)
        assert "[1] Learning circles" in "\n".join(line.plain for line in view.lines[round(view.scroll_y) :])
        await click_text(pilot, view, "↩", after=note)
        assert round(view.scroll_y) == reference
