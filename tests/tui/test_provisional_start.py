"""A large handbook's first start: the provisional tree at once, the real one swapped in without a jump."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
from test_live_reload import shown, wait_for, write

from peeragogy_tui.core import handbook as handbook_package
from peeragogy_tui.core.handbook import provisional
from peeragogy_tui.core.handbook.provisional import ProvisionalHandbook
from peeragogy_tui.core.handbook.watch import ChangeSet, HandbookSource
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.widgets.chapter_tree import LAZY_FROM, ChapterTree


def book(root: Path, chapters: int = 450, top_every: int = 3) -> Path:
    """Chapters at the top (ordered against their names), then folders the first frame does not all need."""
    for number in range(chapters):
        folder = root if number % top_every == 0 else root / f"part-{number % 5}" / f"level-{number % 2}"
        body = f"The text of chapter {number}." if number else "\n\n".join(f"First paragraph {n}." for n in range(60))
        write(folder / f"c{number:04d}.md", f"---\ntitle: Chapter {number}\norder: {chapters - number}\n---\n\n{body}\n")
    return root


@pytest.fixture(autouse=True)
def provisional_from_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(provisional, "PROVISIONAL_FROM", LAZY_FROM)


def lines(tree: ChapterTree) -> list[str]:
    """The tree's lines from its top as the reader sees them (labels, scrolled)."""
    top = round(tree.scroll_y)
    return [tree._tree_lines[n].node.label.plain for n in range(top, min(top + tree.size.height, len(tree._tree_lines)))]


def provisional_app(root: Path, live: bool):
    source = HandbookSource(root)
    handbook = source.load_provisional()
    assert isinstance(handbook, ProvisionalHandbook)
    return create_app(handbook, restore=False, live_reload=source if live else None), source


async def test_the_real_handbook_replaces_the_provisional_one_and_is_kept(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    app, source = provisional_app(root, live=True)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.main_screen.query_one(ChapterTree)
        first = lines(tree)
        assert first[0] == "Chapter 447", "ordered by frontmatter, as a full load orders it"
        assert "The text of chapter 447." in shown(app)
        await wait_for(pilot, app.live_reload.settled.is_set, "the real load")
        await pilot.pause()
        assert not isinstance(app.handbook, ProvisionalHandbook)
        assert lines(tree) == first, "the tree looks the same once the real handbook is in"
        assert app.main_screen.chapter is app.handbook.chapters[0], "the chapter a full load opens"
    assert source.load_snapshot() is not None, "the next start shows the snapshot"


async def test_the_highlighted_chapter_stays_on_its_line_when_the_tree_fills_in(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    app, source = provisional_app(root, live=False)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.main_screen.query_one(ChapterTree)
        tree.focus()
        for _ in range(40):
            await pilot.press("down")
        await pilot.pause()
        before = tree.cursor_node
        assert before is not None and before.data is not None
        row = tree.cursor_line - round(tree.scroll_y)
        assert round(tree.scroll_y) > 0, "scrolled: the line on screen is what must not move"
        open_before = app.main_screen.chapter
        app.handbook = real = source.load()
        app.main_screen.handbook_changed(real, ChangeSet())
        await pilot.pause()
        after = tree.cursor_node
        assert after is not None and after.data is not None
        assert after.data.id == before.data.id and after.data is real.get(before.data.id)
        assert tree.cursor_line - round(tree.scroll_y) == row, "the same line on screen"
        assert app.main_screen.chapter is not None and open_before is not None
        assert app.main_screen.chapter.id == open_before.id


async def test_an_expanded_folder_stays_expanded_and_fills_in(tmp_path: Path) -> None:
    root = book(tmp_path / "book", chapters=1000, top_every=50)
    app, source = provisional_app(root, live=False)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.main_screen.query_one(ChapterTree)
        folders = [node for node in tree.root.children if node.data is None and node.allow_expand]
        assert [node.label.plain for node in folders] == [f"Part {n}" for n in range(5)]
        unread = folders[1]
        tree._build_branch(unread)
        unread.expand()
        await pilot.pause()
        assert [child.label.plain for child in unread.children] == [provisional.LOADING], "not read yet"
        real = source.load()
        app.handbook = real
        app.main_screen.handbook_changed(real, ChangeSet())
        await pilot.pause()
        again = next(node for node in tree.root.children if node.label.plain == "Part 1")
        assert again.is_expanded, "what the reader expanded stays expanded"
        assert [child.label.plain for child in again.children] == ["Level 0", "Level 1"]


async def test_a_file_changed_after_the_provisional_read_shows_once_the_real_load_is_in(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    app, _source = provisional_app(root, live=True)
    write(root / "c0447.md", "---\ntitle: Chapter 447, edited\norder: 3\n---\n\nThe edited text.\n")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, app.live_reload.settled.is_set, "the real load")
        await pilot.pause()
        tree = app.main_screen.query_one(ChapterTree)
        assert lines(tree)[0] == "Chapter 447, edited"
        await wait_for(pilot, lambda: "The edited text." in shown(app), "the open chapter shown again")


@pytest.mark.parametrize("top_every", [3, 50, 1000])
async def test_what_the_tree_expands_at_start_is_read(tmp_path: Path, top_every: int) -> None:
    root = book(tmp_path / "book", chapters=1000, top_every=top_every)
    app, _source = provisional_app(root, live=False)
    async with app.run_test(size=(100, 30)):
        tree = app.main_screen.query_one(ChapterTree)
        expanded = [node for node in tree._built_nodes() if node.is_expanded]
        assert expanded or top_every == 3, "the start expands some folders"
        for node in expanded:
            assert [str(child.label) for child in node.children] != [provisional.LOADING], str(node.label)
        assert tree.cursor_node is not None and tree.cursor_node.data is app.main_screen.chapter


async def test_quitting_at_once_still_leaves_the_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = book(tmp_path / "book")
    app, source = provisional_app(root, live=True)
    full_load = handbook_package.load_handbook
    loaded_in: list[threading.Thread] = []

    def slow_load(*args, **kwargs):
        loaded_in.append(threading.current_thread())
        time.sleep(0.5)  # the full load of a large handbook, still under way when the reader quits
        return full_load(*args, **kwargs)

    monkeypatch.setattr(handbook_package, "load_handbook", slow_load)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("q")
    assert loaded_in and not loaded_in[0].daemon, "a thread the interpreter waits for before the process ends"
    deadline = time.monotonic() + 20
    while source.load_snapshot() is None:
        assert time.monotonic() < deadline, "the snapshot was never written"
        await asyncio.sleep(0.05)
