"""Live reload: edits, new files, renames and deletions in the handbook folder show while the app is open.

Each test edits files and then waits for the condition it expects (never a
fixed sleep); the deadline is only there so that a broken reload fails
instead of hanging.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.handbook.watch import ChangeSet, HandbookSource, counts, moved_chapter
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.widgets.chapter_tree import ChapterTree

DEADLINE = 20.0
"""Seconds before a wait gives up: far above the < 1 s a reload takes, for a loaded 2-core machine."""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def book(root: Path) -> Path:
    write(root / "a.md", "---\norder: 1\n---\n# Alpha\n\n" + "\n\n".join(f"Paragraph {n} of alpha." for n in range(80)))
    write(root / "b.md", "---\norder: 2\n---\n# Beta\n\nBeta words.\n")
    return root


async def wait_for(pilot, condition: Callable[[], bool], what: str) -> float:
    """Let the app run until ``condition()`` holds; the seconds it took."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < DEADLINE, f"gave up waiting for {what}"
        await pilot.pause(0.02)
    return time.monotonic() - start


def shown(app) -> str:
    return "\n".join(line.plain for line in app.main_screen.document_view.lines)


def tree_titles(app) -> list[str]:
    tree = app.main_screen.query_one(ChapterTree)
    titles: list[str] = []

    def walk(node) -> None:
        for child in node.children:
            titles.append(str(child.label))
            walk(child)

    walk(tree.root)
    return titles


def live_app(root: Path, start: str = "a"):
    return create_app(load_handbook(root), start=start, restore=False, live_reload=HandbookSource(root))


async def started(pilot, app) -> None:
    await wait_for(pilot, lambda: app.live_reload is not None and app.live_reload.ready.is_set(), "the watcher")


async def test_an_edit_rerenders_the_open_chapter_at_the_same_place(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    app = live_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        view = app.main_screen.document_view
        view.scroll_to_line(40)
        await pilot.pause()
        text = (root / "a.md").read_text().replace("Paragraph 70 of alpha.", "Paragraph 70, edited by the author.")
        (root / "a.md").write_text(text)
        took = await wait_for(pilot, lambda: "edited by the author" in shown(app), "the edit")
        assert round(view.scroll_y) == 40
        assert took < DEADLINE


async def test_new_renamed_and_deleted_files_update_the_tree(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    app = live_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        write(root / "c.md", "---\norder: 3\n---\n# Gamma\n\nNew chapter.\n")
        await wait_for(pilot, lambda: "Gamma" in tree_titles(app), "the new file in the tree")
        (root / "b.md").unlink()
        await wait_for(pilot, lambda: "Beta" not in tree_titles(app), "the deleted file to leave the tree")
        assert app.handbook.get("b") is None and app.handbook.get("c") is not None
        # The open chapter is renamed: the reader follows it.
        (root / "a.md").rename(root / "alpha.md")
        await wait_for(pilot, lambda: app.main_screen.chapter.id == "alpha", "the reader to follow the rename")
        assert "Paragraph 3 of alpha." in shown(app)


async def test_the_search_index_catches_up(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    app = live_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        index = app.search_index()
        assert not index.search("quokka")
        write(root / "b.md", "---\norder: 2\n---\n# Beta\n\nA quokka visits.\n")
        await wait_for(pilot, lambda: app.live_reload.applied > 0 and bool(index.search("quokka")), "the index")
        assert [hit.chapter_id for hit in index.search("quokka")] == ["b"]
        assert index.last_sync.files == 2 and index.last_sync.indexed <= 1  # incremental: only b.md again


async def test_an_include_change_rerenders_the_chapter_that_includes_it(tmp_path: Path) -> None:
    root = tmp_path / "book"
    write(root / "a.md", "# Alpha\n\n{{#include parts/snippet.txt}}\n")
    write(root / "parts" / "snippet.txt", "first snippet\n")
    app = live_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        assert "first snippet" in shown(app)
        (root / "parts" / "snippet.txt").write_text("second snippet\n")
        await wait_for(pilot, lambda: "second snippet" in shown(app), "the included file's edit")


async def test_apps_without_live_reload_start_no_watcher(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    app = create_app(load_handbook(root), restore=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.live_reload is None
        assert not any(thread.name == "peeragogy-live-reload" for thread in threading.enumerate())


def test_changes_that_do_not_count(tmp_path: Path) -> None:
    assert counts(tmp_path / "a.md", tmp_path)
    assert counts(tmp_path / "listings" / "main.rs", tmp_path)
    for name in (".a.md.swp", "a.md~", "#a.md#", "4913", ".git/index", "book/index.html", ".hidden/a.md"):
        assert not counts(tmp_path / name, tmp_path), name
    hidden_home = tmp_path / ".local" / "handbook"
    assert counts(hidden_home / "a.md", hidden_home)  # the handbook itself may be in a hidden folder


def test_change_sets_merge_and_a_rename_is_followed(tmp_path: Path) -> None:
    first = ChangeSet.from_watchfiles({(1, str(tmp_path / "new.md")), (2, str(tmp_path / "x.md"))}, tmp_path)
    later = ChangeSet.from_watchfiles({(3, str(tmp_path / "new.md"))}, tmp_path)
    merged = first.merged(later)
    assert merged.deleted == {tmp_path / "new.md"} and merged.modified == {tmp_path / "x.md"} and not merged.added
    root = book(tmp_path / "book")
    old = load_handbook(root).get("b")
    assert old is not None
    (root / "b.md").rename(root / "beta.md")
    renamed = ChangeSet(added=frozenset({root / "beta.md"}), deleted=frozenset({root / "b.md"}))
    found = moved_chapter(old, renamed, load_handbook(root))
    assert found is not None and found.id == "beta"
    assert moved_chapter(old, ChangeSet(deleted=frozenset({root / "b.md"})), load_handbook(root)) is None
