"""The tree snapshot gives back the handbook it was made from, and a bad one is no snapshot."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
from pathlib import Path

import pytest
from book_support import folder_book, summary_book, translated_book, write

from peeragogy_tui.core.handbook import Chapter, Handbook, TocNode, load_handbook
from peeragogy_tui.core.handbook.tree_snapshot import (
    SnapshotHandbook,
    differences,
    read_snapshot,
    snapshot_path,
    write_snapshot,
)
from peeragogy_tui.core.handbook.watch import HandbookSource

CHAPTER_FIELDS = [field.name for field in dataclasses.fields(Chapter)]


def snapshotted(root: Path) -> HandbookSource:
    """The handbook in ``root``, loaded once: its snapshot is written."""
    source = HandbookSource(root)
    source.keep_snapshot(source.load())
    return source


def outline(nodes: list[TocNode], depth: int = 0) -> list[tuple[int, str, str, str | None]]:
    rows = []
    for node in nodes:
        rows.append((depth, node.title, node.kind, node.chapter.id if node.chapter else None))
        rows.extend(outline(node.children, depth + 1))
    return rows


def chapter_facts(handbook: Handbook) -> list[tuple[object, ...]]:
    return [tuple(getattr(chapter, name) for name in CHAPTER_FIELDS) for chapter in handbook.chapters]


def assert_same(snapshot: Handbook, real: Handbook) -> None:
    assert outline(snapshot.tree) == outline(real.tree)
    assert chapter_facts(snapshot) == chapter_facts(real), "every field, the bodies read from the files too"
    assert (snapshot.root, snapshot.lang, snapshot.languages) == (real.root, real.lang, real.languages)
    assert snapshot.problems == real.problems
    assert {path: c.id for path, c in snapshot.by_path.items()} == {path: c.id for path, c in real.by_path.items()}
    assert snapshot.by_id.keys() == real.by_id.keys()
    assert {link: c.id for link, c in snapshot.by_permalink.items()} == {
        link: c.id for link, c in real.by_permalink.items()
    }
    assert snapshot.folder_urls == real.folder_urls
    assert (snapshot.site_host, snapshot.skipped, snapshot.fallback_root) == (
        real.site_host,
        real.skipped,
        real.fallback_root,
    )
    for chapter in real.chapters:
        assert snapshot.get(chapter.id) is snapshot.chapters[chapter.index]
        assert snapshot.find(str(chapter.path)) is snapshot.get(chapter.id)


@pytest.mark.parametrize(("make", "lang"), [(folder_book, None), (summary_book, None), (translated_book, "fr")])
def test_the_snapshot_gives_back_the_loaded_handbook(tmp_path: Path, make, lang: str | None) -> None:
    root = make(tmp_path / "book")
    source = HandbookSource(root, lang)
    real = source.load()
    source.keep_snapshot(real)
    snapshot = source.load_snapshot()
    assert isinstance(snapshot, SnapshotHandbook)
    assert_same(snapshot, real)
    assert differences(snapshot, load_handbook(root, lang)) is None


def test_a_chapter_reads_its_body_only_when_asked(tmp_path: Path) -> None:
    root = folder_book(tmp_path / "book")
    source = snapshotted(root)
    snapshot = source.load_snapshot()
    assert snapshot is not None
    intro = snapshot.get("intro")
    assert intro is not None
    write(root, "intro.md", "---\ntitle: Intro\norder: 1\n---\n# Ignored\n\nEdited after the snapshot.\n")
    assert "Edited after the snapshot." in intro.body, "the file as it is now, not as it was"
    assert not intro.body.startswith("---"), "without its frontmatter"


def test_edits_after_the_snapshot_are_named_by_file(tmp_path: Path) -> None:
    root = folder_book(tmp_path / "book")
    source = snapshotted(root)
    snapshot = source.load_snapshot()
    assert snapshot is not None
    write(root, "second.md", "---\norder: 2\npart: Basics\n---\n# Second, renamed\n")
    write(root, "added.md", "# Added\n")
    (root / "plain.md").unlink()
    found = differences(snapshot, load_handbook(root))
    assert found is not None
    added, modified, deleted = found
    assert added == {str(root / "added.md")}
    assert str(root / "second.md") in modified
    assert deleted == {str(root / "plain.md")}


def test_only_the_shape_changed_is_still_a_difference(tmp_path: Path) -> None:
    root = summary_book(tmp_path / "book")
    source = snapshotted(root)
    snapshot = source.load_snapshot()
    assert snapshot is not None
    summary = (root / "SUMMARY.md").read_text(encoding="utf-8")
    write(root, "SUMMARY.md", summary.replace("---\n\n", ""))  # the separator goes: no chapter changes
    assert differences(snapshot, load_handbook(root)) is not None


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not json at all",
        b'{"key": "someone else", "fingerprint": "x", "data": {}}',
        b"\xff\xfe\x00garbage",
    ],
)
def test_a_corrupt_or_foreign_snapshot_is_no_snapshot(tmp_path: Path, damage: bytes) -> None:
    root = folder_book(tmp_path / "book")
    source = snapshotted(root)
    snapshot_path(root, None).write_bytes(damage)
    assert source.load_snapshot() is None
    source.keep_snapshot(source.load())
    assert source.load_snapshot() is not None, "written again"


def test_a_snapshot_of_the_wrong_shape_is_no_snapshot(tmp_path: Path) -> None:
    root = folder_book(tmp_path / "book")
    source = snapshotted(root)
    path = snapshot_path(root, None)
    head, _newline, rest = path.read_bytes().partition(b"\n")
    stored = json.loads(head)
    for broken in ({"tree": [[1, 2]]}, {"chapters": [["only an id"]]}, {"tree": [["T", "weird kind", None, []]]}):
        path.write_bytes(json.dumps({**stored, "data": {**stored["data"], **broken}}).encode() + b"\n" + rest)
        assert source.load_snapshot() is None, broken
    path.write_bytes(head + b"\n{damaged details")
    snapshot = source.load_snapshot()
    assert snapshot is not None, "the details are read only when needed"
    assert snapshot.chapters[0].meta == {}, "damaged details read as none (the real load replaces them)"


def test_a_frontmatter_json_cannot_keep_means_no_snapshot(tmp_path: Path) -> None:
    root = folder_book(tmp_path / "book")
    source = snapshotted(root)
    assert snapshot_path(root, None).exists()
    write(root, "dated.md", "---\ndate: 2024-01-02\n---\n# Dated\n")
    assert write_snapshot(root, None, load_handbook(root)) is None
    assert not snapshot_path(root, None).exists(), "the old one would only be swapped out at every start"
    assert source.load_snapshot() is None


def test_the_snapshot_is_private(tmp_path: Path) -> None:
    root = folder_book(tmp_path / "book")
    snapshotted(root)
    path = snapshot_path(root, None)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_control_characters_in_a_snapshot_never_reach_a_title(tmp_path: Path) -> None:
    root = folder_book(tmp_path / "book")
    snapshotted(root)
    path = snapshot_path(root, None)
    head, _newline, rest = path.read_bytes().partition(b"\n")
    stored = json.loads(head)
    stored["data"]["chapters"][0][1] = "Evil\x1b[31m title"
    path.write_bytes(json.dumps(stored).encode() + b"\n" + rest)
    snapshot = read_snapshot(root, None)
    assert snapshot is not None
    assert snapshot.chapters[0].title == "Evil title"
    assert all("\x1b" not in node.title for node in snapshot.tree)
