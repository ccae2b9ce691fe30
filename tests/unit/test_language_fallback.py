"""A translation with holes (issue 11, "A second language"): English chapters fill them, marked "(en)"."""

from __future__ import annotations

from pathlib import Path

from book_support import write

from peeragogy_tui.core.check import check_content
from peeragogy_tui.core.handbook import load_handbook, walk_tree
from peeragogy_tui.core.handbook.links import LinkTarget, resolve_link
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir


def test_untranslated_chapters_show_in_english_in_their_translated_part() -> None:
    spanish = load_handbook(bundled_handbook_dir(), "es")
    english = load_handbook(bundled_handbook_dir(), "en")
    assert [c.id for c in spanish.chapters] == [c.id for c in english.chapters], "the same book, in the same order"
    fallbacks = {c.id for c in spanish.chapters if c.fallback}
    assert fallbacks and "organizing" in fallbacks and "convening" not in fallbacks
    for node, _ in walk_tree(spanish.tree):
        if node.chapter is not None:
            assert node.title.endswith(" (en)") == node.chapter.fallback, node.title
            assert node.chapter.lang == ("en" if node.chapter.fallback else "es")
    lifecycle = next(node for node, _ in walk_tree(spanish.tree) if node.chapter is None and any(
        child.chapter is not None and child.chapter.id == "convening" for child in node.children
    ))
    assert [child.title for child in lifecycle.children][:2] == ["Convocar", "Organizing (en)"]
    assert spanish.problems == []


def test_links_cross_between_a_translation_and_its_english_fallbacks(tmp_path: Path) -> None:
    write(tmp_path, "en/a.md", "---\norder: 1\n---\n# A\n\n[b](b.md)\n")
    write(tmp_path, "en/b.md", "---\norder: 2\n---\n# B\n\n[a](a.md#a)\n")
    write(tmp_path, "es/a.md", "---\norder: 1\n---\n# A es\n\n[b](b.md)\n")
    handbook = load_handbook(tmp_path, "es", cache=False)
    assert [(c.id, c.fallback) for c in handbook.chapters] == [("a", False), ("b", True)]
    assert handbook.chapters[1].path == tmp_path / "en" / "b.md"
    a, b = handbook.chapters
    assert resolve_link(handbook, a, "b.md") == LinkTarget("chapter", "b"), "the English chapter opens"
    assert resolve_link(handbook, b, "a.md") == LinkTarget("chapter", "a"), "the translation opens"
    assert [c.title for c in load_handbook(tmp_path, "en", cache=False).chapters] == ["A", "B"]


def test_a_translation_with_contents_lists_its_fallbacks_after_them(tmp_path: Path) -> None:
    write(tmp_path, "en/SUMMARY.md", "- [One](one.md)\n- [Two](two.md)\n")
    write(tmp_path, "en/one.md", "# One\n")
    write(tmp_path, "en/two.md", "# Two\n")
    write(tmp_path, "fr/SUMMARY.md", "- [Un](one.md)\n")
    write(tmp_path, "fr/one.md", "# Un\n")
    handbook = load_handbook(tmp_path, "fr", cache=False)
    shape = [(d, node.title) for node, d in walk_tree(handbook.tree)]
    assert shape == [(0, "Un"), (0, "Not in the contents"), (1, "Two (en)")]
    assert "SUMMARY" not in handbook.by_id


def test_check_in_a_translation_does_not_call_fallback_links_broken() -> None:
    report = check_content(bundled_handbook_dir(), bundled_exercises_dir(), "es")
    assert report.problems == []
    assert report.exercises is not None and "reflect-assessing" in report.exercises.fallback_ids


def test_check_summarises_what_each_translation_lacks(tmp_path: Path) -> None:
    write(tmp_path, "book/en/a.md", "---\norder: 1\n---\n# A\n")
    write(tmp_path, "book/en/b.md", "---\norder: 2\n---\n# B\n")
    write(tmp_path, "book/es/a.md", "---\norder: 1\n---\n# A es\n")
    write(tmp_path, "book/es/only-here.md", "---\norder: 3\n---\n# Solo aquí\n")
    report = check_content(tmp_path / "book", None)
    assert report.problems == [], "a missing translation is not an error"
    assert report.translations == ["es: 1 of 2 chapters translated; shown in en: b; not in en: only-here"]
    assert check_content(tmp_path / "book", None, "es").translations == []


def test_the_locale_chooses_the_language_when_there_is_no_flag(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from peeragogy_tui.core.exercises import load_exercises
    from peeragogy_tui.core.handbook.languages import environment_languages

    assert environment_languages({"LANG": "es_ES.UTF-8"}) == ["es_ES", "es-ES", "es"]
    assert environment_languages({"LANG": "pt_BR.UTF-8", "LANGUAGE": "fr:de"}) == ["fr", "de", "pt_BR", "pt-BR", "pt"]
    assert environment_languages({"LC_ALL": "C", "LANGUAGE": "es", "LANG": "es_ES"}) == []
    assert environment_languages({"LC_MESSAGES": "es_MX@euro", "LANG": "de_DE"})[-1] == "es"
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert load_handbook(bundled_handbook_dir()).lang == "es"
    assert load_exercises(bundled_exercises_dir()).lang == "es"
    assert load_handbook(bundled_handbook_dir(), "en").lang == "en", "--lang wins over the locale"
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert load_handbook(bundled_handbook_dir()).lang == "en", "no Japanese folder: English"
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    report = check_content(bundled_handbook_dir(), bundled_exercises_dir())
    assert report.handbook is not None and report.handbook.lang == "en", "check compares with the source language"
    assert report.translations and report.translations[0].startswith("es: ")
