"""Starting from the tree snapshot: the tree at once, the real handbook swapped in when it differs."""

from __future__ import annotations

from pathlib import Path

from test_live_reload import shown, wait_for, write

from peeragogy_tui.core.handbook.tree_snapshot import SnapshotHandbook, snapshot_path
from peeragogy_tui.core.handbook.watch import HandbookSource
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.widgets.chapter_tree import ChapterTree


def book(root: Path) -> Path:
    """Three chapters (the live reload tests' two and a third)."""
    write(root / "a.md", "---\norder: 1\n---\n# Alpha\n\n" + "\n\n".join(f"Paragraph {n} of alpha." for n in range(80)))
    write(root / "b.md", "---\norder: 2\n---\n# Beta\n\nBeta words.\n")
    write(root / "c.md", "---\norder: 3\n---\n# Gamma\n\nGamma words.\n")
    return root


def tree_titles(app) -> list[str]:
    tree = app.main_screen.query_one(ChapterTree)
    return [str(node.label) for node in tree.root.children]


def cursor_title(app) -> str | None:
    node = app.main_screen.query_one(ChapterTree).cursor_node
    return node.data.title if node is not None and node.data is not None else None


def snapshot_app(root: Path, start: str):
    """The app as ``peeragogy --handbook root`` starts it once a snapshot exists."""
    source = HandbookSource(root)
    source.keep_snapshot(source.load())
    handbook = source.load_snapshot()
    assert isinstance(handbook, SnapshotHandbook)
    return create_app(handbook, start=start, restore=False, live_reload=source)


async def test_the_snapshot_tree_is_shown_and_an_unchanged_handbook_kept(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    app = snapshot_app(root, "b")
    async with app.run_test(size=(100, 30)) as pilot:
        assert tree_titles(app) == ["Alpha", "Beta", "Gamma"]
        assert "Beta words." in shown(app), "the body is read from the file"
        tree = app.main_screen.query_one(ChapterTree)
        await wait_for(pilot, app.live_reload.settled.is_set, "the real load")
        assert isinstance(app.handbook, SnapshotHandbook), "the same handbook: nothing to swap"
        assert app.main_screen.query_one(ChapterTree) is tree and cursor_title(app) == "Beta"


async def test_edits_made_before_the_start_show_once_the_real_load_is_done(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    app = snapshot_app(root, "b")
    write(root / "a.md", "---\norder: 1\n---\n# Alpha, edited\n\nNew alpha.\n")
    write(root / "d.md", "---\norder: 4\n---\n# Delta\n\nAdded.\n")
    (root / "c.md").unlink()
    write(root / "b.md", "---\norder: 2\n---\n# Beta\n\nBeta words, edited.\n")
    async with app.run_test(size=(100, 30)) as pilot:
        assert tree_titles(app) == ["Alpha", "Beta", "Gamma"], "first the tree as it was"
        await wait_for(pilot, app.live_reload.settled.is_set, "the real load")
        await pilot.pause()
        assert tree_titles(app) == ["Alpha, edited", "Beta", "Delta"]
        assert not isinstance(app.handbook, SnapshotHandbook)
        assert app.main_screen.chapter is app.handbook.get("b")
        assert cursor_title(app) == "Beta", "the cursor stays on the open chapter"
        assert "Beta words, edited." in shown(app)
    again = HandbookSource(root).load_snapshot()
    assert again is not None and [c.title for c in again.chapters] == ["Alpha, edited", "Beta", "Delta"], (
        "the snapshot is written again"
    )


async def test_the_open_chapter_deleted_before_the_start_is_said(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    app = snapshot_app(root, "c")
    (root / "c.md").unlink()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, app.live_reload.settled.is_set, "the real load")
        await pilot.pause()
        assert tree_titles(app) == ["Alpha", "Beta"]
        assert any("was deleted or moved" in str(n.message) for n in app._notifications)


async def test_a_start_without_a_snapshot_writes_one(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    source = HandbookSource(root)
    assert source.load_snapshot() is None
    app = create_app(source.load(), restore=False, live_reload=source)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, app.live_reload.settled.is_set, "the snapshot written")
    assert snapshot_path(root, None).exists()
    snapshot = source.load_snapshot()
    assert snapshot is not None and [c.title for c in snapshot.chapters] == ["Alpha", "Beta", "Gamma"]


async def test_a_corrupt_snapshot_starts_as_if_there_were_none(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    source = HandbookSource(root)
    source.keep_snapshot(source.load())
    snapshot_path(root, None).write_text('{"half a', encoding="utf-8")
    handbook = source.load_snapshot() or source.load()
    app = create_app(handbook, restore=False, live_reload=source)
    async with app.run_test(size=(100, 30)) as pilot:
        assert tree_titles(app) == ["Alpha", "Beta", "Gamma"]
        await wait_for(pilot, app.live_reload.settled.is_set, "the snapshot written")
    assert source.load_snapshot() is not None, "rewritten"
