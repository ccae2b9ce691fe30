"""Bad files on disk: each becomes a FileProblem (path, line, message, hint), never a crash.

Every fixture is built in ``tmp_path``; nothing binary is committed.
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peeragogy_tui.core.handbook import Handbook, load_handbook, markdown_file
from peeragogy_tui.core.handbook.folder_walk import walk_markdown
from peeragogy_tui.core.handbook.markdown_file import (
    FM_BOUNDARY,
    FileProblem,
    Frontmatter,
    parse_markdown_text,
    read_markdown_file,
)

GOOD = "---\ntitle: A good chapter\norder: 1\n---\n# A good chapter\n\nFine text.\n"


def make_handbook(root: Path, bad_name: str, bad_content: bytes | str) -> Path:
    """A handbook with one good chapter and one bad file; returns the bad file's path."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "good.md").write_text(GOOD, encoding="utf-8")
    bad = root / bad_name
    if isinstance(bad_content, bytes):
        bad.write_bytes(bad_content)
    else:
        bad.write_text(bad_content, encoding="utf-8")
    return bad


def assert_problem(problem: FileProblem | None, path: Path, line: int | None) -> FileProblem:
    assert problem is not None, f"{path.name}: no problem reported"
    assert problem.path == path
    assert problem.line == line, f"{problem} (wanted line {line})"
    assert problem.message.strip()
    assert problem.hint.strip()
    if line is not None:
        assert str(problem).startswith(f"{path}:{line}: ")
    return problem


def assert_rest_loads(root: Path, bad: Path) -> Handbook:
    """The good chapter loads intact; the bad file is present, marked broken, and listed."""
    handbook = load_handbook(root)
    good = handbook.get("good")
    assert good is not None and not good.broken
    assert good.title == "A good chapter"
    assert "Fine text." in good.body
    broken = [c for c in handbook.chapters if c.path == bad]
    assert len(broken) == 1 and broken[0].broken
    assert broken[0].problem in handbook.problems
    return handbook


# --- YAML syntax errors point at the bad line ------------------------------------------------

BROKEN_YAML = [
    # (frontmatter lines after the opening '---', 1-based file line of the bad one)
    (["title: fine", "summary: one: two", "order: 3"], 3),
    (["title: fine", "order: 2", "lang: en", "part: \"unterminated", "summary: x: y"], 5),
    (["title: ok", "tags:", "  - a", " - b"], 5),
    (["title: [a, b", "order: 3"], 2),
    (["title: {a: b", "order: 3"], 2),
    (["title: ok", "order: 1", "this line has no colon", "lang: en"], 4),
    (["title: ok", "\torder: 3"], 3),
    (["title: ok", "summary: *nowhere"], 3),
    (["title: 'never closed", "order: 1"], 2),
]


@pytest.mark.parametrize(("front", "bad_line"), BROKEN_YAML)
def test_broken_yaml_reports_the_bad_line(tmp_path: Path, front: list[str], bad_line: int) -> None:
    text = "---\n" + "\n".join(front) + "\n---\n# Heading\n\nBody text.\n"
    bad = make_handbook(tmp_path / "hb", "broken.md", text)
    parsed = read_markdown_file(bad)
    problem = assert_problem(parsed.problem, bad, bad_line)
    assert "YAML" in problem.message
    assert parsed.meta == {}
    assert "Body text." in parsed.body, "the body is still shown"
    handbook = assert_rest_loads(tmp_path / "hb", bad)
    assert handbook.get("broken").title == "Heading"


