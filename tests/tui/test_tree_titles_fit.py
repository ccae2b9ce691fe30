"""Tree titles wider than the pane end with "…", keep a fallback "(en)" whole, and the tree never scrolls sideways (issue 11)."""

from __future__ import annotations

from pathlib import Path

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.paths import bundled_handbook_dir
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.widgets.chapter_tree import LAZY_FROM, ChapterTree

LONG = "A chapter title far too long to fit in a narrow contents pane at all"


def tree_lines(tree: ChapterTree) -> list[str]:
    """The tree's visible lines as plain text, right padding removed."""
    return [tree.render_line(y).text.rstrip() for y in range(min(tree.size.height, len(tree._tree_lines)))]


def assert_fits(tree: ChapterTree) -> None:
    room = tree.scrollable_content_region.width
    assert room > 0
    assert tree.virtual_size.width <= room, "a line is wider than the pane, so the tree would scroll sideways"
    assert not tree.show_horizontal_scrollbar
    for line in tree_lines(tree):
        assert len(line) <= room, line


def folder_with_long_titles(folder: Path, count: int) -> Path:
    folder.mkdir()
    for number in range(1, count + 1):
        title = f"{LONG} {number}" if number % 2 else f"Short {number}"
        (folder / f"{number:05d}-c.md").write_text(f"# {title}\n\nText.\n", encoding="utf-8")
    return folder


async def test_long_titles_end_with_an_ellipsis_and_fit_at_80_columns(tmp_path: Path) -> None:
    app = create_app(load_handbook(folder_with_long_titles(tmp_path / "book", 6)), restore=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(ChapterTree)
        assert_fits(tree)
        lines = tree_lines(tree)
        cut = [line for line in lines if "A chapter title" in line]
        assert len(cut) == 3
        assert all(line.endswith("…") for line in cut)
        assert any(line.endswith("Short 2") for line in lines), "short titles are not cut"


async def test_the_bundled_tree_fits_at_80_and_at_120_columns() -> None:
    for size in ((80, 24), (120, 40)):
        app = create_app(load_handbook(bundled_handbook_dir()), restore=False)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            assert_fits(app.screen.query_one(ChapterTree))


async def test_titles_refit_when_the_terminal_is_resized(tmp_path: Path) -> None:
    app = create_app(load_handbook(folder_with_long_titles(tmp_path / "book", 4)), restore=False)
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(ChapterTree)
        wide = [line for line in tree_lines(tree) if "A chapter title" in line]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert_fits(tree)
        narrow = [line for line in tree_lines(tree) if "A chapter title" in line]
        assert all(line.endswith("…") for line in narrow)
        assert len(narrow[0]) < len(wide[0])


async def test_a_fallback_marker_stays_whole_after_the_cut(tmp_path: Path) -> None:
    book = tmp_path / "book"
    (book / "en").mkdir(parents=True)
    (book / "es").mkdir()
    (book / "en" / "01-intro.md").write_text("# Introduction\n\nHello.\n", encoding="utf-8")
    (book / "en" / "02-long.md").write_text(f"# {LONG}\n\nOnly in English.\n", encoding="utf-8")
    (book / "es" / "01-intro.md").write_text("# Introducción\n\nHola.\n", encoding="utf-8")
    app = create_app(load_handbook(book, "es"), restore=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(ChapterTree)
        assert_fits(tree)
        fallback = [line for line in tree_lines(tree) if "A chapter" in line]
        assert len(fallback) == 1
        assert fallback[0].endswith("… (en)"), fallback[0]


async def test_nested_titles_are_cut_to_the_room_beside_their_guides(tmp_path: Path) -> None:
    book = tmp_path / "book"
    (book / "part-one").mkdir(parents=True)
    (book / "SUMMARY.md").write_text(
        "# Summary\n\n- [Part](part-one/README.md)\n  - [" + LONG + "](part-one/long.md)\n", encoding="utf-8"
    )
    (book / "part-one" / "README.md").write_text("# Part\n\nIntro.\n", encoding="utf-8")
    (book / "part-one" / "long.md").write_text(f"# {LONG}\n\nText.\n", encoding="utf-8")
    app = create_app(load_handbook(book), restore=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(ChapterTree)
        assert_fits(tree)
        nested = [line for line in tree_lines(tree) if "A chapter" in line]
        assert len(nested) == 1 and nested[0].endswith("…")
        assert len(nested[0]) == tree.scrollable_content_region.width


async def test_a_lazy_tree_cuts_its_titles_too(tmp_path: Path) -> None:
    app = create_app(load_handbook(folder_with_long_titles(tmp_path / "book", LAZY_FROM + 10)), restore=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(ChapterTree)
        assert tree.lazy
        assert_fits(tree)
        tree.focus()
        await pilot.press("end")
        await pilot.pause()
        assert_fits(tree)
        assert any(line.endswith("…") for line in tree_lines(tree))
