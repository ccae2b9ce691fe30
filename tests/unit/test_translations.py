"""The bundled translations mirror the English handbook and exercises.

A translated chapter keeps its English file name, ``order`` and permalink
scheme, and its exercises keep the English step structure, so that answers
given in either language compare. Its links name the same file names as the
English ones: a chapter or exercise that is not translated yet resolves to the
English file of that name (the language fallback), so a link never points into
the ``en`` folder itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from peeragogy_tui.core.exercises.loader import load_exercises
from peeragogy_tui.core.exercises.models import Exercise
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.handbook.markdown_file import read_markdown_file
from peeragogy_tui.core.render import parse_document
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _translations() -> list[str]:
    root = bundled_handbook_dir()
    return sorted(
        p.name for p in root.iterdir() if p.is_dir() and p.name != "en" and any(p.glob("*.md"))
    )


LANGS = _translations()


def test_spanish_covers_the_first_chapters_and_their_exercises() -> None:
    """Issue 11: the first five chapters and every exercise tied to them exist in Spanish."""
    first = {"introduction", "nutshell", "principles", "getting-started", "convening"}
    chapters = {c.id for c in load_handbook(bundled_handbook_dir(), "es").chapters}
    assert first <= chapters
    english = load_exercises(bundled_exercises_dir(), "en").exercises
    tied = {e.id for e in english if first & set(e.chapters)}
    assert tied, "some English exercises belong to the first chapters"
    spanish = {e.id for e in load_exercises(bundled_exercises_dir(), "es").exercises}
    assert tied <= spanish


@pytest.mark.parametrize("lang", LANGS)
def test_translated_chapters_mirror_english_ones(lang: str) -> None:
    english = {c.id: c for c in load_handbook(bundled_handbook_dir(), "en").chapters}
    translated = load_handbook(bundled_handbook_dir(), lang)
    assert translated.problems == []
    parts: dict[str | None, set[str | None]] = {}
    for chapter in (c for c in translated.chapters if not c.fallback):
        original = english.get(chapter.id)
        assert original is not None, f"{chapter.path.name} has no English counterpart"
        assert chapter.lang == lang, chapter.id
        assert chapter.order == original.order, chapter.id
        assert chapter.permalink == f"/chapters/{lang}/{chapter.id}/", chapter.id
        assert chapter.title != original.title, f"{chapter.id}: untranslated title"
        parts.setdefault(original.part, set()).add(chapter.part)
    # One translated name per English part, so a tree mixing both can group them together.
    assert all(len(names) == 1 for names in parts.values()), parts


def _shape(exercise: Exercise) -> tuple[object, ...]:
    """What must match across languages for answers to compare."""
    steps = []
    for step in exercise.steps:
        steps.append(
            (
                step.id,
                step.type,
                step.minutes,
                getattr(step, "min", None),
                getattr(step, "max", None),
                getattr(step, "multiple", None),
                len(getattr(step, "options", ())),
                len(getattr(step, "items", ())),
                getattr(step, "regroup", None),
            )
        )
    e = exercise
    return (e.kind, e.minutes, tuple(e.chapters), e.group_size, tuple(steps))


@pytest.mark.parametrize("lang", LANGS)
def test_translated_exercises_keep_the_english_step_structure(lang: str) -> None:
    english = load_exercises(bundled_exercises_dir(), "en").by_id
    translated = load_exercises(bundled_exercises_dir(), lang)
    assert translated.broken == []
    assert translated.exercises, f"no {lang} exercises"
    for exercise in (e for e in translated.exercises if e.id not in translated.fallback_ids):
        original = english.get(exercise.id)
        assert original is not None, f"{exercise.id} has no English counterpart"
        assert exercise.lang == lang
        assert _shape(exercise) == _shape(original), exercise.id
        prompts = [s.prompt for s in exercise.steps]
        untranslated = set(prompts) & {s.prompt for s in original.steps}
        assert not untranslated, f"{exercise.id}: untranslated prompts"


def _resolve(source: Path, href: str, lang: str) -> tuple[Path | None, str | None, str]:
    """``(file the link opens, anchor, problem)``, with the fallback to English."""
    path_part, _, anchor = href.partition("#")
    if not path_part:
        return source, anchor or None, ""
    if path_part.startswith("/"):
        match = re.fullmatch(r"/chapters/([^/]+)/([^/]+)/", path_part)
        if not match or match.group(1) != lang:
            return None, None, "permalink to another language"
        path_part = match.group(2) + ".md"
        source = bundled_handbook_dir() / lang / "index.md"
    target = (source.parent / path_part).resolve()
    roots = (("handbook", bundled_handbook_dir()), ("exercises", bundled_exercises_dir()))
    for kind, root in roots:
        own = root.resolve() / lang
        if root.resolve() / "en" in target.parents:
            return None, None, f"points into {kind}/en; use the same file name in {kind}/{lang}"
        if own in target.parents:
            if target.is_file():
                return target, anchor or None, ""
            fallback = root.resolve() / "en" / target.relative_to(own)
            if fallback.is_file():
                return fallback, anchor or None, ""
            return None, None, "no such file in either language"
    return None, None, "outside the handbook and exercises"


def _texts(lang: str) -> list[tuple[Path, str]]:
    chapters = [(c.path, c.body) for c in load_handbook(bundled_handbook_dir(), lang).chapters if not c.fallback]
    loaded = load_exercises(bundled_exercises_dir(), lang)
    exercises = [e for e in loaded.exercises if e.id not in loaded.fallback_ids]
    return chapters + [(e.path, e.intro) for e in exercises if e.path is not None]


def _slugs(path: Path) -> set[str]:
    return {h.slug for h in parse_document(read_markdown_file(path).body).headings}


@pytest.mark.parametrize("lang", LANGS)
def test_translated_links_open_a_translation_or_the_english_file(lang: str) -> None:
    failures = []
    checked = 0
    for path, body in _texts(lang):
        for href in parse_document(body).links:
            if _SCHEME.match(href):
                continue
            checked += 1
            target, anchor, problem = _resolve(path, href, lang)
            if problem:
                failures.append(f"{path.name}: {href}: {problem}")
            elif target is not None and anchor is not None and anchor not in _slugs(target):
                where = f"{target.parent.name}/{target.name}"
                failures.append(f"{path.name}: {href}: no heading #{anchor} in {where}")
    assert checked > 20
    assert failures == []
