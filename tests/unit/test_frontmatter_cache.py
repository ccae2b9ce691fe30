"""The frontmatter cache: a warm load equals a cold one, edits and damage are handled, YAML is skipped."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from peeragogy_tui.core import cache_files
from peeragogy_tui.core.cache_files import CACHE_FOLDER
from peeragogy_tui.core.handbook import Handbook, frontmatter_cache, load_handbook
from peeragogy_tui.core.handbook.frontmatter_cache import FrontmatterCache
from peeragogy_tui.core.handbook.markdown_file import FM_BOUNDARY, parse_yaml_frontmatter
from peeragogy_tui.errors import PeeragogyError
from peeragogy_tui.paths import bundled_handbook_dir

REPO = Path(__file__).resolve().parents[2]

BAD_FILES: dict[str, str | bytes] = {
    "syntax.md": "---\ntitle: fine\nsummary: one: two\norder: 3\n---\n# Syntax\n\nBody.\n",
    "unterminated.md": "---\ntitle: 'never closed\norder: 1\n---\n# Unterminated\n",
    "tag.md": "---\ntitle: Trap\nsummary: !!python/object/apply:os.system ['true']\n---\nBody.\n",
    "alias.md": '---\na: &a ["x", "y"]\nb: *a\n---\nBody.\n',
    "list.md": "---\n- title: a list\n- order: 1\n---\n# List\n",
    "wrong-type.md": "---\ntitle: Typed\norder: soon\n---\n# Typed\n",
    "unclosed.md": "---\ntitle: Never closed\n\n# Heading\n",
    "latin.md": "---\ntitle: Latin\n---\n# Latin\n\nLe café.\n".encode("latin-1"),
    "binary.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "dated.md": "---\ntitle: Dated\ndate: 2024-05-01\n---\n# Dated\n",
    "numbers.md": "---\ntitle: Numbers\nmap: {1: one, 2: two}\n---\n# Numbers\n",
}
NOT_JSON = ["title: Dated\ndate: 2024-05-01\n", "title: Numbers\nmap: {1: one, 2: two}\n"]
"""Blocks JSON cannot give back unchanged (a date; number keys): parsed on every load."""


def write_book(root: Path) -> Path:
    """A handbook of good chapters, a nested folder, two twins and every kind of bad file."""
    (root / "part").mkdir(parents=True, exist_ok=True)
    (root / "intro.md").write_text(
        "---\ntitle: Intro\norder: 1\npart: Start\nsummary: The start.\ntags: [a, b]\n"
        "extra: {nested: [1, 2.5, true, null, 'x']}\npermalink: /intro/\n---\n# Intro\n\nText.\n",
        encoding="utf-8",
    )
    (root / "part" / "deep.md").write_text("---\norder: 2\n---\n# Deep heading\n", encoding="utf-8")
    (root / "plain.md").write_text("# Plain\n\nNo frontmatter.\n", encoding="utf-8")
    for twin in ("twin-a.md", "twin-b.md"):
        (root / twin).write_text("---\ntitle: Twin\ntags: [same]\n---\n# Twin\n", encoding="utf-8")
    for name, content in BAD_FILES.items():
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_book(tmp_path / "book")


@pytest.fixture(autouse=True)
def every_block_through_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache as it works for blocks that need YAML: here every block does.

    Simple blocks are read without YAML and not kept (the tests at the end of
    this file check that); these tests are about what the cache keeps.
    """
    monkeypatch.setattr(frontmatter_cache, "quick_meta", lambda front: None)


