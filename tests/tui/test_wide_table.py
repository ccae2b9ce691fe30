"""A table too wide for the reader stays readable: whole words in its cells, and it scrolls sideways."""

from __future__ import annotations

from pathlib import Path

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.render.layout import MIN_COLUMN
from peeragogy_tui.tui.app import create_app

COLUMNS = 20


def wide_table_book(root: Path) -> Path:
    header = "| " + " | ".join(f"Column {n}" for n in range(COLUMNS)) + " |"
    rule = "|" + "---|" * COLUMNS
    rows = ["| " + " | ".join(f"value {r}.{n} words" for n in range(COLUMNS)) + " |" for r in range(12)]
    body = "# Wide\n\nA table with twenty columns:\n\n" + "\n".join([header, rule, *rows]) + "\n\nAfter the table.\n"
    root.mkdir(parents=True, exist_ok=True)
    (root / "wide.md").write_text("---\ntitle: Wide\n---\n" + body, encoding="utf-8")
    return root


def wide_app(tmp_path: Path):
    return create_app(load_handbook(wide_table_book(tmp_path / "book")), restore=False)


def test_wide_table_at_80_columns(snap_compare, tmp_path):
    assert snap_compare(wide_app(tmp_path), terminal_size=(80, 24))


def test_wide_table_scrolled_sideways(snap_compare, tmp_path):
    assert snap_compare(wide_app(tmp_path), press=["t", "l", "l", "l"], terminal_size=(80, 24))


async def test_cells_keep_their_words_and_l_h_scroll_sideways(tmp_path):
    app = wide_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.main_screen.document_view
        rows = [line.plain for line in view.lines if line.plain.startswith("│")]
        assert len(rows) <= 1 + 12 * 2, "a cell takes at most two lines, never a letter a line"
        assert "Column 0" in rows[0] and "Column 19" in rows[0]
        assert all(len(cell) - 2 >= MIN_COLUMN for cell in rows[0][1:-1].split("│"))
        assert view.max_scroll_x > 0
        shown = "".join(view.render_line(y).text for y in range(view.size.height))
        assert "Column 19" not in shown
        await pilot.press(*["l"] * 60)
        assert view.scroll_x == view.max_scroll_x
        shown = "".join(view.render_line(y).text for y in range(view.size.height))
        assert "Column 19" in shown
        await pilot.press(*["h"] * 60)
        assert view.scroll_x == 0
