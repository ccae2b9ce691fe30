"""How a folder of Markdown becomes a handbook: titles, order, parts, folders, SUMMARY/README, languages."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from book_support import write

from peeragogy_tui.core.handbook import Handbook, TocNode, load_handbook, walk_tree
from peeragogy_tui.core.handbook.markdown_file import read_markdown_file
from peeragogy_tui.errors import PeeragogyError
from peeragogy_tui.paths import bundled_handbook_dir


def front(**meta: object) -> str:
    lines = [f"{key}: {value}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def ids(handbook: Handbook) -> list[str]:
    return [chapter.id for chapter in handbook.chapters]


def outline(nodes: list[TocNode]) -> list[tuple[int, str, str | None]]:
    """(depth, title, chapter id or None) for every node, in reading order."""
    return [(depth, node.title, node.chapter.id if node.chapter else None) for node, depth in walk_tree(nodes)]


def node_titled(handbook: Handbook, title: str) -> TocNode:
    matches = [node for node, _ in walk_tree(handbook.tree) if node.title == title]
    assert len(matches) == 1, f"{title!r}: {outline(handbook.tree)}"
    return matches[0]


def assert_consistent(handbook: Handbook) -> None:
    """Reading order, indexes and lookup tables agree with the tree."""
    from_tree = [node.chapter for node, _ in walk_tree(handbook.tree) if node.chapter is not None]
    assert from_tree == handbook.chapters
    assert [c.index for c in handbook.chapters] == list(range(len(handbook.chapters)))
    assert len(set(ids(handbook))) == len(handbook.chapters)
    for chapter in handbook.chapters:
        assert handbook.get(chapter.id) is chapter
        assert handbook.find(str(chapter.path)) is chapter


# --- Files without frontmatter ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "title"),
    [
        ("a.md", "# Plain heading\n\nText.\n", "Plain heading"),
        ("b.md", "Some intro text.\n\n## Second level first\n\n# Later h1\n", "Later h1"),
        ("b2.md", "Some intro text.\n\n### Third\n\n## Second level\n\n## Another\n", "Second level"),
        ("setext.md", "A setext\ntitle\n========\n\nText.\n", "A setext title"),
        ("setext2.md", "#### Deeper\n\nSetext two\n----------\n", "Setext two"),
        ("fenced.md", "```sh\n# a shell comment\n```\n\n# Real title\n", "Real title"),
        ("listed.md", "- a list item\n---\n\nText.\n", "Listed"),
        ("pattern_file.md", "#### Context\n\nText.\n\n#### Problem\n", "Pattern file"),
        ("img.md", "# ![Logo](logo.png) **Bold** [linked](x.md) `code` {#anchor}\n", "Logo Bold linked code"),
        ("c.md", "# The *big* `idea` #\n", "The big idea"),
        ("my-first_notes.md", "No heading at all, just text.\n", "My first notes"),
        ("d.md", "---\ntitle: From frontmatter\n---\n# Heading loses\n", "From frontmatter"),
        ("e.md", "---\ntitle: '   '\n---\n# Blank title falls back\n", "Blank title falls back"),
        ("f.md", "# Esc\x1b[31mape\x1b[0m\n", "Escape"),
    ],
)
def test_title_from_frontmatter_then_heading_then_file_name(tmp_path: Path, name: str, text: str, title: str) -> None:
    write(tmp_path, name, text)
    write(tmp_path, "zz-other.md", "# Other\n")
    chapter = load_handbook(tmp_path).find(name)
    assert chapter is not None
    assert chapter.title == title
    assert not chapter.broken


def test_chapter_without_frontmatter_has_defaults(tmp_path: Path) -> None:
    write(tmp_path, "bare.md", "# Bare\n\nBody.\n")
    chapter = load_handbook(tmp_path).get("bare")
    assert chapter.order is None and chapter.part is None and chapter.permalink is None
    assert chapter.meta == {} and chapter.tags == [] and chapter.summary == ""
    assert chapter.lang == "en"
    assert chapter.body == "# Bare\n\nBody.\n" and chapter.body_line == 1


# --- Order -----------------------------------------------------------------------------------


def test_order_from_frontmatter_then_file_name(tmp_path: Path) -> None:
    files = {
        "alpha.md": 3,
        "beta.md": 1,
        "gamma.md": None,
        "delta.md": 2.5,
        "epsilon.md": None,
        "Zeta.md": 10,
        "aardvark.md": None,
    }
    for name, order in files.items():
        meta = front(order=order) if order is not None else ""
        write(tmp_path, name, f"{meta}# {name}\n")
    handbook = load_handbook(tmp_path)
    ordered = sorted((o, n) for n, o in files.items() if o is not None)
    unordered = sorted((n for n, o in files.items() if o is None), key=str.lower)
    expected = [Path(n).stem for _, n in ordered] + [Path(n).stem for n in unordered]
    assert ids(handbook) == expected
    assert [c.order for c in handbook.chapters[: len(ordered)]] == [float(o) for o, _ in ordered]
    assert_consistent(handbook)


def test_next_and_previous_follow_reading_order(tmp_path: Path) -> None:
    for number in range(1, 5):
        write(tmp_path, f"c{number}.md", front(order=5 - number) + f"# C{number}\n")
    handbook = load_handbook(tmp_path)
    chapters = handbook.chapters
    assert ids(handbook) == ["c4", "c3", "c2", "c1"]
    assert handbook.previous(chapters[0]) is None
    assert handbook.next(chapters[-1]) is None
    for before, after in itertools.pairwise(chapters):
        assert handbook.next(before) is after
        assert handbook.previous(after) is before


# --- Parts -----------------------------------------------------------------------------------


def test_part_groups_chapters(tmp_path: Path) -> None:
    write(tmp_path, "intro.md", front(order=0) + "# Intro\n")
    write(tmp_path, "one.md", front(order=1, part="Basics") + "# One\n")
    write(tmp_path, "two.md", front(order=2, part="Basics") + "# Two\n")
    write(tmp_path, "three.md", front(order=3, part="Advanced") + "# Three\n")
    write(tmp_path, "four.md", front(order=4, part="Advanced") + "# Four\n")
    write(tmp_path, "late-basic.md", front(order=9, part="Basics") + "# Late basic\n")
    handbook = load_handbook(tmp_path)
    assert [node.title for node in handbook.tree] == ["Intro", "Basics", "Advanced"]
    basics = node_titled(handbook, "Basics")
    advanced = node_titled(handbook, "Advanced")
    assert basics.chapter is None and advanced.chapter is None
    assert [n.chapter.id for n in basics.children] == ["one", "two", "late-basic"]
    assert [n.chapter.id for n in advanced.children] == ["three", "four"]
    assert ids(handbook) == ["intro", "one", "two", "late-basic", "three", "four"]
    assert all(c.depth == 0 for c in handbook.chapters), "parts do not count as depth"
    assert handbook.get("one").part == "Basics"
    assert_consistent(handbook)


# --- Folders ---------------------------------------------------------------------------------


def test_nested_folders(tmp_path: Path) -> None:
    write(tmp_path, "start.md", front(order=1) + "# Start\n")
    write(tmp_path, "garden/README.md", front(order=2, title="The garden") + "Intro to the garden.\n")
    write(tmp_path, "garden/soil.md", front(order=2) + "# Soil\n")
    write(tmp_path, "garden/water.md", front(order=1) + "# Water\n")
    write(tmp_path, "garden/tools/spade.md", "# Spade\n")
    write(tmp_path, "kitchen-notes/recipes.md", "# Recipes\n")
    write(tmp_path, "deep/er/still/leaf.md", "# Leaf\n")
    write(tmp_path, ".hidden/secret.md", "# Secret\n")
    write(tmp_path, "_drafts/draft.md", "# Draft\n")
    write(tmp_path, "notes.txt", "not markdown")
    handbook = load_handbook(tmp_path)
    assert set(ids(handbook)) == {
        "start",
        "garden/README",
        "garden/soil",
        "garden/water",
        "garden/tools/spade",
        "kitchen-notes/recipes",
        "deep/er/still/leaf",
    }
    garden = node_titled(handbook, "The garden")
    assert garden.chapter is handbook.get("garden/README"), "a folder's README is its node"
    assert [n.title for n in garden.children] == ["Water", "Soil", "Tools"]
    assert [n.chapter.id for n in node_titled(handbook, "Tools").children] == ["garden/tools/spade"]
    kitchen = node_titled(handbook, "Kitchen notes")
    assert kitchen.chapter is None
    assert [n.chapter.id for n in kitchen.children] == ["kitchen-notes/recipes"]
    assert handbook.get("garden/soil").depth == 1, "under the README chapter"
    assert handbook.get("start").depth == 0
    order = ids(handbook)
    assert order.index("garden/README") < order.index("garden/water") < order.index("garden/soil")
    assert order.index("start") < order.index("garden/README")
    assert "Leaf" in [title for _, title, _ in outline(handbook.tree)]
    assert_consistent(handbook)


@pytest.mark.parametrize("given", [".", "book", "./book/"])
def test_a_relative_folder_loads_as_its_absolute_path_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    root = tmp_path / "book"
    write(root, "top.md", "# Top\n")
    write(root, "sub/inner.md", "# Inner\n")
    write(root, "sub/deeper/leaf.md", "# Leaf\n")
    write(root, "a.b.md", "# Dotted\n")
    monkeypatch.chdir(root if given == "." else tmp_path)
    relative, absolute = load_handbook(Path(given)), load_handbook(root)
    assert ids(relative) == ids(absolute) == ["a.b", "sub/deeper/leaf", "sub/inner", "top"]
    assert outline(relative.tree) == outline(absolute.tree), "every folder in the tree, with its chapters"


def test_loose_chapters_next_to_a_short_folder_name_are_kept(tmp_path: Path) -> None:
    """A folder called 'faq' or 'img' is not a language folder when chapters sit beside it."""
    write(tmp_path, "intro.md", "# Intro\n")
    write(tmp_path, "faq/questions.md", "# Questions\n")
    write(tmp_path, "old/legacy.md", "# Legacy\n")
    handbook = load_handbook(tmp_path)
    assert set(ids(handbook)) == {"intro", "faq/questions", "old/legacy"}
    assert handbook.languages == []


# --- SUMMARY.md ------------------------------------------------------------------------------

SUMMARY = """\
# Summary