@pytest.fixture
def yaml_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every frontmatter block that was parsed with YAML (not answered by the cache)."""
    calls: list[str] = []

    def counting(front: str, end: int):  # type: ignore[no-untyped-def]
        calls.append(front)
        return parse_yaml_frontmatter(front, end)

    monkeypatch.setattr(frontmatter_cache, "parse_yaml_frontmatter", counting)
    return calls


def frontmatter_files(home: Path) -> list[Path]:
    folder = home / CACHE_FOLDER
    return sorted(folder.glob("frontmatter-*.json")) if folder.is_dir() else []


def assert_same(warm: Handbook, cold: Handbook) -> None:
    assert warm == cold
    assert [(c.id, c.title, c.problem, c.meta) for c in warm.chapters] == [
        (c.id, c.title, c.problem, c.meta) for c in cold.chapters
    ]
    assert warm.problems == cold.problems


def test_warm_load_equals_cold_load_and_skips_yaml(book: Path, private_home: Path, yaml_calls: list[str]) -> None:
    cold = load_handbook(book, cache=False)
    first = load_handbook(book)
    assert len(yaml_calls) > 8, "the first load parses every block"
    assert len(frontmatter_files(private_home)) == 1
    yaml_calls.clear()
    warm = load_handbook(book)
    assert sorted(yaml_calls) == NOT_JSON, "only the blocks JSON cannot hold are parsed again"
    assert_same(first, cold)
    assert_same(warm, cold)
    problems = {c.path.name: c.problem for c in warm.chapters if c.problem}
    assert set(problems) == set(BAD_FILES) - {"dated.md", "numbers.md"}
    assert warm.get("numbers").meta["map"] == {1: "one", 2: "two"}
    assert problems["syntax.md"].line == 3 and "YAML" in problems["syntax.md"].message
    assert problems["unterminated.md"].line == 2
    assert "tag" in problems["tag.md"].hint
    assert "alias" in problems["alias.md"].message
    assert problems["wrong-type.md"].line == 3


def test_bundled_handbook_warm_equals_cold(private_home: Path, yaml_calls: list[str]) -> None:
    cold = load_handbook(bundled_handbook_dir(), cache=False)
    load_handbook(bundled_handbook_dir())
    yaml_calls.clear()
    warm = load_handbook(bundled_handbook_dir())
    assert yaml_calls == []
    assert_same(warm, cold)


def test_twins_do_not_share_metadata(book: Path) -> None:
    load_handbook(book)
    warm = load_handbook(book)
    a, b = warm.get("twin-a"), warm.get("twin-b")
    assert a is not None and b is not None and a.meta == b.meta
    assert a.meta is not b.meta and a.meta["tags"] is not b.meta["tags"]


def test_an_edit_reparses_that_file_only(book: Path, yaml_calls: list[str]) -> None:
    load_handbook(book)
    yaml_calls.clear()
    intro = book / "intro.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace("title: Intro", "title: Welcome"), encoding="utf-8")
    (book / "syntax.md").write_text("---\ntitle: Fixed\n---\n# Syntax\n", encoding="utf-8")
    handbook = load_handbook(book)
    assert sorted(yaml_calls) == sorted(
        [(book / "intro.md").read_text(encoding="utf-8").split("---\n")[1], "title: Fixed\n", *NOT_JSON]
    )
    assert handbook.get("intro").title == "Welcome"
    assert handbook.get("syntax").title == "Fixed" and not handbook.get("syntax").broken
    assert_same(handbook, load_handbook(book, cache=False))


def test_breaking_a_file_is_reported_from_the_next_load_on(book: Path) -> None:
    load_handbook(book)
    (book / "intro.md").write_text("---\ntitle: Intro\norder: [1\n---\n# Intro\n", encoding="utf-8")
    for _ in range(2):
        problem = load_handbook(book).get("intro").problem
        assert problem is not None and problem.line == 3 and "YAML" in problem.message


def test_entries_of_removed_files_are_dropped(book: Path, private_home: Path) -> None:
    load_handbook(book)
    (book / "twin-a.md").unlink()
    (book / "twin-b.md").unlink()
    load_handbook(book)
    entries = json.loads(frontmatter_files(private_home)[0].read_text(encoding="utf-8"))["data"]
    assert "title: Twin\ntags: [same]\n" not in entries
    assert len(entries) == len([n for n in BAD_FILES if n not in ("dated.md", "numbers.md", "unclosed.md", "binary.md")]) + 2


def _retagged(field: str, value: object) -> Callable[[bytes], bytes]:
    """A cache file whose entries are right for this handbook, but ``field`` says otherwise."""

    def damage(good: bytes) -> bytes:
        data = json.loads(good)
        data[field] = value
        return json.dumps(data).encode()

    return damage


@pytest.mark.parametrize(
    "damage",
    [
        b"{not json",
        b"\xff\xfe\x00binary",
        b"[1, 2, 3]",
        b"[" * 100_000,
        _retagged("key", "/another/handbook\x00en"),
        _retagged("fingerprint", "1/0.0.1/an older parser"),
        _retagged("data", ["not", "a", "mapping"]),
    ],
    ids=["truncated", "binary", "not-a-mapping", "deeply-nested", "foreign", "old-parser", "bad-entries"],
)
def test_damaged_cache_file_is_ignored_and_rebuilt(
    book: Path, private_home: Path, yaml_calls: list[str], damage: bytes | Callable[[bytes], bytes]
) -> None:
    load_handbook(book)
    path = frontmatter_files(private_home)[0]
    path.write_bytes(damage(path.read_bytes()) if callable(damage) else damage)
    yaml_calls.clear()
    handbook = load_handbook(book)
    assert len(yaml_calls) > 8, "nothing was taken from the damaged file"
    assert_same(handbook, load_handbook(book, cache=False))
    assert json.loads(path.read_text(encoding="utf-8"))["data"], "rebuilt"
    yaml_calls.clear()
    load_handbook(book)
    assert sorted(yaml_calls) == NOT_JSON


def test_malformed_entries_are_misses_not_results(book: Path, private_home: Path, yaml_calls: list[str]) -> None:
    load_handbook(book)
    path = frontmatter_files(private_home)[0]
    stored = json.loads(path.read_text(encoding="utf-8"))
    data = {"entries": stored["data"]}
    wrong = [  # each otherwise right for its block (same "end")
        lambda end: {"end": end + 1, "meta": {"title": "Wrong end"}},
        lambda end: {"end": end, "meta": "not a mapping"},
        lambda end: {"end": end, "line": "two", "message": "x", "hint": ""},
        lambda end: {"end": end, "line": 2, "message": "", "hint": ""},
        lambda end: {"end": end, "line": 2, "message": "x"},
        lambda end: "a string",
    ]
    keys = list(data["entries"])
    for key, make in zip(keys, wrong):
        data["entries"][key] = make(data["entries"][key]["end"])
    stored["data"] = data["entries"]
    path.write_text(json.dumps(stored), encoding="utf-8")
    yaml_calls.clear()
    handbook = load_handbook(book)
    assert set(keys[: len(wrong)]) <= set(yaml_calls)
    assert_same(handbook, load_handbook(book, cache=False))


def test_cache_is_private(book: Path, private_home: Path) -> None:
    load_handbook(book)
    folder = private_home / CACHE_FOLDER
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(private_home.stat().st_mode) == 0o700
    (path,) = frontmatter_files(private_home)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_unwritable_data_dir_still_loads(book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("PEERAGOGY_HOME", str(blocker / "home"))  # below a file: no one can create it
    for _ in range(2):
        assert_same(load_handbook(book), load_handbook(book, cache=False))
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_failed_cache_write_is_skipped(
    book: Path, private_home: Path, monkeypatch: pytest.MonkeyPatch, yaml_calls: list[str]
) -> None:
    attempts: list[Path] = []

    def disk_full(path: Path, data: str | bytes) -> None:
        attempts.append(path)
        raise PeeragogyError("cannot save: No space left on device", path=path)

    monkeypatch.setattr(cache_files, "write_private_file", disk_full)
    handbook = load_handbook(book)
    assert attempts and frontmatter_files(private_home) == []
    assert_same(handbook, load_handbook(book, cache=False))
    yaml_calls.clear()
    load_handbook(book)
    assert len(yaml_calls) > 8, "nothing was cached"


def test_cache_is_per_handbook_and_language(tmp_path: Path, private_home: Path) -> None:
    for lang in ("en", "fr"):
        (tmp_path / "multi" / lang).mkdir(parents=True)
        (tmp_path / "multi" / lang / "a.md").write_text(f"---\ntitle: A {lang}\n---\nx\n", encoding="utf-8")
    write_book(tmp_path / "other")
    assert load_handbook(tmp_path / "multi", "en").get("a").title == "A en"
    assert load_handbook(tmp_path / "multi", "fr").get("a").title == "A fr"
    load_handbook(tmp_path / "other")
    assert len(frontmatter_files(private_home)) == 3
    assert load_handbook(tmp_path / "multi", "fr").get("a").title == "A fr"


def test_unchanged_load_does_not_rewrite(book: Path, private_home: Path) -> None:
    load_handbook(book)
    (path,) = frontmatter_files(private_home)
    os.utime(path, ns=(1, 1))
    load_handbook(book)
    assert path.stat().st_mtime_ns == 1


def test_cache_counts_hits_and_misses(book: Path) -> None:
    cache = FrontmatterCache.open(book, None)
    first = cache("title: T\n", 2)
    again = cache("title: T\n", 2)
    assert first.meta == again.meta == {"title": "T"} and first.meta is not again.meta
    assert (cache.misses, cache.hits) == (1, 1) and cache.changed


def test_boundary_rule_is_python_frontmatters() -> None:
    from frontmatter.default_handlers import YAMLHandler

    assert FM_BOUNDARY.pattern == YAMLHandler.FM_BOUNDARY.pattern
    assert FM_BOUNDARY.flags == YAMLHandler.FM_BOUNDARY.flags


def _yaml_imported_by_two_loads(root: Path, home: Path) -> list[str]:
    """What a first (cold) and a second (warm) ``load_handbook(root)`` imported of YAML, each in a new process."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from peeragogy_tui.core.handbook import load_handbook\n"
        "handbook = load_handbook(Path(sys.argv[1]))\n"
        "assert handbook.chapters\n"
        "print(sorted(m for m in ('yaml', 'frontmatter') if m in sys.modules))\n"
    )
    env = dict(os.environ, PEERAGOGY_HOME=str(home))
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(root)], env=env, cwd=REPO, capture_output=True, text=True, check=True
        )
        for _ in range(2)
    ]
    return [run.stdout.strip() for run in runs]


