"""Real handbook conventions (issue 9): mdBook and GitBook contents, Jekyll/Hugo order, titles.

The fixtures under ``tests/fixtures/books/`` each follow one convention:
``mdbook/`` (a ``book.toml`` and a ``src/SUMMARY.md`` with prefix and suffix
chapters, parts, separators and a draft), ``gitbook/en-md/`` (a README that is
only a list of absolute links to this folder) and ``jekyll/`` (``nav_order``,
``weight`` and permalinks).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from book_support import write

from peeragogy_tui.core.handbook import Handbook, TocNode, load_handbook, walk_tree
from peeragogy_tui.core.handbook.markdown_file import read_markdown_file

BOOKS = Path(__file__).resolve().parent.parent / "fixtures" / "books"


def ids(handbook: Handbook) -> list[str]:
    return [chapter.id for chapter in handbook.chapters]


def shape(nodes: list[TocNode], depth: int = 0) -> list[tuple[int, str, str]]:
    """``(depth, kind, title)`` for every node, in reading order."""
    return [(d, node.kind, node.title) for node, d in walk_tree(nodes, depth)]


# --- mdBook --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mdbook() -> Handbook:
    return load_handbook(BOOKS / "mdbook", cache=False)


def test_mdbook_folder_is_read_from_its_src_folder(mdbook: Handbook) -> None:
    assert mdbook.root == BOOKS / "mdbook" / "src"
    assert mdbook.problems == []


def test_mdbook_summary_rules_in_full(mdbook: Handbook) -> None:
    assert shape(mdbook.tree) == [
        (0, "chapter", "Preface"),  # prefix chapters: before the first part, never nested
        (0, "chapter", "Foreword"),
        (0, "separator", ""),
        (0, "part", "Getting started"),  # a part title groups what follows
        (1, "chapter", "Welcome"),
        (2, "chapter", "Installing it"),  # link text, Markdown reduced
        (1, "chapter", "Patterns"),
        (2, "draft", "Draft chapter"),  # [Title](): shown, not openable
        (1, "separator", ""),
        (0, "part", "Reference"),
        (1, "chapter", "Setext page"),
        (1, "chapter", "The html links"),
        (1, "external", "Upstream"),
        (0, "chapter", "Contributors"),  # suffix chapter: after the last list, top level
        (0, "part", "Not in the contents"),
        (1, "chapter", "Not listed anywhere"),
    ]


def test_mdbook_opens_on_the_prefix_chapter(mdbook: Handbook) -> None:
    assert ids(mdbook)[:2] == ["preface", "foreword"]
    assert ids(mdbook)[-2:] == ["contributors", "unlisted"]
    assert "SUMMARY" not in ids(mdbook), "the contents file is not a chapter"


def test_drafts_and_separators_are_not_chapters(mdbook: Handbook) -> None:
    for node, _ in walk_tree(mdbook.tree):
        if node.kind in ("draft", "separator", "external", "part"):
            assert node.chapter is None and not node.openable
        else:
            assert node.openable
    assert len(mdbook.chapters) == 9


def test_contents_link_text_is_the_chapter_title(mdbook: Handbook) -> None:
    preface = mdbook.get("preface")
    assert preface.title == "Preface", "mdBook's sidebar title, not the file's H1"
    assert mdbook.get("guide/install").title == "Installing it"


def test_summary_that_starts_with_a_list_and_ends_with_a_separator_and_suffix(tmp_path: Path) -> None:
    """rust-lang/mdBook's own guide: no prefix, a '-----------' line, then one suffix chapter."""
    write(
        tmp_path,
        "SUMMARY.md",
        "# Summary\n\n- [Introduction](README.md)\n- [Format](format/README.md)\n"
        "    - [SUMMARY.md](format/summary.md)\n        - [Draft chapter]()\n\n"
        "-----------\n\n[Contributors](misc/contributors.md)\n",
    )
    for name in ("README", "format/README", "format/summary", "misc/contributors"):
        write(tmp_path, f"{name}.md", f"# File {name}\n\nText.\n")
    handbook = load_handbook(tmp_path, cache=False)
    assert shape(handbook.tree) == [
        (0, "chapter", "Introduction"),
        (0, "chapter", "Format"),
        (1, "chapter", "SUMMARY.md"),
        (2, "draft", "Draft chapter"),
        (0, "separator", ""),
        (0, "chapter", "Contributors"),
    ]
    assert handbook.problems == []


def test_gitbook_style_summary_with_h2_parts(tmp_path: Path) -> None:
    """rust-lang/book's SUMMARY: an H1 book title, then '##' part titles."""
    write(
        tmp_path,
        "SUMMARY.md",
        "# The Book\n\n## Getting started\n\n- [Intro](ch01.md)\n\n## Basics\n\n- [Modules](ch07.md)\n- [I/O]()\n",
    )
    write(tmp_path, "ch01.md", "# Ch 1\n")
    write(tmp_path, "ch07.md", "# Ch 7\n")
    handbook = load_handbook(tmp_path, cache=False)
    assert shape(handbook.tree) == [
        (0, "part", "Getting started"),
        (1, "chapter", "Intro"),
        (0, "part", "Basics"),
        (1, "chapter", "Modules"),
        (1, "draft", "I/O"),
    ]


