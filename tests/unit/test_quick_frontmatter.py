"""Frontmatter read without YAML gives exactly YAML's values, and a handbook loads the same either way.

:mod:`peeragogy_tui.core.handbook.quick_frontmatter` answers for simple
blocks and hands everything else to YAML. Checked here: its copy of PyYAML's
resolver rules is PyYAML's; on generated blocks it either declines or gives
the very mapping YAML gives (types included: ``1`` is not ``True``), and
:func:`quick_parse` (the search index's whole-file reader) splits files as
the loader does; real
handbook layouts load to the same tree, order, titles, metadata and problems
with and without it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from peeragogy_tui.core.handbook import (
    Handbook,
    chapter_title,
    load_handbook,
    markdown_file,
    walk_tree,
)
from peeragogy_tui.core.handbook.markdown_file import parse_markdown_bytes, parse_yaml_frontmatter
from peeragogy_tui.core.handbook.quick_frontmatter import IMPLICIT_RULES, quick_meta, quick_parse
from peeragogy_tui.paths import bundled_handbook_dir

REPO = Path(__file__).resolve().parents[2]
BOOKS = REPO / "tests" / "fixtures" / "books"
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LINES = [
    "title: Plain words",
    "title: Café ö “quoted” words",
    "title:  spaced  out  ",
    "title: 'quoted'",
    'title: "double"',
    "title: 'single quoted: yes'",
    'title: "double # quoted"',
    "title: \"it's\"",
    "title: 'it''s'",
    'title: "esc\\"aped"',
    'title: "back\\\\slash"',
    "title: 'unclosed",
    'title: "a" trailing',
    "title: ''",
    "title: yes",
    "title: No",
    "title: oN",
    "title: null",
    "title: Null",
    "title: ~",
    "title: 42",
    "title: -7",
    "title: +3",
    "title: 0",
    "title: 007",
    "title: 3.5",
    "title: -0.0",
    "title: 0.50",
    "title: 1.",
    "title: .5",
    "title: 1e3",
    "title: 1.0e+3",
    "title: 0x1F",
    "title: 0b101",
    "title: 1_000",
    "title: 2024-05-01",
    "title: 2024-13-45",
    "title: 12:30",
    "title: .inf",
    "title: .NaN",
    "title: <<",
    "title: =",
    "title: <b>html</b>",
    "title: ~tilde",
    "title: *alias",
    "title: &anchor value",
    "title: !!python/name:os.system",
    "title: a: b",
    "title: a:b",
    "title: ends with colon:",
    "title: hash # comment",
    "title: hash#not-a-comment",
    "title: [a, list]",
    "title: {a: map}",
    "title: |",
    "title: >",
    "title: -dash",
    "title: - item",
    "title: @reserved",
    "title: `tick`",
    "title: %percent",
    "title: tab\there",
    "title: nbsp\xa0here",
    "title:",
    "title:notakey",
    "title : spaced key",
    "Title: capital",
    "order: 4",
    "order: soon",
    "order: 1.5",
    "order: 2024-13-45",
    "nav_order: 2",
    "weight: 10",
    "weight: 1.5",
    "summary: **bold** start",
    "summary: text with [a link](x.md) and `code`.",
    "summary: http://example.org/a",
    "summary: a, b, and c",
    "summary: back\\slash",
    "permalink: /chapters/en/x/",
    "tags: [a, b c, d-e, é]",
    "tags: [yes, no, null, on]",
    "tags: [Null, NULL, True, off]",
    "tags: [a,b]",
    "tags: [ a ,  b  ]",
    "tags: [a, b: c]",
    "tags: [a, [b]]",
    "tags: [a,]",
    "tags: [, a]",
    "tags: [1, 2]",
    "tags: [a.b, c-]",
    "tags: [a] trailing",
    "tags: []",
    "tags: [ ]",
    "tags:",
    "draft: true",
    "draft: False",
    "yes: key",
    "null: key",
    "on: key",
    "nothing: ~",
    "a-b_c: v",
    "_private: v",
    "k" * 127 + ": a long key",
    "k" * 1100 + ": longer than YAML's simple keys",
    "- item",
    "  - item",
    "    - item",
    "- 'quoted item'",
    "- yes",
    "- 12",
    "- - nested",
    "- ",
    "-item",
    "  continuation",
    "  key: nested",
    "# comment",
    "   # indented comment",
    "",
    "   ",
    "<<: merge",
    "=: value",
    "%YAML 1.1",
    "--- doc",
    "...",
    "---",
    "title: x\r",
    "title: line\x0bbreak",
    "title: line\x85break",
    "title: line\u2028break",
    "\ufeffbom: x",
]


def typed(value: Any) -> Any:
    """``value`` with every scalar's type beside it, so ``1``, ``1.0`` and ``True`` (and ``-0.0``) differ."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, repr(value))


