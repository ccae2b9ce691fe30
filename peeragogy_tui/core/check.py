"""``peeragogy check``: find every content problem in a handbook and its exercises.

Checks frontmatter (via the loaders), internal links and their ``#anchors``,
links to exercises, duplicate chapter ids, permalinks and orders, exercises
that name unknown chapters, and links in exercise intros. Raw HTML counts:
``<a href>`` is a link, and ``<a id>``, ``<a name>`` and ``id=`` on any tag are
anchors. Links that leave the handbook folder are not errors: they are
counted (``strict`` makes each one a problem). Each problem is a
:class:`FileProblem` with the line in the file where it is, so editors can
jump to it. Pure: reads files, prints nothing.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt

from peeragogy_tui.core.exercises.loader import ExerciseSet, load_exercises
from peeragogy_tui.core.exercises.locate import frontmatter_lines, locate_key_line
from peeragogy_tui.core.handbook import Chapter, Handbook, load_handbook, resolve_language
from peeragogy_tui.core.handbook.fallback import FALLBACK_LANG
from peeragogy_tui.core.handbook.folder_walk import SkippedEntry
from peeragogy_tui.core.handbook.html_anchors import html_anchor_ids, html_links
from peeragogy_tui.core.handbook.links import normalise_permalink, resolve_link
from peeragogy_tui.core.handbook.markdown_file import FileProblem
from peeragogy_tui.core.render.blocks import parse_document
from peeragogy_tui.errors import PeeragogyError

__all__ = ["CheckReport", "anchor_names", "check_content", "iter_links", "translation_summary"]

# Same settings as the renderer (render/blocks.py), so the same text counts as a link.
_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


@dataclass
class CheckReport:
    """What ``check`` found, sorted by file and line."""

    problems: list[FileProblem] = field(default_factory=list)
    handbook: Handbook | None = None
    exercises: ExerciseSet | None = None
    outside: list[FileProblem] = field(default_factory=list)
    """Links that leave the handbook folder, where they are (problems too when ``strict``)."""
    skipped: list[SkippedEntry] = field(default_factory=list)
    """Symbolic links out of the folders, not followed: notes, not problems."""
    translations: list[str] = field(default_factory=list)
    """Per translation, what it lacks or adds compared with the first language (not problems)."""

    @property
    def clean(self) -> bool:
        """True when nothing is wrong (skipped links are not problems)."""
        return not self.problems


def iter_links(markdown: str) -> Iterator[tuple[str, int]]:
    """Every link target with its 0-based line in ``markdown``; links in code are not links.

    Raw HTML ``<a href="…">`` links count too.
    """
    for token in _PARSER.parse(markdown):
        if token.map is None:
            continue
        if token.type == "html_block":
            for href, offset in html_links(token.content):
                yield href, token.map[0] + token.content.count("\n", 0, offset)
            continue
        if token.type != "inline":
            continue
        line = token.map[0]
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                yield str(child.attrs.get("href", "")), line
            elif child.type == "html_inline":
                for href, _offset in html_links(child.content):
                    yield href, line


def anchor_names(markdown: str) -> list[str]:
    """Ids raw HTML gives to places in ``markdown`` (``<a id>``, ``<a name>``, ``id=``), outside code."""
    found: list[str] = []
    for token in _PARSER.parse(markdown):
        if token.type == "html_block":
            found.extend(html_anchor_ids(token.content))
        elif token.type == "inline":
            for child in token.children or ():
                if child.type == "html_inline":
                    found.extend(html_anchor_ids(child.content))
    return found


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _Checker:
    def __init__(self, handbook: Handbook, exercises: ExerciseSet | None, *, strict: bool = False) -> None:
        self.handbook = handbook
        self.exercises = exercises
        self.strict = strict
        self.problems: list[FileProblem] = []
        self.outside: list[FileProblem] = []
        self._slugs: dict[str, list[str]] = {}
        known = set(exercises.by_id) if exercises else set()
        if exercises:
            known |= {path.stem for path in exercises.broken_paths}
        self.exercise_ids = known
        self.own = [chapter for chapter in handbook.chapters if not chapter.fallback]
        """The chapters of this language: English fallback chapters are checked with English."""

    def add(self, path: Path, line: int | None, message: str, hint: str = "") -> None:
        self.problems.append(FileProblem(path, line or 1, message, hint))

    def slugs(self, chapter: Chapter) -> list[str]:
        if chapter.id not in self._slugs:
            self._slugs[chapter.id] = [
                heading.slug for heading in parse_document(chapter.body).headings
            ] + anchor_names(chapter.body)
        return self._slugs[chapter.id]

    def frontmatter(self) -> None:
        english = self.handbook.fallback_root
        for problem in self.handbook.problems:
            if english is None or not problem.path.is_relative_to(english):
                self.add(problem.path, problem.line, problem.message, problem.hint)
        self._duplicates("id", lambda c: c.id, "chapter id")
        self._duplicates(
            "permalink",
            lambda c: normalise_permalink(c.permalink) if c.permalink else None,
            "permalink",
        )
        self._duplicates("order", lambda c: c.order, "order")

    def _duplicates(self, key: str, value_of: Callable[[Chapter], object], what: str) -> None:
        seen: dict[object, Chapter] = {}
        for chapter in self.own:
            value = value_of(chapter)
            if value is None:
                continue
            if value in seen:
                lines = frontmatter_lines(chapter.path, chapter.body_line)
                shown = int(value) if isinstance(value, float) and value.is_integer() else value
                self.add(
                    chapter.path,
                    locate_key_line(lines, (key,)) if key != "id" else 1,
                    f"duplicate {what} '{shown}' (also used by {seen[value].path.name})",
                    f"give each chapter its own {what}",
                )
            else:
                seen[value] = chapter

    def links(
        self, source: Chapter, body: str, body_line: int, own_slugs: list[str] | None = None
    ) -> None:
        for href, offset in iter_links(body):
            self._link(source, href, body_line + offset, own_slugs)

    def _link(self, source: Chapter, href: str, line: int, own_slugs: list[str] | None) -> None:
        target = resolve_link(self.handbook, source, href)
        if target.kind == "external":
            return
        if target.kind == "outside":
            outside = FileProblem(
                source.path,
                line or 1,
                f"link '{href}' points outside the handbook folder",
                "copy the file into the handbook, or link to it by URL",
            )
            self.outside.append(outside)
            if self.strict:
                self.problems.append(outside)
            return
        if target.kind == "missing":
            path_part = unquote(href.partition("#")[0])
            if (
                path_part
                and not path_part.startswith("/")
                and (source.path.parent / path_part).is_file()
            ):
                return
            self.add(
                source.path,
                line,
                f"broken link '{href}': no chapter or exercise there",
                "fix the link target",
            )
            return
        if target.kind == "exercise":
            if self.exercises is not None and target.exercise_id not in self.exercise_ids:
                self.add(
                    source.path,
                    line,
                    f"link '{href}' names exercise '{target.exercise_id}', which does not exist"
                    + _suggest(target.exercise_id or "", sorted(self.exercise_ids)),
                    "fix the link or add the exercise",
                )
            return
        if target.anchor is None:
            return
        chapter = self.handbook.by_id.get(target.chapter_id or "")
        slugs = self.slugs(chapter) if chapter is not None else (own_slugs or [])
        if target.anchor not in slugs:
            where = chapter.path.name if chapter is not None else "this file"
            self.add(
                source.path,
                line,
                f"link '{href}': no heading '#{target.anchor}' in {where}"
                + _suggest(target.anchor, slugs),
                "use the heading's anchor: lowercase, spaces to '-', punctuation and accents removed",
            )

    def chapters(self) -> None:
        for chapter in self.own:
            self.links(chapter, chapter.body, chapter.body_line)

    def exercise_files(self) -> None:
        if self.exercises is None:
            return
        for problem in self.exercises.broken:
            self.add(problem.path, problem.line, problem.message, problem.hint)
        chapter_ids = sorted(self.handbook.by_id)
        for exercise in self.exercises.exercises:
            if exercise.id in self.exercises.fallback_ids:
                continue  # an English exercise in a translation: checked with English
            path = exercise.path or Path(f"{exercise.id}.md")
            lines = frontmatter_lines(path, exercise.intro_line)
            for index, chapter_id in enumerate(exercise.chapters):
                if chapter_id not in self.handbook.by_id:
                    self.add(
                        path,
                        locate_key_line(lines, ("chapters", index)),
                        f"chapters[{index}]: unknown chapter '{chapter_id}'"
                        + _suggest(chapter_id, chapter_ids),
                        "use a chapter id from 'peeragogy toc --json'",
                    )
            pseudo = Chapter(
                id=f"exercise:{exercise.id}", path=path, title=exercise.title, lang=exercise.lang
            )
            own = [heading.slug for heading in parse_document(exercise.intro).headings]
            own += anchor_names(exercise.intro)
            self.links(pseudo, exercise.intro, exercise.intro_line, own)


def check_content(
    handbook_dir: Path, exercises_dir: Path | None, lang: str | None = None, *, strict: bool = False
) -> CheckReport:
    """Check a handbook (and, if given, an exercises folder) and report every problem.

    Without ``lang``, every language of a handbook with language folders is
    checked, and :attr:`CheckReport.translations` says which chapters and
    exercises exist in one language and not another (a summary, not problems).
    ``strict``: each link that leaves the handbook folder is a problem too
    (otherwise they are only listed in :attr:`CheckReport.outside`).

    Raises:
        PeeragogyError: a folder is missing or holds no Markdown at all.
    """
    first = lang
    if first is None and FALLBACK_LANG in resolve_language(handbook_dir)[2]:
        first = FALLBACK_LANG  # the source language first, whatever the locale says
    handbook = load_handbook(handbook_dir, first)
    exercises = None
    if exercises_dir is not None:
        exercises = _exercises_in(exercises_dir, first) if first is not None else None
        exercises = exercises or load_exercises(exercises_dir, lang)
    passes = [(handbook, exercises)]
    if lang is None:
        for other in handbook.languages:
            if other != handbook.lang:
                passes.append((load_handbook(handbook_dir, other), _exercises_in(exercises_dir, other)))
    problems: list[FileProblem] = []
    outside: list[FileProblem] = []
    for book, exercise_set in passes:
        checker = _Checker(book, exercise_set, strict=strict)
        checker.frontmatter()
        checker.chapters()
        checker.exercise_files()
        problems += checker.problems
        outside += checker.outside
    unique: dict[tuple[str, int, str], FileProblem] = {}
    for problem in problems:
        unique.setdefault((str(problem.path), problem.line or 1, problem.message), problem)
    ordered = sorted(unique.values(), key=lambda p: (str(p.path), p.line or 1, p.message))
    skipped = handbook.skipped + (exercises.skipped if exercises is not None else [])
    report = CheckReport(ordered, handbook, exercises, outside, sorted(skipped, key=lambda e: str(e.path)))
    report.translations = translation_summary(passes)
    return report


def _exercises_in(directory: Path | None, lang: str) -> ExerciseSet | None:
    """The exercises of ``lang`` in ``directory``, or ``None`` when there are none in that language."""
    if directory is None:
        return None
    try:
        return load_exercises(directory, lang)
    except PeeragogyError:
        return None


def translation_summary(passes: list[tuple[Handbook, ExerciseSet | None]]) -> list[str]:
    """One line per language that lacks (or adds) chapters or exercises compared with the first."""
    if len(passes) < 2:
        return []
    first, first_exercises = passes[0]
    chapters = {c.id for c in first.chapters if not c.fallback}
    exercises = set(first_exercises.by_id) if first_exercises else set()
    lines = []
    for book, exercise_set in passes[1:]:
        own = {c.id for c in book.chapters if not c.fallback}
        theirs = set(exercise_set.by_id) - exercise_set.fallback_ids if exercise_set else set()
        line = f"{book.lang}: {len(own & chapters)} of {len(chapters)} chapters translated"
        if exercises:
            line += f", {len(theirs & exercises)} of {len(exercises)} exercises"
        missing = sorted(chapters - own)
        if missing:
            line += f"; shown in {first.lang}: {', '.join(missing)}"
        extra = sorted((own - chapters) | (theirs - exercises))
        if extra:
            line += f"; not in {first.lang}: {', '.join(extra)}"
        lines.append(line)
    return lines


def group_by_file(problems: list[FileProblem]) -> dict[Path, list[FileProblem]]:
    """Problems grouped per file (for summaries)."""
    grouped: dict[Path, list[FileProblem]] = defaultdict(list)
    for problem in problems:
        grouped[problem.path].append(problem)
    return dict(grouped)