# --- Tags must never construct Python objects -----------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
    ],
)
def test_python_tags_never_execute(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    command = f"touch {marker}"
    text = f"---\ntitle: Trap\nsummary: {tag} [{command!r}]\n---\nBody.\n"
    bad = make_handbook(tmp_path / "hb", "trap.md", text)
    parsed = read_markdown_file(bad)
    assert not marker.exists(), "frontmatter executed a command"
    problem = assert_problem(parsed.problem, bad, 3)
    assert "tag" in problem.message or "tag" in problem.hint
    assert_rest_loads(tmp_path / "hb", bad)
    assert not marker.exists()


# --- Alias bombs -----------------------------------------------------------------------------


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = ['l0: &l0 "lol"']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "---\n" + "\n".join(lines) + "\n---\nBody.\n"


def test_yaml_alias_bomb_is_rejected_fast(tmp_path: Path) -> None:
    bad = make_handbook(tmp_path / "hb", "bomb.md", billion_laughs())
    start = time.perf_counter()
    parsed = read_markdown_file(bad)
    handbook = assert_rest_loads(tmp_path / "hb", bad)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"alias bomb took {elapsed:.1f}s"
    problem = assert_problem(parsed.problem, bad, 2)
    assert "alias" in problem.message.lower() or "anchor" in problem.message.lower()
    assert parsed.meta == {}
    chapter = next(c for c in handbook.chapters if c.path == bad)
    assert chapter.meta == {}


def test_single_anchor_without_alias_is_fine(tmp_path: Path) -> None:
    parsed = parse_markdown_text(tmp_path / "x.md", "---\ntitle: T\ntags: &t [a, b]\n---\nBody\n")
    assert parsed.problem is None
    assert parsed.meta["tags"] == ["a", "b"]


# --- Encodings and binary --------------------------------------------------------------------


def test_binary_file_is_reported(tmp_path: Path) -> None:
    bad = make_handbook(tmp_path / "hb", "image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    parsed = read_markdown_file(bad)
    problem = assert_problem(parsed.problem, bad, None)
    assert "binary" in problem.message
    assert parsed.body == ""
    assert_rest_loads(tmp_path / "hb", bad)


def test_non_utf8_reports_the_line_and_keeps_the_body(tmp_path: Path) -> None:
    content = "---\ntitle: Latin\n---\n# Latin\n\nline five\nLe café est ouvert.\nlast\n".encode("latin-1")
    bad = make_handbook(tmp_path / "hb", "latin.md", content)
    parsed = read_markdown_file(bad)
    problem = assert_problem(parsed.problem, bad, 7)
    assert "UTF-8" in problem.message
    assert "0xe9" in problem.message
    assert "caf\ufffd" in parsed.body, "the body is shown with a replacement character"
    assert "last" in parsed.body
    assert parsed.meta == {"title": "Latin"}
    handbook = assert_rest_loads(tmp_path / "hb", bad)
    chapter = handbook.get("latin")
    assert chapter.title == "Latin"
    assert "caf\ufffd est ouvert" in chapter.body


def test_bom_before_frontmatter_parses(tmp_path: Path) -> None:
    path = tmp_path / "hb" / "bom.md"
    path.parent.mkdir()
    path.write_bytes("\ufeff---\ntitle: Byte order mark\norder: 4\n---\n# Heading\n".encode("utf-8"))
    parsed = read_markdown_file(path)
    assert parsed.problem is None
    assert parsed.meta == {"title": "Byte order mark", "order": 4}
    assert parsed.body == "# Heading\n"
    assert parsed.body_line == 5
    chapter = load_handbook(path.parent).get("bom")
    assert chapter.title == "Byte order mark" and chapter.order == 4 and not chapter.broken


def test_crlf_frontmatter_parses(tmp_path: Path) -> None:
    parsed = parse_markdown_text(tmp_path / "x.md", "---\r\ntitle: Windows\r\n---\r\nBody\r\n")
    assert parsed.problem is None
    assert parsed.meta == {"title": "Windows"}
    assert parsed.body.strip() == "Body"


# --- Frontmatter shape -----------------------------------------------------------------------


def test_unclosed_frontmatter(tmp_path: Path) -> None:
    bad = make_handbook(tmp_path / "hb", "open.md", "---\ntitle: Never closed\n\n# Heading\n\nText\n")
    parsed = read_markdown_file(bad)
    problem = assert_problem(parsed.problem, bad, 1)
    assert "---" in problem.message and "---" in problem.hint
    assert "Text" in parsed.body
    assert_rest_loads(tmp_path / "hb", bad)


@pytest.mark.parametrize(
    ("front", "kind"),
    [
        ("- title: a list\n- order: 1\n", "list"),
        ("just a sentence\n", "string"),
        ("42\n", "int"),
    ],
)
def test_frontmatter_must_be_a_mapping(tmp_path: Path, front: str, kind: str) -> None:
    bad = make_handbook(tmp_path / "hb", "shape.md", f"---\n{front}---\n# Shape\n")
    parsed = read_markdown_file(bad)
    problem = assert_problem(parsed.problem, bad, 2)
    assert "mapping" in problem.message
    assert kind in problem.message
    assert parsed.meta == {}
    assert_rest_loads(tmp_path / "hb", bad)


def test_empty_frontmatter_is_fine(tmp_path: Path) -> None:
    parsed = parse_markdown_text(tmp_path / "x.md", "---\n---\n# Title\n")
    assert parsed.problem is None and parsed.meta == {} and parsed.body == "# Title\n"


def test_horizontal_rule_without_frontmatter_is_body(tmp_path: Path) -> None:
    parsed = parse_markdown_text(tmp_path / "x.md", "# Title\n\n---\n\nMore\n")
    assert parsed.problem is None and parsed.meta == {}
    assert parsed.body.startswith("# Title") and parsed.body_line == 1


# --- Links and permissions -------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_between_files(tmp_path: Path) -> None:
    root = tmp_path / "hb"
    make_handbook(root, "other.md", "# Other\n")
    os.symlink(root / "b.md", root / "a.md")
    os.symlink(root / "a.md", root / "b.md")
    for name in ("a.md", "b.md"):
        problem = assert_problem(read_markdown_file(root / name).problem, root / name, None)
        assert "loop" in problem.message
    handbook = load_handbook(root)
    assert handbook.get("good") is not None and handbook.get("other") is not None
    looped = {c.path.name for c in handbook.chapters if c.broken}
    assert looped == {"a.md", "b.md"}
    assert all("loop" in p.message for p in handbook.problems)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_directory_symlink_loop_terminates_without_duplicates(tmp_path: Path) -> None:
    root = tmp_path / "hb"
    make_handbook(root, "top.md", "# Top\n")
    nested = root / "nested"
    nested.mkdir()
    (nested / "inner.md").write_text("# Inner\n")
    os.symlink("..", nested / "up")  # nested/up -> hb
    os.symlink(".", nested / "self")  # nested/self -> nested
    found = walk_markdown(root).files
    resolved = [p.resolve() for p in found]
    assert len(resolved) == len(set(resolved)) == 3
    assert {p.name for p in found} == {"good.md", "top.md", "inner.md"}
    handbook = load_handbook(root)
    ids = [c.id for c in handbook.chapters]
    assert sorted(ids) == ["good", "nested/inner", "top"]
    assert not handbook.problems


def _refuse(target: Path, error_number: int, monkeypatch: pytest.MonkeyPatch) -> None:
    real = markdown_file.read_regular_file

    def read_bytes(path: Path) -> bytes:
        if Path(path).name == target.name:
            raise OSError(error_number, os.strerror(error_number), str(path))
        return real(path)

    monkeypatch.setattr(markdown_file, "read_regular_file", read_bytes)


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = make_handbook(tmp_path / "hb", "secret.md", "---\ntitle: Secret\n---\nHidden\n")
    _refuse(bad, errno.EACCES, monkeypatch)
    problem = assert_problem(read_markdown_file(bad).problem, bad, None)
    assert "permission" in problem.message
    assert "chmod" in problem.hint
    assert_rest_loads(tmp_path / "hb", bad)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_chmod_000_file_is_reported(tmp_path: Path) -> None:
    bad = make_handbook(tmp_path / "hb", "locked.md", "# Locked\n")
    bad.chmod(0)
    try:
        problem = assert_problem(read_markdown_file(bad).problem, bad, None)
        assert "permission" in problem.message
        assert_rest_loads(tmp_path / "hb", bad)
    finally:
        bad.chmod(0o644)


def test_other_read_errors_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = make_handbook(tmp_path / "hb", "flaky.md", "# Flaky\n")
    _refuse(bad, errno.EIO, monkeypatch)
    problem = assert_problem(read_markdown_file(bad).problem, bad, None)
    assert os.strerror(errno.EIO) in problem.message
    assert_rest_loads(tmp_path / "hb", bad)


def test_directory_named_like_markdown(tmp_path: Path) -> None:
    root = tmp_path / "hb"
    make_handbook(root, "real.md", "# Real\n")
    (root / "folder.md").mkdir()
    problem = read_markdown_file(root / "folder.md").problem
    assert_problem(problem, root / "folder.md", None)
    handbook = load_handbook(root)
    assert handbook.get("good") is not None and handbook.get("real") is not None


# --- Field types and unknown keys ------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "key", "line"),
    [
        (["title: Typed", "summary: ok", "order: abc"], "order", 4),
        (["title: Typed", "lang: en", "summary: ok", "tags: {a: 1}"], "tags", 5),
        (["title: Typed", "order: true"], "order", 3),
        (["title: Typed", "permalink: [a, b]"], "permalink", 3),
        (["title: Typed", "summary:", "  nested: map"], "summary", 3),
        (["order: 2", "part: 7", "title: Typed"], "part", 3),
    ],
)
def test_wrong_field_type_names_the_key_line(tmp_path: Path, front: list[str], key: str, line: int) -> None:
    text = "---\n" + "\n".join(front) + "\n---\n# Typed\n\nBody.\n"
    bad = make_handbook(tmp_path / "hb", "typed.md", text)
    handbook = assert_rest_loads(tmp_path / "hb", bad)
    chapter = handbook.get("typed")
    problem = assert_problem(chapter.problem, bad, line)
    assert f"'{key}'" in problem.message
    assert key in problem.hint
    assert chapter.title == "Typed"
    assert "Body." in chapter.body


def test_unknown_keys_are_kept_in_meta(tmp_path: Path) -> None:
    root = tmp_path / "hb"
    make_handbook(
        root,
        "extra.md",
        "---\ntitle: Extra\nauthor: Ada\nreviewed: 2024-05-01\nx-custom: {nested: [1, 2]}\n---\nBody\n",
    )
    chapter = load_handbook(root).get("extra")
    assert not chapter.broken
    assert chapter.meta["author"] == "Ada"
    assert str(chapter.meta["reviewed"]) == "2024-05-01"
    assert chapter.meta["x-custom"] == {"nested": [1, 2]}
    assert chapter.meta["title"] == "Extra"


def test_an_impossible_date_is_a_file_problem_with_its_line(tmp_path) -> None:
    from peeragogy_tui.core.handbook import load_handbook

    (tmp_path / "good.md").write_text("---\ntitle: Good\n---\n# Good\n", encoding="utf-8")
    (tmp_path / "bad.md").write_text("---\ntitle: Bad\ndate: 2024-13-45\n---\n# Bad\n\nText.\n", encoding="utf-8")
    handbook = load_handbook(tmp_path)
    bad = next(chapter for chapter in handbook.chapters if chapter.path.name == "bad.md")
    assert bad.problem is not None
    assert bad.problem.line == 3
    assert "quote it" in (bad.problem.hint or "")
    assert any(chapter.title == "Good" and chapter.problem is None for chapter in handbook.chapters)


_PIECES = ["---\n", "---  \n", "...\n", "title: x\n", "a: b\n", "\r\n", "\n", "# H\n", "\u2028", "\x0c",
           "x" * 500 + "\n", "y" * 3000 + "\n", "z" * 9000, "k" * 1000, "tags: [a, b]\n"]


def _split_whole(text: str) -> tuple[str, int, bool]:
    """Body, body line and "opened but never closed", splitting the whole text into lines: the plain way."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or not FM_BOUNDARY.fullmatch(lines[0].rstrip("\r\n")):
        return text, 1, False
    for end in range(1, len(lines)):
        if FM_BOUNDARY.fullmatch(lines[end].rstrip("\r\n")) or lines[end].rstrip() == "...":
            return "".join(lines[end + 1 :]), end + 2, False
    return text, 1, True


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12), st.booleans())
def test_frontmatter_is_found_in_heads_as_in_the_whole_file(pieces: list[str], opened: bool) -> None:
    """The closing line is looked for in the first 1 KB, then 8 KB, then everywhere: the same split as all at once."""
    text = ("---\n" if opened else "") + "".join(pieces)
    parsed = parse_markdown_text(Path("x.md"), text, parse_front=lambda front, end: Frontmatter())
    body, body_line, unclosed = _split_whole(text)
    assert (parsed.body, parsed.body_line, parsed.problem is not None) == (body, body_line, unclosed)
