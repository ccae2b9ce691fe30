"""The fast first build of the search index gives exactly what the plain ways give.

The build avoids YAML for simple frontmatter (checked in test_quick_frontmatter.py), jumps from line to line with
regular expressions instead of visiting every line, names chapters with
string work, and writes into a temporary file that is moved into place.
Each shortcut is checked here against the straightforward version.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from peeragogy_tui.core.handbook import chapter_id_for, load_handbook
from peeragogy_tui.core.search import extract, index_for, row_writer, storage, sync
from peeragogy_tui.core.search.chapter_ids import ChapterIds
from peeragogy_tui.errors import PeeragogyError

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------- text extraction

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def reference_plain(body: str) -> str:
    """markdown_to_plain the simple way: one line at a time, the old MULTILINE rules."""
    rules = [
        (re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S+.*$", re.MULTILINE), ""),
        (re.compile(r"^[ \t|:=*_~-]+$", re.MULTILINE), ""),
        (
            re.compile(
                r"^[ \t]*(?:>[ \t]?)*(?:#{1,6}(?=[ \t]|$)|(?:[-+*]|\d{1,9}[.)]|:)(?=[ \t])(?:[ \t]+\[[ xX]\])?)?",
                re.MULTILINE,
            ),
            "",
        ),
    ]

    def prose(text: str) -> str:
        for pattern, replacement in rules:
            text = pattern.sub(replacement, text)
        return _inline_part(text)

    out: list[str] = []
    block: list[str] = []
    fence: str | None = None
    for line in body.split("\n"):
        opener = _FENCE.match(line)
        if fence is None and not opener:
            block.append(line)
            continue
        if block:
            out.append(prose("\n".join(block)))
            block = []
        if fence is None:
            fence = opener.group(1) if opener else None
            out.append("")
        elif extract._closes(opener, fence, line):
            fence = None
            out.append("")
        else:
            out.append(line)
    if block:
        out.append(prose("\n".join(block)))
    return "\n".join(out)


def _inline_part(text: str) -> str:
    """The part of ``_prose_plain`` after the line rules (links, marks, entities): the same code."""
    return extract._prose_inline(text)


def reference_headings(body: str) -> list[str]:
    """scan_headings the simple way: every line visited."""
    headings: list[str] = []
    fence: str | None = None
    previous = ""
    for line in body.split("\n"):
        line = line.rstrip("\r")
        opener = _FENCE.match(line)
        if fence is not None:
            if extract._closes(opener, fence, line):
                fence = None
            previous = ""
            continue
        if opener:
            fence = opener.group(1)
            previous = ""
            continue
        atx = extract._ATX.match(line)
        if atx:
            if (atx.group(1) or "").strip():
                headings.append((atx.group(1) or "").strip())
            previous = ""
            continue
        if extract._SETEXT.match(line) and previous and not extract._NOT_PARAGRAPH.match(previous):
            headings.append(previous.strip())
            previous = ""
            continue
        previous = line
    return [extract._inline_plain(heading) for heading in headings if heading]


MARKDOWN_LINES = [
    "",
    "Plain text with **bold**, `code` and a [link](x.md).",
    "# Heading",
    "## Heading ##",
    "   ### Indented heading",
    "    # four spaces: code",
    "#hashtag",
    "#",
    "Title above",
    "===",
    "---",
    "- - -",
    "- item",
    "* star item",
    "1. numbered",
    "١. arabic digit",
    "> quote",
    "> > nested quote",
    "> # quoted heading",
    "- [x] done",
    "```",
    "```python",
    "````",
    "~~~",
    "  ```",
    "``` not closing",
    "| a | b |",
    "|---|---|",
    "[ref]: http://example.org",
    "<div>html</div>",
    "&amp; entity &copy;",
    "line with trailing cr\r",
    "---\r",
    "===  \r\r",
    "\t- tab item",
    "text -- dashes",
    "--",
    "-",
    "=",
]


@SETTINGS
@given(
    lines=st.lists(st.sampled_from(MARKDOWN_LINES), max_size=14), end=st.sampled_from(["", "\n"])
)
@example(lines=["Title", "===", "```", "# not a heading", "```", "Other", "---"], end="")
def test_fast_extraction_matches_the_line_by_line_way(lines: list[str], end: str) -> None:
    body = "\n".join(lines) + end
    assert extract.markdown_to_plain(body) == reference_plain(body)
    assert extract.scan_headings(body) == reference_headings(body)


@SETTINGS
@given(body=st.text(alphabet="#=-`~ \t\r\n>*1.[]():|&xa", max_size=80))
def test_fast_extraction_matches_on_odd_text(body: str) -> None:
    assert extract.markdown_to_plain(body) == reference_plain(body)
    assert extract.scan_headings(body) == reference_headings(body)


# --------------------------------------------------------------------------- chapter ids


def test_chapter_ids_match_chapter_id_for_through_links(tmp_path: Path) -> None:
    root = tmp_path / "hb"
    outside = tmp_path / "outside"
    (root / "a" / "b").mkdir(parents=True)
    (outside / "deep").mkdir(parents=True)
    for path in (
        root / "top.md",
        root / "a" / "b" / "x.y.md",
        outside / "o.md",
        outside / "deep" / "d.md",
    ):
        path.write_text("# t\n")
    os.symlink(root / "a", root / "alias")  # a folder link inside the handbook
    os.symlink(outside, root / "out")  # a folder link out of it
    os.symlink(root / "a" / "b" / "x.y.md", root / "link.md")  # a file link
    os.symlink(tmp_path, root / "up")  # a link to above the root, back into it
    names = ChapterIds(root)
    paths = [
        root / "top.md",
        root / "a" / "b" / "x.y.md",
        root / "alias" / "b" / "x.y.md",
        root / "out" / "o.md",
        root / "out" / "deep" / "d.md",
        root / "link.md",
        root / "up" / "hb" / "a" / "b" / "x.y.md",
        root / "up" / "outside" / "o.md",
    ]
    for path in paths:
        assert names(str(path)) == chapter_id_for(path, root), path


# --------------------------------------------------------------------------- building into a temporary file


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    moment = path.stat().st_mtime - 3600
    os.utime(path, (moment, moment))


def _handbook(root: Path, count: int = 12) -> Path:
    for number in range(count):
        _write(
            root / f"part-{number % 3}" / f"c{number}.md",
            f"---\ntitle: Chapter {number}\n---\n# Chapter {number}\n\nword{number} shared café\n",
        )
    _write(root / "odd.md", "---\nsummary: **bold**\n---\n# Odd one\n\nshared\n")
    return root


def _contents(
    conn: sqlite3.Connection,
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    files = conn.execute(
        "SELECT path, kind, size, sha1, chapter_id FROM files ORDER BY path"
    ).fetchall()
    docs = conn.execute(
        "SELECT path, title, headings, body, kind, chapter_id, body_line FROM docs ORDER BY path"
    ).fetchall()
    return files, docs


def test_a_first_build_stores_what_an_update_in_place_stores(tmp_path: Path) -> None:
    root = _handbook(tmp_path / "hb")
    with index_for(root, include_exercises=False) as index:
        assert index.last_sync.indexed == 13
        built = _contents(index.conn)
    in_place = storage.open_cache_db(
        tmp_path / "plain.sqlite3", sync.create_schema, sync.SCHEMA_VERSION
    )
    sync.sync_files(in_place, root.resolve(), [])
    assert _contents(in_place) == built
    in_place.close()
    handbook = load_handbook(root)
    assert sorted(row[4] for row in built[0]) == sorted(handbook.by_id)
    assert {row[1] for row in built[1]} == {chapter.title for chapter in handbook.chapters}


def test_a_crash_during_the_build_leaves_no_index_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _handbook(tmp_path / "hb")
    calls: list[str] = []
    original = sync.read_file

    def failing(path: str) -> bytes:
        calls.append(path)
        if len(calls) == 7:
            raise KeyboardInterrupt  # a crash half-way, not an unreadable file
        return original(path)

    monkeypatch.setattr(sync, "read_file", failing)
    with pytest.raises(KeyboardInterrupt):
        index_for(root, include_exercises=False)
    search = tmp_path / "home" / "search"
    assert list(search.iterdir()) == []  # neither an index nor a temporary file
    monkeypatch.setattr(sync, "read_file", original)
    with index_for(root, include_exercises=False) as index:
        assert index.last_sync.indexed == 13
        assert [hit.chapter_id for hit in index.search("word6")] == ["part-0/c6"]


def test_leftovers_of_a_killed_build_are_deleted_and_never_used(tmp_path: Path) -> None:
    root = _handbook(tmp_path / "hb")
    with index_for(root, include_exercises=False) as index:
        path = index.path
    path.unlink()
    old = path.with_name(path.name + ".build-999-dead")
    recent = path.with_name(path.name + ".build-998-busy")
    for leftover in (old, recent):
        leftover.write_bytes(b"half a database")
    os.utime(old, (0, 0))
    with index_for(root, include_exercises=False) as index:
        assert index.last_sync.indexed == 13
    assert not old.exists() and recent.exists()  # a recent one may be another process's build


def test_a_build_never_replaces_an_index_someone_else_finished(tmp_path: Path) -> None:
    target = tmp_path / "index.sqlite3"
    theirs = tmp_path / "theirs"
    mine = tmp_path / "mine"
    theirs.write_bytes(b"theirs")
    mine.write_bytes(b"mine")
    assert storage._publish(theirs, target)
    assert not storage._publish(mine, target)
    assert target.read_bytes() == b"theirs"


def test_an_index_of_an_older_version_is_rebuilt_whole(tmp_path: Path) -> None:
    root = _handbook(tmp_path / "hb")
    with index_for(root, include_exercises=False) as index:
        path = index.path
        index.conn.execute(f"PRAGMA user_version = {sync.SCHEMA_VERSION - 1}")
    with index_for(root, include_exercises=False) as index:
        assert index.last_sync.indexed == 13 and index.path == path
        assert index.conn.execute("PRAGMA user_version").fetchone()[0] == sync.SCHEMA_VERSION
        assert index.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# --------------------------------------------------------------------------- the writer process


@pytest.fixture()
def writer_used(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each first build wrote from the writer process (``RowWriter.in_child`` at its finish)."""
    used: list[bool] = []
    original_finish = sync.RowWriter.finish

    def finish(self: sync.RowWriter) -> None:
        used.append(self.in_child)
        original_finish(self)

    monkeypatch.setattr(sync.RowWriter, "finish", finish)
    return used


