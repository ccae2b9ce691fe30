"""Hostile folders: a FIFO, /proc, symbolic link loops and links out of the folder (issue 13).

Nothing may hang, crash or read a file from outside the folder unless
``--follow-symlinks`` asks for it. Commands run in a subprocess with a timeout
(a hang then fails the test instead of blocking the suite); pure functions run
in a daemon thread that must finish in time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from peeragogy_tui.core.check import check_content
from peeragogy_tui.core.exercises.loader import load_exercises
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.handbook.folder_walk import (
    NotRegularFileError,
    WalkLimits,
    read_regular_file,
    walk_markdown,
)
from peeragogy_tui.errors import PeeragogyError

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 20.0
"""Generous for a loaded 2-core machine; a hang is forever, so any bound catches it."""

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs and symlinks")

EXERCISE = """---
id: {id}
title: An exercise
lang: en
chapters: [intro]
kind: solo
minutes: 5
summary: A small exercise.
steps:
  - id: one
    type: text
    prompt: Say something.
---
Intro.
"""


def peeragogy(*args: str, home: Path, cwd: Path | None = None, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run the real command; stdin closed to a file, output captured through pipes."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PEERAGOGY_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "peeragogy_tui", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
        timeout=timeout,
    )


def finishes(function: Callable[[], Any], seconds: float = TIMEOUT) -> Any:
    """``function()``'s result, or fail if it has not returned within ``seconds``."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = function()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still running after {seconds} s (blocked on a FIFO?)"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A handbook with a FIFO, a link loop, and links to a diary and a folder outside it."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "diary.md").write_text("# Diary\n\nMy private zyxwdiary words.\n", encoding="utf-8")
    (outside / "folder" / "notes.md").write_text("# Notes\n\nzyxwnotes inside.\n", encoding="utf-8")
    root = tmp_path / "hb"
    (root / "inner").mkdir(parents=True)
    (root / "intro.md").write_text("# Intro\n\nHello zyxwintro.\n", encoding="utf-8")
    (root / "inner" / "deep.md").write_text("# Deep\n\nDown here.\n", encoding="utf-8")
    os.mkfifo(root / "pipe.md")
    os.symlink("loop-b.md", root / "loop-a.md")
    os.symlink("loop-a.md", root / "loop-b.md")
    os.symlink(outside / "diary.md", root / "diary.md")
    os.symlink(outside / "folder", root / "linked")
    os.symlink("inner/deep.md", root / "alias.md")  # inside the folder: followed
    return root


def test_fifo_in_handbook_never_hangs_toc_check_or_search(hostile: Path, private_home: Path) -> None:
    toc = peeragogy("--handbook", str(hostile), "toc", "--json", home=private_home)
    assert toc.returncode == 0, toc.stderr
    ids = {row["id"] for row in json.loads(toc.stdout)}
    assert {"intro", "inner/deep"} <= ids
    assert "pipe" not in ids
    assert "pipe.md" in toc.stderr and "named pipe" in toc.stderr

    check = peeragogy("check", "--handbook", str(hostile), home=private_home, cwd=hostile.parent)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "hb/pipe.md:1: a named pipe (FIFO), not a regular file" in check.stdout
    assert "unexpected" not in check.stderr

    search = peeragogy("--handbook", str(hostile), "search", "zyxwintro", home=private_home)
    assert search.returncode == 0, search.stderr
    assert "Intro" in search.stdout


def test_fifo_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFileError, match="named pipe"):
        finishes(lambda: read_regular_file(fifo))
    handbook = finishes(lambda: load_handbook(_with_intro(tmp_path), cache=False))
    assert [p.message for p in handbook.problems] == ["a named pipe (FIFO), not a regular file; not read"]


def _with_intro(folder: Path) -> Path:
    (folder / "intro.md").write_text("# Intro\n", encoding="utf-8")
    return folder


def test_device_named_markdown_is_not_read(tmp_path: Path) -> None:
    os.symlink("/dev/zero", tmp_path / "zero.md")
    _with_intro(tmp_path)
    with pytest.raises(NotRegularFileError, match="character device"):
        finishes(lambda: read_regular_file(tmp_path / "zero.md"))
    handbook = finishes(lambda: load_handbook(tmp_path, cache=False))
    assert [c.id for c in handbook.chapters] == ["intro"]
    # /dev/zero is outside the folder too: by default it is skipped as a link out, never opened
    assert [entry.path.name for entry in handbook.skipped] == ["zero.md"]


