"""Links inside chapters: relative files, anchors, permalinks, exercises, external; slugs."""

from __future__ import annotations

from pathlib import Path

import pytest

from peeragogy_tui.core.handbook import Handbook, load_handbook
from peeragogy_tui.core.handbook.links import LinkTarget, normalise_permalink, resolve_link
from peeragogy_tui.core.render import parse_document
from peeragogy_tui.core.handbook.slugs import fold_accents, slugify, unique_slugs
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def book(tmp_path: Path) -> Handbook:
    root = tmp_path / "handbook"
    en = root / "en"
    write(en / "intro.md", "---\ntitle: Intro\norder: 1\npermalink: /chapters/en/intro/\n---\n# Intro\n")
    write(en / "second.md", "---\ntitle: Second\norder: 2\npermalink: /chapters/en/second.html\n---\n# Second\n")
    write(en / "chapter1.md", "---\ntitle: No permalink\norder: 3\n---\n# One\n")
    write(en / "my file.md", "---\norder: 4\n---\n# Spaced\n")
    write(en / "deeper/nested.md", "---\ntitle: Nested\norder: 5\n---\n# Nested\n")
    write(root / "fr" / "intro.md", "# Intro fr\n")
    write(tmp_path / "exercises/en/knowledge-cafe.md", "---\nid: knowledge-cafe\n---\n")
    return load_handbook(root, "en")


def link(book: Handbook, href: str, source: str = "intro") -> LinkTarget:
    return resolve_link(book, book.get(source), href)


@pytest.mark.parametrize(
    ("href", "source", "chapter", "anchor"),
    [
        ("second.md", "intro", "second", None),
        ("./second.md", "intro", "second", None),
        ("second", "intro", "second", None),
        ("second.md#some-heading", "intro", "second", "some-heading"),
        ("deeper/nested.md", "intro", "deeper/nested", None),
        ("../intro.md#top", "deeper/nested", "intro", "top"),
        ("../deeper/nested.md", "deeper/nested", "deeper/nested", None),
        ("my%20file.md", "intro", "my file", None),
        ("second.md#caf%C3%A9", "intro", "second", "café"),
        ("  second.md  ", "intro", "second", None),
    ],
)
def test_relative_links(book: Handbook, href: str, source: str, chapter: str, anchor: str | None) -> None:
    assert link(book, href, source) == LinkTarget("chapter", chapter, anchor)


@pytest.mark.parametrize(("href", "anchor"), [("#section-two", "section-two"), ("#", None), ("#the-caf%C3%A9", "the-café")])
def test_same_page_anchor(book: Handbook, href: str, anchor: str | None) -> None:
    assert link(book, href, "second") == LinkTarget("chapter", "second", anchor)


@pytest.mark.parametrize(
    ("href", "chapter", "anchor"),
    [
        ("/chapters/en/intro/", "intro", None),
        ("/chapters/en/intro", "intro", None),
        ("/chapters/en/intro.html", "intro", None),
        ("/chapters/en/intro/index.html", "intro", None),
        ("/chapters/en/intro/#part", "intro", "part"),
        ("/chapters/en/second/", "second", None),
        ("/chapters/en/second.html#x", "second", "x"),
        ("/chapters/en/chapter1/", "chapter1", None),
        ("/chapters/en/chapter1.html", "chapter1", None),
        ("/somewhere/else/chapter1", "chapter1", None),
    ],
)
def test_permalinks(book: Handbook, href: str, chapter: str, anchor: str | None) -> None:
    assert link(book, href, "chapter1") == LinkTarget("chapter", chapter, anchor)


@pytest.mark.parametrize(
    "variant",
    ["/chapters/en/x/", "/chapters/en/x", "chapters/en/x", "/chapters/en/x.html", "/chapters/en/x/index.html", "/chapters/en/x.md", "//chapters/en/x//"],
)
def test_normalise_permalink_variants_compare_equal(variant: str) -> None:
    assert normalise_permalink(variant) == normalise_permalink("/chapters/en/x/") == "/chapters/en/x"