@pytest.fixture()
def child_writer(monkeypatch: pytest.MonkeyPatch, writer_used: list[bool]) -> list[bool]:
    """Make every first build use the writer process; records whether each one did."""
    monkeypatch.setattr(sync, "CHILD_WRITER_BYTES", 0)
    return writer_used


@pytest.fixture()
def children(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """Every writer process a build starts, recorded."""
    started: list[subprocess.Popen[bytes]] = []
    original_popen = subprocess.Popen

    def recording(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        child = original_popen(*args, **kwargs)
        started.append(child)
        return child

    monkeypatch.setattr(row_writer.subprocess, "Popen", recording)
    return started


def test_the_writer_process_stores_what_this_process_stores(
    tmp_path: Path, child_writer: list[bool]
) -> None:
    root = _handbook(tmp_path / "hb")
    with index_for(root, include_exercises=False) as index:
        assert child_writer == [True] and index.last_sync.indexed == 13
        built = _contents(index.conn)
        assert [hit.chapter_id for hit in index.search("word6")] == ["part-0/c6"]
    in_place = storage.open_cache_db(
        tmp_path / "plain.sqlite3", sync.create_schema, sync.SCHEMA_VERSION
    )
    sync.sync_files(in_place, root.resolve(), [])
    assert _contents(in_place) == built
    in_place.close()


def test_without_a_python_to_start_the_build_runs_here(
    tmp_path: Path, child_writer: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _handbook(tmp_path / "hb")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    with index_for(root, include_exercises=False) as index:
        assert child_writer == [False] and index.last_sync.indexed == 13
        assert [hit.chapter_id for hit in index.search("word6")] == ["part-0/c6"]


def test_a_writer_that_fails_to_start_is_replaced_by_this_process(
    tmp_path: Path, child_writer: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _handbook(tmp_path / "hb")
    monkeypatch.setattr(row_writer, "_CHILD", "import sys; sys.exit(3)")
    with index_for(root, include_exercises=False) as index:
        assert child_writer == [False] and index.last_sync.indexed == 13


def test_a_writer_that_fails_later_is_an_error_with_its_message(
    tmp_path: Path, child_writer: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _handbook(tmp_path / "hb")
    failing = row_writer._CHILD.replace(
        "conn.executemany(sql, rows)", "raise sqlite3.OperationalError('database or disk is full')"
    )
    monkeypatch.setattr(row_writer, "_CHILD", failing)
    with pytest.raises(
        PeeragogyError, match="cannot write the search index: database or disk is full"
    ):
        index_for(root, include_exercises=False)
    assert list((tmp_path / "home" / "search").iterdir()) == []


def test_an_interrupted_build_stops_its_writer(
    tmp_path: Path,
    child_writer: list[bool],
    children: list[subprocess.Popen[bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = _handbook(tmp_path / "hb", count=600)
    calls: list[str] = []
    original_read = sync.read_file

    def interrupted(path: str) -> bytes:
        calls.append(path)
        if len(calls) == 500:  # after a batch or so has gone to the writer
            raise KeyboardInterrupt
        return original_read(path)

    monkeypatch.setattr(sync, "read_file", interrupted)
    with pytest.raises(KeyboardInterrupt):
        index_for(root, include_exercises=False)
    assert len(children) == 1 and children[0].returncode is not None
    assert list((tmp_path / "home" / "search").iterdir()) == []


def test_a_scan_that_fails_after_the_writer_started_stops_it(
    tmp_path: Path,
    child_writer: list[bool],
    children: list[subprocess.Popen[bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = _handbook(tmp_path / "hb")
    original_stat = os.stat

    def failing_stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if str(path).endswith("c5.md"):  # the writer started at the first file found
            raise KeyboardInterrupt
        return original_stat(path, *args, **kwargs)

    with monkeypatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr(os, "stat", failing_stat)
        index_for(root, include_exercises=False)
    assert len(children) == 1 and children[0].returncode is not None
    assert list((tmp_path / "home" / "search").iterdir()) == []


def _stored_rows(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    """Every docs row with each value's SQLite type: what a search reads back, byte for byte."""
    return conn.execute(
        "SELECT rowid, typeof(title), title, typeof(headings), headings, typeof(body), body, kind,"
        " chapter_id, exercise_id, path, body_line FROM docs ORDER BY rowid"
    ).fetchall()


def _expected_rows(root: Path) -> list[tuple[object, ...]]:
    """The rows a first build must store, made straight from the extraction (rowids in file order)."""
    lang_root = root.resolve()
    rows: list[tuple[object, ...]] = []
    for path in sync.scan(lang_root, []):
        doc = extract.extract_chapter(Path(path), Path(path).read_bytes(), lang_root, ChapterIds(lang_root)(path))
        assert doc is not None
        for section in sync.split_sections(doc.headings, doc.body, doc.body_line):
            rows.append(
                (
                    len(rows) + 1, "text", doc.title, "text", section.headings, "text", section.body,
                    doc.kind, doc.chapter_id, doc.exercise_id, path, section.body_line,
                )
            )  # fmt: skip
    return rows


@pytest.mark.parametrize("in_child", [True, False], ids=["writer process", "this process"])
def test_a_build_stores_the_extracted_text_exactly_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_child: bool
) -> None:
    root = _handbook(tmp_path / "hb")
    _write(root / "long.md", "# Long\n\n" + "café “mot” ünïcode line\n\n" * 2000)  # several sections
    monkeypatch.setattr(sync, "CHILD_WRITER_BYTES", 0 if in_child else 1 << 40)
    with index_for(root, include_exercises=False) as index:
        stored = _stored_rows(index.conn)
        assert [hit.chapter_id for hit in index.search("ünïcode")] == ["long"]
    assert stored == _expected_rows(root)
    assert len(stored) > 14  # the long chapter is several rows


def test_a_small_build_writes_here_and_starts_no_writer_process(
    tmp_path: Path, children: list[subprocess.Popen[bytes]], writer_used: list[bool]
) -> None:
    root = _handbook(tmp_path / "hb")
    with index_for(root, include_exercises=False) as index:
        assert index.last_sync.indexed == 13 and writer_used == [False]
        assert [hit.chapter_id for hit in index.search("word6")] == ["part-0/c6"]
    assert children == []


def test_the_bundled_handbook_builds_without_a_writer_process(
    children: list[subprocess.Popen[bytes]], writer_used: list[bool]
) -> None:
    from peeragogy_tui.paths import bundled_handbook_dir

    with index_for(bundled_handbook_dir()) as index:
        assert index.last_sync.indexed > 10 and writer_used == [False]
    assert children == []


def _markdown_bytes(root: Path) -> int:
    return sum(entry[1] for entry in sync.scan(root.resolve(), []).values())


@pytest.mark.parametrize("short_by", [1, 0], ids=["one byte short", "just enough"])
def test_the_writer_process_starts_once_the_files_add_up_to_enough_text(
    tmp_path: Path,
    children: list[subprocess.Popen[bytes]],
    writer_used: list[bool],
    monkeypatch: pytest.MonkeyPatch,
    short_by: int,
) -> None:
    root = _handbook(tmp_path / "hb")
    monkeypatch.setattr(sync, "CHILD_WRITER_BYTES", _markdown_bytes(root) + short_by)
    with index_for(root, include_exercises=False) as index:
        stored = _stored_rows(index.conn)
    assert stored == _expected_rows(root)
    enough = short_by == 0
    assert writer_used == [enough] and len(children) == (1 if enough else 0)
    assert all(child.returncode == 0 for child in children)  # it wrote every row and exited


@SETTINGS
@given(text=st.text(alphabet=st.characters(max_codepoint=0x3FF), max_size=40))
@example(text="plain café\tand\nlines")
@example(text="csi \x1b[31m and c1 \x9b")
def test_the_quick_control_check_never_misses_one(text: str) -> None:
    from peeragogy_tui.core.sanitize import strip_control

    if extract._has_no_control(text.encode("utf-8", "surrogatepass")):
        assert strip_control(text) == text
    assert not extract._has_no_control(b"x\x1b[31m") and not extract._has_no_control(
        "\x85".encode()
    )
    assert extract._has_no_control("café “quoted”".encode())