def test_fifo_in_exercises_folder_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(EXERCISE.format(id="good"), encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.md")
    exercises = finishes(lambda: load_exercises(tmp_path))
    assert [e.id for e in exercises.exercises] == ["good"]
    assert [p.path.name for p in exercises.broken] == ["pipe.md"]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("folder", ["/proc/self", "/proc", "/sys", "/dev"])
def test_system_folders_are_refused_quickly(folder: str, private_home: Path) -> None:
    if not Path(folder).is_dir():
        pytest.skip(f"{folder} is not here")
    result = peeragogy("--handbook", folder, "toc", home=private_home)
    assert result.returncode == 2
    assert "system folder" in result.stderr and "Traceback" not in result.stderr
    result = peeragogy("check", "--handbook", folder, home=private_home)
    assert result.returncode == 2 and "system folder" in result.stderr


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_link_into_proc_inside_a_handbook_is_not_walked(tmp_path: Path) -> None:
    _with_intro(tmp_path)
    os.symlink("/proc/self", tmp_path / "proc")
    walk = finishes(lambda: walk_markdown(tmp_path, follow_symlinks=True))
    assert [p.name for p in walk.files] == ["intro.md"]
    assert [(e.path.name, e.kind) for e in walk.skipped] == [("proc", "system")]


def test_check_reports_a_symlink_loop_without_crashing(hostile: Path, private_home: Path) -> None:
    result = peeragogy("check", "--handbook", str(hostile), "--json", home=private_home, cwd=hostile.parent)
    assert result.returncode == 1, result.stderr
    assert "unexpected" not in result.stderr and "RuntimeError" not in result.stderr
    rows = json.loads(result.stdout)
    loops = {row["path"] for row in rows if "loop" in row["message"]}
    assert loops == {"hb/loop-a.md", "hb/loop-b.md"}


def test_check_survives_a_looping_handbook_folder(tmp_path: Path, private_home: Path) -> None:
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    result = peeragogy("check", "--handbook", str(tmp_path / "a"), home=private_home, cwd=tmp_path)
    assert result.returncode == 2
    assert "unexpected" not in result.stderr and "not found" in result.stderr


def test_links_out_of_the_handbook_are_skipped_and_reported(hostile: Path, private_home: Path) -> None:
    handbook = load_handbook(hostile)
    assert "diary" not in handbook.by_id and not any(c.id.startswith("linked") for c in handbook.chapters)
    assert sorted(entry.path.name for entry in handbook.skipped) == ["diary.md", "linked"]

    report = check_content(hostile, None)
    assert sorted(entry.path.name for entry in report.skipped) == ["diary.md", "linked"]

    check = peeragogy("check", "--handbook", str(hostile), home=private_home, cwd=hostile.parent)
    assert "hb/diary.md: skipped: symbolic link to a file outside this folder" in check.stdout
    assert "hb/linked: skipped: symbolic link to a folder outside this folder" in check.stdout
    assert "2 symbolic links out of the folder not followed (--follow-symlinks follows them)" in check.stderr

    toc = peeragogy("--handbook", str(hostile), "toc", home=private_home)
    assert "Diary" not in toc.stdout and "Notes" not in toc.stdout

    for word in ("zyxwdiary", "zyxwnotes"):
        search = peeragogy("--handbook", str(hostile), "search", word, home=private_home)
        assert search.returncode == 0
        assert search.stdout == f"No matches for {word!r}.\n"


def test_follow_symlinks_reads_them(hostile: Path, private_home: Path) -> None:
    toc = peeragogy("--follow-symlinks", "--handbook", str(hostile), "toc", "--json", home=private_home)
    ids = {row["id"] for row in json.loads(toc.stdout)}
    assert {"diary", "notes"} <= ids  # a file outside the folder is named by its file name
    search = peeragogy("--follow-symlinks", "--handbook", str(hostile), "search", "zyxwdiary", home=private_home)
    assert "My private zyxwdiary words" in search.stdout
    # and the next search without the option drops the file from the index again
    search = peeragogy("--handbook", str(hostile), "search", "zyxwdiary", home=private_home)
    assert search.stdout == "No matches for 'zyxwdiary'.\n"


def test_exercise_links_out_of_the_folder_are_skipped(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "elsewhere.md").write_text(EXERCISE.format(id="elsewhere"), encoding="utf-8")
    folder = tmp_path / "exercises"
    folder.mkdir()
    (folder / "good.md").write_text(EXERCISE.format(id="good"), encoding="utf-8")
    os.symlink(outside / "elsewhere.md", folder / "elsewhere.md")
    exercises = load_exercises(folder)
    assert [e.id for e in exercises.exercises] == ["good"]
    assert [entry.path.name for entry in exercises.skipped] == ["elsewhere.md"]
    followed = walk_markdown(folder, recursive=False, follow_symlinks=True)
    assert [p.name for p in followed.files] == ["elsewhere.md", "good.md"]


def test_walk_limits_stop_with_a_clear_message(tmp_path: Path) -> None:
    for number in range(5):
        (tmp_path / f"c{number}.md").write_text("# C\n", encoding="utf-8")
    with pytest.raises(PeeragogyError, match="more than 3 Markdown files"):
        walk_markdown(tmp_path, limits=WalkLimits(markdown_files=3))
    with pytest.raises(PeeragogyError, match=r"more than 4 entries"):
        walk_markdown(tmp_path, limits=WalkLimits(entries=4))
    deep = tmp_path / "d"
    for _ in range(4):
        deep = deep / "d"
    deep.mkdir(parents=True)
    (deep / "x.md").write_text("# X\n", encoding="utf-8")
    with pytest.raises(PeeragogyError, match="more than 3 folders deep") as caught:
        walk_markdown(tmp_path, limits=WalkLimits(depth=3))
    assert caught.value.hint and "--handbook" in caught.value.hint
    assert len(walk_markdown(tmp_path, limits=WalkLimits(depth=5)).files) == 6


def test_directory_links_inside_are_followed_once(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.md").write_text("# X\n", encoding="utf-8")
    os.symlink("a", tmp_path / "b")  # inside: followed, but the folder is walked once
    os.symlink("..", tmp_path / "a" / "up")  # a loop back to the root
    walk = walk_markdown(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in walk.files] == ["a/x.md"]
    assert walk.skipped == []