def test_the_bundled_handbook_loads_without_yaml_even_the_first_time(tmp_path: Path) -> None:
    """Its frontmatter is all simple: read without YAML, and nothing for the cache to keep."""
    assert _yaml_imported_by_two_loads(bundled_handbook_dir(), tmp_path / "home") == ["[]", "[]"]
    assert frontmatter_files(tmp_path / "home") == []


def test_warm_start_does_not_import_yaml(tmp_path: Path) -> None:
    book = tmp_path / "book"
    book.mkdir()
    (book / "nested.md").write_text("---\ntitle: Nested\nextra: {a: [1, 2]}\n---\n# Nested\n", encoding="utf-8")
    (book / "broken.md").write_text(BAD_FILES["syntax.md"], encoding="utf-8")
    (book / "simple.md").write_text("---\ntitle: Simple\ntags: [a]\n---\n# Simple\n", encoding="utf-8")
    cold, warm = _yaml_imported_by_two_loads(book, tmp_path / "home")
    assert cold == "['yaml']", "the first (cold) load parses the blocks that need YAML"
    assert warm == "[]", "the cache holds them"


def test_only_blocks_that_need_yaml_are_kept(
    book: Path, private_home: Path, yaml_calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from peeragogy_tui.core.handbook.quick_frontmatter import quick_meta

    monkeypatch.setattr(frontmatter_cache, "quick_meta", quick_meta)
    cold = load_handbook(book, cache=False)
    first = load_handbook(book)
    needs_yaml = sorted(front for front in yaml_calls if quick_meta(front) is None)
    assert yaml_calls and sorted(yaml_calls) == needs_yaml, "a simple block never goes to YAML"
    assert "title: Twin\ntags: [same]\n" not in yaml_calls
    entries = json.loads(frontmatter_files(private_home)[0].read_text(encoding="utf-8"))["data"]
    assert sorted(entries) == sorted(set(needs_yaml) - set(NOT_JSON))
    yaml_calls.clear()
    warm = load_handbook(book)
    assert sorted(yaml_calls) == NOT_JSON
    assert_same(first, cold)
    assert_same(warm, cold)