@pytest.mark.parametrize(
    ("href", "exercise"),
    [
        ("../../exercises/en/knowledge-cafe.md", "knowledge-cafe"),
        ("../../exercises/en/not-written-yet.md", "not-written-yet"),
        ("../../exercises/en/knowledge-cafe", "knowledge-cafe"),
    ],
)
def test_exercise_links(book: Handbook, href: str, exercise: str) -> None:
    assert link(book, href) == LinkTarget("exercise", exercise_id=exercise)


@pytest.mark.parametrize(
    "href",
    ["https://peeragogy.org/", "http://example.com/a.md", "mailto:someone@example.org", "HTTPS://EXAMPLE.ORG", "ftp://x/y"],
)
def test_external_links(book: Handbook, href: str) -> None:
    assert link(book, href) == LinkTarget("external", url=href)


@pytest.mark.parametrize(
    "href",
    ["missing.md", "missing.md#anchor", "/chapters/en/nothing-here/", "../fr/intro.md", "", "   ", "deeper/"],
)
def test_missing_links(book: Handbook, href: str) -> None:
    target = link(book, href)
    assert target.kind == "missing"
    assert target.chapter_id is None and target.exercise_id is None


def test_links_to_other_languages_are_not_chapters_of_this_one(book: Handbook) -> None:
    assert book.find("../fr/intro.md") is None
    assert link(book, "../fr/intro.md").kind == "missing"


# --- Slugs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("The Knowledge Café", "the-knowledge-cafe"),
        ("The Knowledge Café!", "the-knowledge-cafe"),
        ("  Ünïcödé  Ñame ", "unicode--name"),
        ("What is peeragogy?", "what-is-peeragogy"),
        ("1. Convening: a start", "1-convening-a-start"),
        ("snake_case and kebab-case", "snake_case-and-kebab-case"),
        ("C++ & Rust", "c--rust"),
        ("Ægir’s “quotes”", "ægirs-quotes"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_fold_accents() -> None:
    assert fold_accents("Café crème") == "Cafe creme"


def test_unique_slugs_number_repeats() -> None:
    titles = ["Summary", "Intro", "Summary", "Summary", "Summary 1"]
    slugs = unique_slugs(titles)
    assert slugs == ["summary", "intro", "summary-1", "summary-2", "summary-1-1"]
    assert len(set(slugs)) == len(slugs)


@pytest.mark.parametrize(
    "titles",
    [["A", "A", "A-1"], ["A-1", "A", "A"], ["x", "x-2", "x", "x", "x"], ["Café", "Cafe", "cafe!"]],
)
def test_unique_slugs_never_collide(titles: list[str]) -> None:
    slugs = unique_slugs(titles)
    assert len(set(slugs)) == len(slugs) == len(titles)
    for title, slug in zip(titles, slugs):
        assert slug.startswith(slugify(title))


def test_document_headings_get_unique_slugs() -> None:
    document = parse_document("# Notes\n\n## Notes\n\n## The Knowledge Café\n\n### Notes\n")
    assert [h.slug for h in document.headings] == ["notes", "notes-1", "the-knowledge-cafe", "notes-2"]


# --- Every link in the bundled handbook --------------------------------------------------------


def test_every_bundled_link_resolves() -> None:
    handbook = load_handbook(bundled_handbook_dir())
    documents = {chapter.id: parse_document(chapter.body) for chapter in handbook.chapters}
    exercises = bundled_exercises_dir() / handbook.lang
    checked = 0
    failures = []
    for chapter in handbook.chapters:
        for href in documents[chapter.id].links:
            target = resolve_link(handbook, chapter, href)
            where = f"{chapter.id}: {href}"
            if target.kind == "external":
                continue
            checked += 1
            if target.kind == "missing":
                failures.append(f"{where} -> missing")
            elif target.kind == "exercise":
                if not (exercises / f"{target.exercise_id}.md").is_file():
                    failures.append(f"{where} -> no exercise {target.exercise_id}")
            else:
                assert handbook.get(target.chapter_id) is not None
                slugs = {h.slug for h in documents[target.chapter_id].headings}
                if target.anchor is not None and target.anchor not in slugs:
                    failures.append(f"{where} -> no heading #{target.anchor} in {target.chapter_id}")
    assert checked >= len(handbook.chapters), "the handbook should cross-link its chapters"
    assert failures == []
