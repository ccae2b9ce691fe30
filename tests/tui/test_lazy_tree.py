"""Pilot tests: a large handbook's tree is built as it is expanded or scrolled to, and still reaches every chapter."""

from __future__ import annotations

from pathlib import Path

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.tui.widgets import chapter_tree
from peeragogy_tui.tui.widgets.chapter_tree import ChapterTree

SIZE = (100, 30)


def foldered(root: Path, folders: int = 12, per_folder: int = 50) -> Path:
    for folder in range(folders):
        for number in range(per_folder):
            path = root / f"part-{folder:02d}" / f"c{number:03d}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"# Part {folder} chapter {number}\n\nText.\n", encoding="utf-8")
    return root


def flat(root: Path, count: int = 1000) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (root / f"c{number:04d}.md").write_text(f"# Flat chapter {number}\n\nText.\n", encoding="utf-8")
    return root


async def test_a_large_tree_builds_only_what_is_shown_and_expands_on_demand(tmp_path, make_app):
    handbook = load_handbook(foldered(tmp_path / "book"))
    assert len(handbook.chapters) == 600 >= chapter_tree.LAZY_FROM
    app = make_app(handbook, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        tree = app.main_screen.query_one(ChapterTree)
        assert tree.lazy
        assert tree.built < 300, "only the first branches are built"
        first = tree.root.children[0]
        assert first.is_expanded and len(first.children) == 50
        last = tree.root.children[-1]
        assert not last.is_expanded and not last.children, "a branch not shown yet has no nodes"
        last.expand()
        await pilot.pause()
        assert len(last.children) == 50, "expanding builds the branch"


async def test_opening_a_chapter_far_down_builds_the_way_to_it(tmp_path, make_app):
    handbook = load_handbook(foldered(tmp_path / "book"))
    app = make_app(handbook, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        tree = app.main_screen.query_one(ChapterTree)
        target = handbook.chapters[-1]
        assert target.id not in tree._chapter_nodes
        app.main_screen.open_chapter(target.id)
        await pilot.pause()
        assert tree.cursor_node is not None and tree.cursor_node.data is target
        assert tree.cursor_node.parent.is_expanded


async def test_a_long_flat_list_is_built_as_it_is_scrolled_to(tmp_path, make_app):
    handbook = load_handbook(flat(tmp_path / "book"))
    app = make_app(handbook, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        tree = app.main_screen.query_one(ChapterTree)
        assert tree.built == chapter_tree.CHUNK < len(handbook.chapters)
        tree.focus()
        for _ in range(len(handbook.chapters) // chapter_tree.CHUNK + 2):
            await pilot.press("end")
            await pilot.pause()
        assert tree.built == len(handbook.chapters), "scrolling to the end built the rest"
        assert tree.cursor_node is not None and tree.cursor_node.data is handbook.chapters[-1]
        app.main_screen.open_chapter(handbook.chapters[500].id)
        await pilot.pause()
        assert tree.cursor_node.data is handbook.chapters[500]


async def test_a_small_tree_is_built_whole_and_expanded(bundled, make_app):
    app = make_app(bundled, restore=False)
    async with app.run_test(size=SIZE):
        tree = app.main_screen.query_one(ChapterTree)
        assert not tree.lazy
        assert len(tree._chapter_nodes) == len(bundled.chapters)
        assert all(node.is_expanded for node in tree.root.children if node.children)


async def test_showing_a_new_handbook_keeps_the_tree_lazy(tmp_path, make_app):
    handbook = load_handbook(foldered(tmp_path / "book"))
    app = make_app(handbook, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        tree = app.main_screen.query_one(ChapterTree)
        tree.show_handbook(load_handbook(tmp_path / "book"))
        await pilot.pause()
        assert tree.lazy and tree.built < 300
        target = tree.handbook.chapters[-1]
        tree.select_chapter(target.id)
        assert tree.cursor_node is not None and tree.cursor_node.data.id == target.id