def test_link_without_text_keeps_the_files_title(tmp_path: Path) -> None:
    write(tmp_path, "SUMMARY.md", "- [](a.md)\n- [B](b.md)\n")
    write(tmp_path, "a.md", "# The A file\n")
    write(tmp_path, "b.md", "# The B file\n")
    handbook = load_handbook(tmp_path, cache=False)
    assert [c.title for c in handbook.chapters] == ["The A file", "B"]


# --- README or index as the contents --------------------------------------------------------


def test_readme_that_is_only_a_list_is_not_a_chapter(tmp_path: Path) -> None:
    write(tmp_path, "README.md", "# Contents\n\n- [One](one.md)\n- [Two](two.md)\n")
    write(tmp_path, "one.md", "# One\n")
    write(tmp_path, "two.md", "# Two\n")
    handbook = load_handbook(tmp_path, cache=False)
    assert ids(handbook) == ["one", "two"]


def test_index_md_is_a_contents_file_too(tmp_path: Path) -> None:
    write(tmp_path, "index.md", "- [Zed](zed.md)\n- [Alpha](alpha.md)\n")
    write(tmp_path, "alpha.md", "# Alpha\n")
    write(tmp_path, "zed.md", "# Zed\n")
    assert ids(load_handbook(tmp_path, cache=False)) == ["zed", "alpha"]


def test_readme_with_more_prose_than_list_is_not_the_contents(tmp_path: Path) -> None:
    prose = "This handbook is about many things, and this paragraph says so at length. " * 4
    write(tmp_path, "README.md", f"# Welcome\n\n{prose}\n\n- [Zed](zed.md)\n- [Alpha](alpha.md)\n")
    write(tmp_path, "alpha.md", "---\norder: 1\n---\n# Alpha\n")
    write(tmp_path, "zed.md", "---\norder: 2\n---\n# Zed\n")
    assert ids(load_handbook(tmp_path, cache=False)) == ["alpha", "zed", "README"]


def test_summary_wins_over_readme(tmp_path: Path) -> None:
    write(tmp_path, "SUMMARY.md", "- [B](b.md)\n- [A](a.md)\n")
    write(tmp_path, "README.md", "- [A](a.md)\n- [B](b.md)\n")
    write(tmp_path, "a.md", "# A\n")
    write(tmp_path, "b.md", "# B\n")
    assert ids(load_handbook(tmp_path, cache=False)) == ["b", "a", "README"]


# --- Frontmatter order: Jekyll's nav_order, Hugo's weight -----------------------------------


def test_nav_order_and_weight_order_chapters() -> None:
    handbook = load_handbook(BOOKS / "jekyll", cache=False)
    assert ids(handbook) == ["home", "start", "about", "weighted", "aaa-no-order"]
    assert handbook.get("weighted").title == "Weighted (Hugo)"


def test_order_wins_over_nav_order(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\norder: 2\nnav_order: 1\n---\n# A\n")
    write(tmp_path, "b.md", "---\nnav_order: 1.5\n---\n# B\n")
    assert ids(load_handbook(tmp_path, cache=False)) == ["b", "a"]


# --- Titles -----------------------------------------------------------------------------------


def test_titles_in_the_mdbook_fixture_files() -> None:
    """Without the contents' link text: H1, setext H1, never an H4, else the file name."""
    from peeragogy_tui.core.handbook import chapter_title

    src = BOOKS / "mdbook" / "src"
    titles = {name: chapter_title(read_markdown_file(src / name)) for name in ("setext.md", "patterns.md", "preface.md", "foreword.md", "guide/install.md")}
    assert titles == {
        "setext.md": "Setext title",
        "patterns.md": "Patterns",
        "preface.md": "The preface as the file calls it",
        "foreword.md": "Foreword",
        "guide/install.md": "Installing",
    }


# --- Search names chapters as the contents does ----------------------------------------------


def test_search_titles_follow_the_contents_and_its_edits(tmp_path: Path) -> None:
    import os

    from peeragogy_tui.core.search import index_for

    def dated(path: Path) -> None:
        moment = path.stat().st_mtime - 3600
        os.utime(path, (moment, moment))

    summary = write(tmp_path, "SUMMARY.md", "- [Sidebar name](a.md)\n- [B](b.md)\n")
    dated(summary)
    dated(write(tmp_path, "a.md", "# File heading\n\nshared word\n"))
    dated(write(tmp_path, "b.md", "# B heading\n\nshared word\n"))
    with index_for(tmp_path, None, include_exercises=False) as index:
        assert {hit.title for hit in index.search("shared")} == {"Sidebar name", "B"}
    summary.write_text("- [Renamed](a.md)\n- [B](b.md)\n", encoding="utf-8")
    dated(summary)
    dated(summary)  # a different mtime from the first write
    with index_for(tmp_path, None, include_exercises=False) as index:
        assert {hit.title for hit in index.search("shared")} == {"Renamed", "B"}
