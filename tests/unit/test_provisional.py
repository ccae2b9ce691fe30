"""A large handbook's first start: the top of the tree read exactly, the rest pending until the full load.

The thresholds are lowered so that small folders take the provisional path
and have folders left unread.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from peeragogy_tui.core.handbook import load_handbook, provisional
from peeragogy_tui.core.handbook.models import TocNode
from peeragogy_tui.core.handbook.provisional import (
    LOADING,
    PendingChapter,
    ProvisionalHandbook,
    load_provisional,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "books"


@pytest.fixture(autouse=True)
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(provisional, "PROVISIONAL_FROM", 3)
    monkeypatch.setattr(provisional, "EAGER_NODES", 8)
    monkeypatch.setattr(provisional, "CHUNK", 4)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def chapter(title: str, order: int | None = None, extra: str = "") -> str:
    front = f"title: {title}\n" + (f"order: {order}\n" if order is not None else "") + extra
    return f"---\n{front}---\n\n# {title}\n\nThe text of {title}.\n"


def book(root: Path) -> Path:
    """Root chapters out of name order, parts, an index file, broken frontmatter, deep folders."""
    write(root / "zeta.md", chapter("Zeta first", 1))
    write(root / "alpha.md", chapter("Alpha second", 2))
    write(root / "grouped-b.md", chapter("Grouped B", 4, "part: A group\n"))
    write(root / "grouped-a.md", chapter("Grouped A", 3, "part: A group\n"))
    write(root / "broken.md", "---\ntitle: [unclosed\n---\n\n# Broken\n")
    write(root / "guide" / "index.md", chapter("The guide", 5))
    write(root / "guide" / "two.md", chapter("Guide two", 2))
    write(root / "guide" / "one.md", chapter("Guide one", 1))
    for letter in "abcdef":
        write(root / "later" / f"{letter}.md", chapter(f"Later {letter}", 10 - ord(letter) % 10))
        write(root / "later" / "deep" / "deeper" / f"{letter}.md", chapter(f"Deep {letter}", ord(letter) % 5))
    write(root / "more" / "x.md", "---\nweight: 2\n---\n# More x\n")
    write(root / "more" / "y.md", "---\nnav_order: 1\n---\n# More y\n")
    return root


def same_where_known(shown: list[TocNode], real: list[TocNode], where: str = "") -> int:
    """Assert that ``shown`` is ``real`` except below folders not read yet; how many folders were not read."""
    assert [node.title for node in shown] == [node.title for node in real], where
    unread = 0
    for mine, theirs in zip(shown, real, strict=True):
        assert mine.kind == theirs.kind, where
        assert (mine.chapter and mine.chapter.id) == (theirs.chapter and theirs.chapter.id), where
        if mine.chapter is not None and not isinstance(mine.chapter, PendingChapter):
            assert theirs.chapter is not None
            assert (mine.chapter.index, mine.chapter.depth, mine.chapter.problem) == (
                theirs.chapter.index,
                theirs.chapter.depth,
                theirs.chapter.problem,
            ), mine.chapter.id
        if [(c.title, c.kind) for c in mine.children] == [(LOADING, "draft")]:
            unread += 1
            assert theirs.children, "a folder not read yet is one that has chapters"
            continue
        unread += same_where_known(mine.children, theirs.children, f"{where}/{mine.title}")
    return unread


def test_the_provisional_tree_is_the_full_tree_where_it_was_read(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    shown = load_provisional(root)
    real = load_handbook(root)
    assert isinstance(shown, ProvisionalHandbook)
    assert same_where_known(shown.tree, real.tree) > 0, "some folders are left for later"
    assert [node.title for node in shown.tree][:3] == ["Zeta first", "Alpha second", "A group"]
    assert shown.chapters[0].id == real.chapters[0].id == "zeta", "the chapter a full load opens"
    assert len(shown.chapters) == len(real.chapters)
    assert sorted(shown.by_id) == sorted(real.by_id), "every chapter is there by its id"
    assert [p.path for p in shown.problems] == [p.path for p in real.problems if p.path.parent == root]


def test_a_pending_chapter_reads_its_file_when_used(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    write(root / "later" / "deep" / "deeper" / "bad.md", "---\ntitle: x\norder: [1\n---\n# Bad\n")
    shown = load_provisional(root)
    real = load_handbook(root)
    assert shown is not None
    pending = [c for c in shown.chapters if isinstance(c, PendingChapter)]
    assert pending and not any(c.read for c in pending), "nothing read before it is used"
    for chapter in pending:
        full = real.get(chapter.id)
        assert full is not None
        assert (chapter.title, chapter.body, chapter.body_line, chapter.order, chapter.tags) == (
            full.title,
            full.body,
            full.body_line,
            full.order,
            full.tags,
        )
        assert chapter.problem == full.problem, "malformed YAML: the same error, file and line"
    assert any(c.problem is not None and c.problem.line is not None for c in pending)


def test_the_full_tree_is_the_same_whatever_was_read(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    before = load_handbook(root)
    load_provisional(root)  # shares the frontmatter cache and the folder-level code with the full load
    after = load_handbook(root)
    assert same_where_known(after.tree, before.tree) == 0


def test_contents_files_translations_and_small_handbooks_load_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("mdbook", "gitbook"):
        shutil.copytree(FIXTURES / name, tmp_path / name)
        assert load_provisional(tmp_path / name) is None, f"{name}: its contents file needs every file"
    root = book(tmp_path / "readme-list")
    write(root / "README.md", "# Contents\n\n- [Zeta](zeta.md)\n- [Alpha](alpha.md)\n")
    assert load_provisional(root) is None, "a README that is a list is the contents"
    translated = tmp_path / "translated"
    book(translated / "en")
    book(translated / "es")
    assert load_provisional(translated, "es") is None, "a translation's English fallbacks need every file"
    assert isinstance(load_provisional(translated, "en"), ProvisionalHandbook)
    monkeypatch.setattr(provisional, "PROVISIONAL_FROM", 1000)
    assert load_provisional(book(tmp_path / "small")) is None


def test_a_readme_that_introduces_is_read_as_a_chapter(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    write(root / "README.md", "# Welcome\n\nSome words about this handbook, and [a link](zeta.md).\n")
    shown, real = load_provisional(root), load_handbook(root)
    assert shown is not None
    same_where_known(shown.tree, real.tree)


def test_jekyll_layout_is_the_same(tmp_path: Path) -> None:
    root = tmp_path / "jekyll"
    shutil.copytree(FIXTURES / "jekyll", root)
    shown, real = load_provisional(root), load_handbook(root)
    assert shown is not None
    same_where_known(shown.tree, real.tree)
    assert [c.id for c in shown.chapters][:1] == [c.id for c in real.chapters][:1]


def test_a_read_chapter_is_found_by_id_without_making_every_id(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    shown, real = load_provisional(root), load_handbook(root)
    assert shown is not None
    assert shown.get("zeta") is shown.chapters[0]
    assert shown.__dict__.get("_lazy_by_id") is None, "no pending chapter's id was made"
    assert shown.get("later/deep/deeper/a") is not None and shown.get("nothing") is None
    assert sorted(shown.by_id) == sorted(real.by_id)


def test_a_pending_file_with_a_read_index_files_id_is_found_as_a_full_load_finds_it(tmp_path: Path) -> None:
    root = book(tmp_path / "book")
    write(root / "more" / "index.md", chapter("More, the folder", 9))
    write(root / "more" / "index.markdown", chapter("The other index", 1))
    shown, real = load_provisional(root), load_handbook(root)
    assert shown is not None
    found, wanted = shown.get("more/index"), real.get("more/index")
    assert found is not None and wanted is not None and found.path == wanted.path