def check_block(front: str) -> None:
    quick = quick_meta(front)
    if quick is None:
        return
    try:
        full = parse_yaml_frontmatter(front, front.count("\n") + 1)
    except ValueError:  # PyYAML's date constructor on 2024-13-45, which quick_meta never reads
        pytest.fail(f"quick_meta read a block YAML cannot: {front!r}")
    assert full.ok, (front, full.message)
    assert typed(quick) == typed(full.meta), front


def test_the_rules_are_pyyamls() -> None:
    import yaml

    resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
    theirs = {
        tag.rsplit(":", 1)[1]: (rule.pattern, rule.flags)
        for rules in resolvers.values()
        for tag, rule in rules
        if not tag.endswith(":yaml")  # documentation only: plain scalars cannot start with ! & *
    }
    ours = {tag: re.compile(pattern, flags) for tag, (pattern, flags) in IMPLICIT_RULES.items()}
    assert {tag: (rule.pattern, rule.flags) for tag, rule in ours.items()} == theirs
    from peeragogy_tui.core.handbook.quick_frontmatter import _RULE_FIRST_CHARACTERS

    assert _RULE_FIRST_CHARACTERS == {first for first in resolvers if first} - set("!&*")


@pytest.mark.parametrize("line", LINES)
def test_each_line_alone_after_a_key_and_under_an_empty_key(line: str) -> None:
    """Most mixes hold some line YAML must read, so each line is also checked where it counts alone."""
    for front in (line, "title: x\n" + line, "tags:\n" + line, "tags:\n  - a\n" + line):
        check_block(front + "\n")


@SETTINGS
@given(lines=st.lists(st.sampled_from(LINES), max_size=6), crlf=st.booleans())
@example(lines=["title: Plain words", "tags:", "  - a", "  - b", "order: 4"], crlf=False)
@example(lines=["tags:", "- a", "- yes", "- 3", "order: 4"], crlf=True)
@example(lines=["title: yes", "tags: [yes, no, null, on]"], crlf=False)
@example(lines=["title: Plain words", "title: again"], crlf=False)
def test_quick_meta_is_yamls_mapping_or_declines(lines: list[str], crlf: bool) -> None:
    end = "\r\n" if crlf else "\n"
    check_block(end.join(lines) + end)
    check_block(end.join(lines))


@SETTINGS
@given(text=st.text(alphabet="-:#[]{}'\"&*!|>%@`?,.~<=_ \t\r\n\x0b\ufeffaoyTnN10.é", max_size=60))
def test_quick_meta_agrees_with_yaml_on_odd_text(text: str) -> None:
    check_block(text)
    check_block("title: " + text + "\n")
    check_block("tags: [" + text + "]\n")
    check_block("tags:\n  - " + text + "\n")


def test_the_usual_shapes_are_read_without_yaml() -> None:
    front = (
        "title: Convening\norder: 4\nsummary: \"Find people: then invite them.\"\n"
        "tags: [lifecycle, convening]\npermalink: /chapters/en/convening/\ndraft: no\n"
        "authors:\n  - Ana\n  - 'Bo'\nweight: 2.5\nnothing:\n# a comment\n"
    )
    assert quick_meta(front) == {
        "title": "Convening",
        "order": 4,
        "summary": "Find people: then invite them.",
        "tags": ["lifecycle", "convening"],
        "permalink": "/chapters/en/convening/",
        "draft": False,
        "authors": ["Ana", "Bo"],
        "weight": 2.5,
        "nothing": None,
    }
    assert quick_meta("") == {} and quick_meta("# only a comment\n") == {}
    for unsure in ("date: 2024-05-01\n", "a: {b: c}\n", "a: |\n  text\n", "yes: key\n", "a: 1\na: 2\n"):
        assert quick_meta(unsure) is None, unsure


# --------------------------------------------------------------------------- whole handbooks


def _generated_scale(tmp_path: Path) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import generate_scale

    return generate_scale.generate(tmp_path / "scale", 60)


def _hugo_and_odd(tmp_path: Path) -> Path:
    """Hugo ``weight``, a part, drafts, quoted titles, a date and broken YAML side by side."""
    root = tmp_path / "hugo"
    files = {
        "b.md": "---\ntitle: \"Second: the sequel\"\nweight: 20\ndraft: false\n---\n# B\n",
        "a.md": "---\ntitle: First\nweight: 10\npart: One\ntags:\n  - x\n  - yes\n---\n# A\n",
        "c.md": "---\ntitle: 'Third'\nweight: 2.5\ndate: 2024-05-01\n---\n# C\n",
        "d.md": "---\ntitle: Fourth\nsummary: **bold** start\n---\n# D\n",
        "e.md": "---\ntitle: 5\norder: soon\n---\n# E heading\n",
        "f.md": "---\r\ntitle: Windows\r\nweight: 1\r\n---\r\n# F\r\n",
        "g.md": "---\nyes: a bool key\n---\n# G\n",
        "h.md": "# No frontmatter\n",
    }
    root.mkdir()
    for name, text in files.items():
        (root / name).write_bytes(text.encode("utf-8"))
    return root


