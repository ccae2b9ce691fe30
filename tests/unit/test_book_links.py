"""Links as real handbooks write them (issue 9): absolute URLs of this folder, mdBook's .html, raw HTML.

Fixtures: ``tests/fixtures/books/gitbook/en-md`` (a README listing the chapters
by GitHub/GitLab URL, like the Peeragogy Handbook's own ``en-md`` folder) and
``tests/fixtures/books/mdbook`` (``links.md`` holds ``.html`` links, raw HTML
anchors and links, and links that leave the book).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from book_support import write

from peeragogy_tui.core.check import anchor_names, check_content, iter_links
from peeragogy_tui.core.handbook import Handbook, load_handbook, walk_tree
from peeragogy_tui.core.handbook.html_anchors import html_anchor_ids, html_links
from peeragogy_tui.core.handbook.links import LinkTarget, resolve_link
from peeragogy_tui.core.handbook.site_urls import FolderUrls, repository_path

BOOKS = Path(__file__).resolve().parent.parent / "fixtures" / "books"
REPO = "https://github.com/example-org/example-handbook"


@pytest.fixture(scope="module")
def gitbook() -> Handbook:
    return load_handbook(BOOKS / "gitbook" / "en-md", cache=False)


@pytest.fixture(scope="module")
def mdbook() -> Handbook:
    return load_handbook(BOOKS / "mdbook", cache=False)


# --- Absolute URLs in the contents -----------------------------------------------------------


def test_a_readme_of_repository_urls_is_the_contents(gitbook: Handbook) -> None:
    shape = [(depth, node.kind, node.title, node.chapter.id if node.chapter else None) for node, depth in walk_tree(gitbook.tree)]
    assert shape == [
        (0, "chapter", "Foreword", "foreword"),  # GitHub blob URL
        (0, "chapter", "Introduction", "introduction"),  # raw.githubusercontent.com
        (0, "part", "Patterns", None),  # a bold item without a link groups the ones below it
        (1, "chapter", "Wrapper", "wrapper"),
        (1, "chapter", "Roles", "roles"),  # GitLab /-/blob/
        (0, "external", "Elsewhere", None),  # another repository's README is not this folder's
        (0, "part", "Not in the contents", None),
        (1, "chapter", "License", "license"),
    ]
    assert "README" not in gitbook.by_id, "a README that is only a list is not a chapter"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{REPO}/blob/master/en-md/a.md", ("github.com/example-org/example-handbook", "en-md/a.md")),
        (f"{REPO}/tree/main/en-md", ("github.com/example-org/example-handbook", "en-md")),
        ("https://raw.githubusercontent.com/o/r/main/x/a.md", ("github.com/o/r", "x/a.md")),
        ("https://gitlab.com/group/sub/r/-/blob/main/a%20b.md", ("gitlab.com/group/sub/r", "a b.md")),
        ("https://github.com/o/r", None),
        ("https://example.org/o/r/blob/main/a.md", None),
        ("mailto:someone@example.org", None),
    ],
)
def test_repository_path(url: str, expected: tuple[str, str] | None) -> None:
    assert repository_path(url) == expected


def test_one_stray_url_teaches_nothing(tmp_path: Path) -> None:
    root = tmp_path / "book"
    files = [write(root, name, "# x\n").resolve() for name in ("README.md", "a.md", "b.md")]
    urls = FolderUrls.of(root.resolve(), files)
    urls.learn([f"{REPO}/blob/master/book/a.md", f"{REPO}/blob/master/book/b.md", "https://github.com/x/y/blob/main/README.md"])
    assert urls.bases == {("github.com/example-org/example-handbook", "book")}
    assert urls.locate("https://github.com/x/y/blob/main/README.md") is None
    assert urls.locate(f"{REPO}/blob/other-branch/book/a.md") == files[1]


# --- Absolute URLs in chapters ---------------------------------------------------------------


def link(handbook: Handbook, href: str, source: str) -> LinkTarget:
    return resolve_link(handbook, handbook.get(source), href)


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        (f"{REPO}/blob/main/en-md/roles.md", LinkTarget("chapter", "roles")),
        (
            "https://raw.githubusercontent.com/example-org/example-handbook/master/en-md/introduction.md#introduction-to-it",
            LinkTarget("chapter", "introduction", "introduction-to-it"),
        ),
        (f"{REPO}/blob/master/en-md/ghost.md", LinkTarget("missing", url=f"{REPO}/blob/master/en-md/ghost.md")),
        (
            "https://github.com/someone-else/other-repo/blob/master/README.md",
            LinkTarget("external", url="https://github.com/someone-else/other-repo/blob/master/README.md"),
        ),
    ],
)
def test_chapter_links_to_this_folder_by_url_are_local(gitbook: Handbook, href: str, expected: LinkTarget) -> None:
    assert link(gitbook, href, "foreword") == expected


def test_a_folder_named_like_the_url_folder_is_local_without_contents(tmp_path: Path) -> None:
    write(tmp_path / "src", "a.md", f"# A\n\n[b]({REPO}/blob/main/src/b.md)\n")
    write(tmp_path / "src", "b.md", "# B\n")
    handbook = load_handbook(tmp_path / "src", cache=False)
    assert link(handbook, f"{REPO}/blob/main/src/b.md", "a") == LinkTarget("chapter", "b")
    assert link(handbook, f"{REPO}/blob/main/elsewhere/b.md", "a").kind == "external"


def test_site_permalink_urls_open_the_chapter() -> None:
    jekyll = load_handbook(BOOKS / "jekyll", cache=False)
    assert link(jekyll, "https://docs.example.org/docs/about/", "home") == LinkTarget("chapter", "about")
    assert link(jekyll, "https://docs.example.org/docs/about.html#x", "home") == LinkTarget("chapter", "about", "x")
    assert link(jekyll, "https://docs.example.org/docs/nothing/", "home").kind == "external"
    assert link(jekyll, "https://docs.example.org/", "home").kind == "external"


def test_a_jekyll_site_url_limits_permalink_urls_to_its_host(tmp_path: Path) -> None:
    write(tmp_path, "_config.yml", "title: Site\nurl: \"https://site.example\" # the site\n")
    write(tmp_path, "a.md", "---\npermalink: /docs/a/\n---\n# A\n")
    write(tmp_path, "b.md", "# B\n")
    handbook = load_handbook(tmp_path, cache=False)
    assert link(handbook, "https://site.example/docs/a/", "b") == LinkTarget("chapter", "a")
    assert link(handbook, "https://elsewhere.example/docs/a/", "b").kind == "external"


# --- mdBook's .html links --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("preface.html", LinkTarget("chapter", "preface")),
        ("guide/index.html", LinkTarget("chapter", "guide/README")),
        ("guide/", LinkTarget("chapter", "guide/README")),
        ("guide/install.html#installing", LinkTarget("chapter", "guide/install", "installing")),
        ("../std/index.html", LinkTarget("outside", url="../std/index.html")),
        ("nothing.html", LinkTarget("missing", url="nothing.html")),
    ],
)
def test_html_links_name_markdown_files(mdbook: Handbook, href: str, expected: LinkTarget) -> None:
    assert link(mdbook, href, "links") == expected


def test_index_md_answers_for_a_folder(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "# A\n")
    write(tmp_path, "topic/index.md", "# Topic\n")
    handbook = load_handbook(tmp_path, cache=False)
    assert link(handbook, "topic/index.html", "a") == LinkTarget("chapter", "topic/index")
    assert link(handbook, "topic/", "a") == LinkTarget("chapter", "topic/index")


# --- Raw HTML anchors and links --------------------------------------------------------------


def test_html_anchor_ids() -> None:
    source = '<a id="one"></a><h2 class="x" id=\'two\'>T</h2><a name=three>x</a><input name="field"><div data-id="no">'
    assert html_anchor_ids(source) == ["one", "two", "three"]
    assert html_links('<a class="c" href="x.md#y">t</a> <a href=\'z.html\'>') == [("x.md#y", 0), ("z.html", 33)]


def test_anchors_and_links_in_raw_html_outside_code() -> None:
    text = (
        "<a id=\"top\"></a>\n\nSee <a href=\"b.md\">b</a>.\n\n"
        "`<a id=\"code\" href=\"code.md\">`\n\n```html\n<a id=\"fenced\" href=\"fenced.md\"></a>\n```\n\n"
        "<div>\n<p id=\"para\">x</p>\n<a href=\"c.md\">c</a>\n</div>\n"
    )
    assert anchor_names(text) == ["top", "para"]
    assert list(iter_links(text)) == [("b.md", 2), ("c.md", 12)]


def test_check_follows_raw_html_anchors_and_links(mdbook: Handbook) -> None:
    report = check_content(BOOKS / "mdbook", None)
    assert report.problems == []
    assert sorted(p.message for p in report.outside) == [
        "link '../../other/thing.md' points outside the handbook folder",
        "link '../std/index.html' points outside the handbook folder",
    ]


def test_check_reports_a_bad_anchor_in_an_html_link(tmp_path: Path) -> None:
    write(tmp_path, "a.md", '# A\n\n<a id="here"></a>\n\nGo <a href="b.md#nowhere">there</a> or [here](#here).\n')
    write(tmp_path, "b.md", "# B\n")
    report = check_content(tmp_path, None)
    assert [(p.line, p.message) for p in report.problems] == [(5, "link 'b.md#nowhere': no heading '#nowhere' in b.md")]


def test_strict_check_lists_each_outside_link_as_a_problem() -> None:
    report = check_content(BOOKS / "mdbook", None, strict=True)
    assert [p.line for p in report.problems] == [14, 14]
    assert all("outside the handbook" in p.message for p in report.problems)


def test_links_into_another_language_are_not_outside(tmp_path: Path) -> None:
    write(tmp_path, "en/a.md", "# A\n\n[fr](../fr/a.md)\n")
    write(tmp_path, "fr/a.md", "# A fr\n")
    handbook = load_handbook(tmp_path, "en", cache=False)
    assert link(handbook, "../fr/a.md", "a") == LinkTarget("missing", url="../fr/a.md")
    assert check_content(tmp_path, None).outside == []