# Part One

- [Alpha](alpha.md)
  - [Alpha child](sub/alpha-child.md)
    - [Grandchild](sub/grandchild.md#section)
- [Beta](beta.md)
- [Ghost](ghost.md)

# Part Two

1. [Gamma](gamma.md)
2. [Beta again](beta.md)
3. [External](https://example.org/)
"""


def make_summary_book(root: Path) -> Path:
    summary = write(root, "SUMMARY.md", SUMMARY)
    for name in ("alpha", "beta", "gamma", "zebra", "sub/alpha-child", "sub/grandchild", "aaa-first"):
        write(root, f"{name}.md", f"# {Path(name).name.title()} title\n\nText.\n")
    return summary


def test_summary_defines_tree_and_order(tmp_path: Path) -> None:
    make_summary_book(tmp_path)
    handbook = load_handbook(tmp_path)
    assert ids(handbook)[:5] == ["alpha", "sub/alpha-child", "sub/grandchild", "beta", "gamma"]
    assert [node.title for node in handbook.tree][:2] == ["Part One", "Part Two"]
    part_one = node_titled(handbook, "Part One")
    assert part_one.chapter is None
    alpha = part_one.children[0]
    assert alpha.chapter is handbook.get("alpha")
    assert alpha.children[0].chapter is handbook.get("sub/alpha-child")
    assert alpha.children[0].children[0].chapter is handbook.get("sub/grandchild")
    assert [c.depth for c in handbook.chapters[:3]] == [0, 1, 2]
    assert "summary" not in {i.lower() for i in ids(handbook)}, "SUMMARY.md is not a chapter"
    assert ids(handbook).count("beta") == 1
    assert_consistent(handbook)


def test_summary_link_to_missing_file_is_a_problem(tmp_path: Path) -> None:
    summary = make_summary_book(tmp_path)
    handbook = load_handbook(tmp_path)
    line = next(n for n, text in enumerate(SUMMARY.splitlines(), start=1) if "ghost.md" in text)
    problems = [p for p in handbook.problems if p.path == summary]
    assert len(problems) == 1
    assert problems[0].line == line
    assert "ghost.md" in problems[0].message
    assert problems[0].hint
    ghost = node_titled(handbook, "Ghost")
    assert ghost.chapter is None


def test_files_missing_from_summary_still_appear(tmp_path: Path) -> None:
    make_summary_book(tmp_path)
    handbook = load_handbook(tmp_path)
    leftovers = handbook.tree[-1]
    assert leftovers.title == "Not in the contents" and leftovers.chapter is None
    assert [n.chapter.id for n in leftovers.children] == ["aaa-first", "zebra"]
    assert ids(handbook)[-2:] == ["aaa-first", "zebra"]


def test_summary_with_a_broken_chapter(tmp_path: Path) -> None:
    make_summary_book(tmp_path)
    write(tmp_path, "beta.md", "---\ntitle: [unclosed\n---\n# Beta heading\n")
    handbook = load_handbook(tmp_path)
    beta = handbook.get("beta")
    assert beta.broken and beta.problem in handbook.problems
    assert ids(handbook)[:5] == ["alpha", "sub/alpha-child", "sub/grandchild", "beta", "gamma"]


# --- README.md as a table of contents ---------------------------------------------------------


def test_readme_link_list_defines_tree(tmp_path: Path) -> None:
    write(
        tmp_path,
        "README.md",
        "# My book\n\nWelcome.\n\n- [Zulu](zulu.md)\n  - [Yankee](yankee.md)\n- [X-ray](x-ray.md)\n",
    )
    for name in ("x-ray", "yankee", "zulu", "whiskey"):
        write(tmp_path, f"{name}.md", f"# {name.title()}\n")
    handbook = load_handbook(tmp_path)
    assert ids(handbook) == ["README", "zulu", "yankee", "x-ray", "whiskey"]
    assert handbook.chapters[0].title == "My book"
    zulu = next(node for node, _ in walk_tree(handbook.tree) if node.chapter is handbook.get("zulu"))
    assert [n.chapter.id for n in zulu.children] == ["yankee"]
    assert handbook.get("yankee").depth == handbook.get("zulu").depth + 1
    assert handbook.tree[-1].title == "Not in the contents"
    assert_consistent(handbook)


def test_readme_with_one_link_is_just_a_chapter(tmp_path: Path) -> None:
    write(tmp_path, "README.md", "# Readme\n\nSee [b](b.md).\n")
    write(tmp_path, "a.md", front(order=1) + "# A\n")
    write(tmp_path, "b.md", front(order=2) + "# B\n")
    handbook = load_handbook(tmp_path)
    assert ids(handbook) == ["a", "b", "README"]


# --- Languages -------------------------------------------------------------------------------


def make_multilingual(root: Path) -> None:
    write(root, "README.md", "# Translations\n")
    write(root, "en/intro.md", front(title="Introduction", order=1) + "Hello.\n")
    write(root, "en/more.md", front(title="More", order=2) + "More.\n")
    write(root, "fr/intro.md", front(title="Introduction (fr)", order=1) + "Bonjour.\n")
    write(root, "pt-BR/intro.md", front(title="Introdução", order=1) + "Olá.\n")
    (root / "de").mkdir()


def test_language_folders_default_to_english(tmp_path: Path) -> None:
    make_multilingual(tmp_path)
    handbook = load_handbook(tmp_path)
    assert handbook.lang == "en"
    assert handbook.languages == ["en", "fr", "pt-BR"], "folders without Markdown are not languages"
    assert handbook.root == tmp_path / "en"
    assert ids(handbook) == ["intro", "more"]
    assert all(c.lang == "en" for c in handbook.chapters)


@pytest.mark.parametrize(("lang", "title"), [("fr", "Introduction (fr)"), ("pt-BR", "Introdução")])
def test_lang_selects_a_translation(tmp_path: Path, lang: str, title: str) -> None:
    make_multilingual(tmp_path)
    handbook = load_handbook(tmp_path, lang)
    assert handbook.lang == lang
    assert handbook.root == tmp_path / lang
    assert [(c.title, c.fallback) for c in handbook.chapters] == [(title, False), ("More", True)]
    assert handbook.chapters[0].lang == lang
    assert handbook.chapters[1].lang == "en", "not translated yet: the English chapter, in its place"


@pytest.mark.parametrize("lang", ["es", "de", "EN"])
def test_unknown_language_is_an_error(tmp_path: Path, lang: str) -> None:
    make_multilingual(tmp_path)
    with pytest.raises(PeeragogyError) as raised:
        load_handbook(tmp_path, lang)
    error = raised.value
    assert lang in error.message
    assert error.hint and all(code in error.hint for code in ("en", "fr", "pt-BR"))
    assert "--lang" in error.hint


def test_frontmatter_lang_wins_over_folder(tmp_path: Path) -> None:
    make_multilingual(tmp_path)
    write(tmp_path, "en/quoted.md", front(lang="en-GB") + "# Quoted\n")
    assert load_handbook(tmp_path).get("quoted").lang == "en-GB"


# --- Unusable handbook folders ----------------------------------------------------------------


def test_missing_directory(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(PeeragogyError) as raised:
        load_handbook(missing)
    assert raised.value.path == missing
    assert "not found" in raised.value.message
    assert raised.value.hint


def test_file_instead_of_directory(tmp_path: Path) -> None:
    file = write(tmp_path, "single.md", "# Just one file\n")
    with pytest.raises(PeeragogyError) as raised:
        load_handbook(file)
    assert raised.value.path == file
    assert "directory" in raised.value.message
    assert raised.value.hint


@pytest.mark.parametrize("contents", [[], ["notes.txt", "image.png"], [".hidden.md"], ["_drafts/x.md"]])
def test_folder_without_markdown(tmp_path: Path, contents: list[str]) -> None:
    for name in contents:
        write(tmp_path, name, "# x\n")
    with pytest.raises(PeeragogyError) as raised:
        load_handbook(tmp_path)
    assert raised.value.path == tmp_path
    assert "Markdown" in raised.value.message
    assert raised.value.hint and str(raised.value).count("fix:") == 1


# --- The bundled handbook ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Handbook:
    return load_handbook(bundled_handbook_dir())


def test_bundled_handbook_loads_cleanly(bundled: Handbook) -> None:
    assert bundled.problems == []
    assert len(bundled.chapters) >= 15
    assert bundled.lang == "en"
    assert_consistent(bundled)


WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


def test_bundled_chapters_are_complete(bundled: Handbook) -> None:
    permalinks = set()
    for chapter in bundled.chapters:
        meta = read_markdown_file(chapter.path).meta
        for key in ("title", "order", "lang", "permalink", "summary"):
            assert meta.get(key) not in (None, ""), f"{chapter.id}: no {key}"
        assert meta["lang"] == bundled.lang == chapter.lang
        assert chapter.permalink.startswith("/") and chapter.permalink not in permalinks
        permalinks.add(chapter.permalink)
        words = len(WORD.findall(chapter.body))
        assert words >= 400, f"{chapter.id}: only {words} words"
        assert not chapter.broken


def test_bundled_permalinks_find_their_chapters(bundled: Handbook) -> None:
    for chapter in bundled.chapters:
        assert bundled.find(chapter.permalink) is chapter
        assert bundled.find(chapter.permalink.rstrip("/") + ".html") is chapter
        assert bundled.find(chapter.id + ".md") is chapter


# --------------------------------------------------------------------------- resolving thousands of paths


def test_folder_cached_resolve_is_resolve_path_through_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders are resolved from their resolved parent (one lstat each); links anywhere still resolve as realpath does."""
    import os

    from peeragogy_tui.core.handbook.chapters import FolderCachedResolve
    from peeragogy_tui.core.handbook.folder_walk import walk_markdown
    from peeragogy_tui.core.handbook.markdown_file import resolve_path

    (tmp_path / "real" / "sub" / "deep").mkdir(parents=True)
    (tmp_path / "real" / "sub" / "a.md").write_text("a", encoding="utf-8")
    (tmp_path / "real" / "sub" / "deep" / "c.md").write_text("c", encoding="utf-8")
    (tmp_path / "top.md").write_text("top", encoding="utf-8")
    os.symlink(tmp_path / "real", tmp_path / "link")
    os.symlink(tmp_path / "real" / "sub" / "a.md", tmp_path / "real" / "b.md")
    os.symlink("sub", tmp_path / "real" / "relative-link")
    monkeypatch.chdir(tmp_path)
    extra = [Path("link/sub/a.md"), Path("link/../top.md"), Path("top.md"), Path("/"), tmp_path / "link" / "relative-link" / "deep" / "c.md"]
    for root in (tmp_path, Path("."), Path("link"), tmp_path / "link" / "sub", Path("link/../real")):
        resolve = FolderCachedResolve()
        paths = walk_markdown(root, follow_symlinks=True).files + extra
        assert len(paths) > len(extra)
        for path in paths:
            assert resolve(path) == resolve_path(path), path