def _load_shape(handbook: Handbook) -> dict[str, Any]:
    return {
        "tree": [(depth, node.kind, node.title, node.chapter.id if node.chapter else None) for node, depth in walk_tree(handbook.tree)],
        "chapters": [
            (c.id, c.title, c.order, c.part, c.lang, c.permalink, c.summary, c.tags, typed(c.meta), c.problem)
            for c in handbook.chapters
        ],
        "problems": handbook.problems,
    }


@pytest.mark.parametrize(
    "layout",
    ["bundled-en", "bundled-es", "mdbook", "gitbook", "jekyll", "hugo-and-odd", "generated-scale"],
)
def test_a_handbook_loads_the_same_with_and_without_yaml(
    layout: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roots = {
        "bundled-en": (bundled_handbook_dir(), "en"),
        "bundled-es": (bundled_handbook_dir(), "es"),
        "mdbook": (BOOKS / "mdbook", None),
        "gitbook": (BOOKS / "gitbook" / "en-md", None),
        "jekyll": (BOOKS / "jekyll", None),
    }
    if layout == "hugo-and-odd":
        roots[layout] = (_hugo_and_odd(tmp_path), None)
    if layout == "generated-scale":
        roots[layout] = (_generated_scale(tmp_path), None)
    root, lang = roots[layout]
    quick = _load_shape(load_handbook(root, lang, cache=False))
    monkeypatch.setattr(markdown_file, "quick_meta", lambda front: None)
    with_yaml = _load_shape(load_handbook(root, lang, cache=False))
    assert quick == with_yaml
    assert quick["chapters"], "something was loaded"
    if layout == "hugo-and-odd":
        titles = [title for _id, title, *_ in quick["chapters"]]
        assert titles[:3] == ["Windows", "Third", "First"], "weight orders them, as with YAML"
        broken = {p.path.name: p for p in quick["problems"]}
        assert broken["d.md"].line == 3 and "YAML" in broken["d.md"].message, "broken YAML names its line"
        assert set(broken) == {"d.md", "e.md"}, "a bad block is a problem; a bool key (yes:) is YAML's \"True\""


# --------------------------------------------------------------------------- whole files (the search index's reader)


def _check_quick_parse(text: str) -> None:
    raw = text.encode("utf-8")
    path = Path("/hb/chapter.md")
    quick = quick_parse(path, raw)
    try:
        full = parse_markdown_bytes(path, raw)
    except ValueError:  # PyYAML's date constructor on 2024-13-45 (a loader bug, reported)
        assert quick is None
        return
    if quick is None:
        return
    assert (quick.body, quick.body_line) == (full.body, full.body_line)
    assert full.problem is None, full.problem
    assert typed(quick.meta) == typed(full.meta)
    assert chapter_title(quick) == chapter_title(full)


@SETTINGS
@given(
    lines=st.lists(st.sampled_from(LINES), max_size=6),
    tail=st.sampled_from(["\n# Head\nBody\n", "", "\n", "Body"]),
)
@example(lines=["title: Plain words", "tags:", "  - a", "  - b", "order: 4"], tail="\n# Head\n")
@example(lines=["title: yes"], tail="\n# Head\n")
@example(lines=["summary: **bold** start", "title: Plain words"], tail="\n# Head\n")
def test_quick_parse_agrees_with_the_loader(lines: list[str], tail: str) -> None:
    for closing in ("---", "...", "----  "):
        _check_quick_parse("---\n" + "\n".join(lines) + f"\n{closing}\n" + tail)


@SETTINGS
@given(text=st.text(alphabet="-:#[]{}'\"&*!|>%@`?,. \t\r\n\x0b\ufeffaoyT1é", max_size=60))
def test_quick_parse_agrees_with_the_loader_on_odd_text(text: str) -> None:
    _check_quick_parse(text)
    _check_quick_parse("---\n" + text)
    _check_quick_parse("---\ntitle: " + text + "\n---\nBody\n")


def test_quick_parse_covers_the_usual_shape() -> None:
    raw = b"---\ntitle: Convening\norder: 4\ntags: [lifecycle]\npermalink: /chapters/en/convening/\n---\n# Convening\n"
    file = quick_parse(Path("convening.md"), raw)
    assert file is not None and file.body_line == 7
    assert file.meta == {"title": "Convening", "order": 4, "tags": ["lifecycle"], "permalink": "/chapters/en/convening/"}
    assert quick_parse(Path("a.md"), b"---\ntitle: 'it''s quoted'\n---\n") is None
    assert quick_parse(Path("a.md"), b"\x00binary") is None
    assert quick_parse(Path("a.md"), b"\xff\xfe not utf-8") is None

