"""A hostile data dir: devices, FIFOs and symlinks are refused, never copied, chmod-ed or opened.

Also: every file we create is 0600 even under umask 000, ``--output`` never
makes folders, and the read-only commands work on a read-only data dir.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peeragogy_tui.cli import app
from peeragogy_tui.core.store import DB_NAME, open_store
from peeragogy_tui.errors import PeeragogyError

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _cli(*args: str, home: Path, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    """The real command in a child process, so that a hang is a timeout, not a stuck suite."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PEERAGOGY_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "peeragogy_tui", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _planted(home: Path, name: str, make) -> Path:  # type: ignore[no-untyped-def]
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = home / name
    make(path)
    return path


@pytest.mark.parametrize(
    ("how", "says"),
    [
        ("devzero", "symlink to a character device"),
        ("fifo", "FIFO"),
        ("link-to-fifo", "symlink to a named pipe (FIFO)"),
        ("directory", "directory"),
    ],
)
def test_answers_file_that_is_not_a_regular_file_is_refused_and_never_copied(
    private_home: Path, tmp_path: Path, how: str, says: str
) -> None:
    fifo = tmp_path / "a-fifo"
    os.mkfifo(fifo)
    makers = {
        "devzero": lambda p: p.symlink_to("/dev/zero"),
        "fifo": lambda p: os.mkfifo(p),
        "link-to-fifo": lambda p: p.symlink_to(fifo),
        "directory": lambda p: p.mkdir(),
    }
    path = _planted(private_home, DB_NAME, makers[how])
    for args in (["answers", "list"], ["answers", "export"], ["exercise", "run", "reflect-convening"]):
        done = _cli(*args, home=private_home)
        assert done.returncode == 2, (args, done.stderr)
        assert says in done.stderr and str(path) in done.stderr and "fix:" in done.stderr
        assert "unexpected" not in done.stderr
    assert sorted(p.name for p in private_home.iterdir()) == [DB_NAME], "nothing copied or created"


@pytest.mark.parametrize("companion", ["-wal", "-shm"])
def test_a_symlinked_companion_is_refused_and_its_target_untouched(
    private_home: Path, tmp_path: Path, companion: str
) -> None:
    with open_store() as store:
        store.start_run("x", "X")
        path = store.path
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"someone else's file\n")
    outside.chmod(0o644)
    before = outside.stat()
    (private_home / f"{DB_NAME}{companion}").symlink_to(outside)
    with pytest.raises(PeeragogyError) as caught:
        open_store()
    assert "symlink" in str(caught.value) and companion in str(caught.value)
    after = outside.stat()
    assert stat.S_IMODE(after.st_mode) == 0o644, "never chmod through a symlink"
    assert outside.read_bytes() == b"someone else's file\n" and after.st_mtime_ns == before.st_mtime_ns
    assert path.exists()


def test_a_fifo_as_wal_is_refused_without_blocking(private_home: Path) -> None:
    with open_store() as store:
        store.start_run("x", "X")
    os.mkfifo(private_home / f"{DB_NAME}-wal")
    done = _cli("answers", "list", home=private_home)
    assert done.returncode == 2 and "FIFO" in done.stderr, done.stderr


def test_every_file_we_create_is_private_even_under_umask_000(private_home: Path, tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        with open_store() as store:
            run = store.start_run("x", "X")
            store.save_answer(run, "k", "v", step_index=0, prompt="p")
            store.save_draft(run, "d", "half")
            conn = sqlite3.connect(store.path)  # damage one row: a salvage makes more files
            conn.execute("UPDATE answers SET value_json = '{bad'")
            conn.commit()
            conn.close()
            assert store.find_run(run) is not None and store.db.salvaged
            export = tmp_path / "export.json"
            assert runner.invoke(app, ["answers", "export", "-o", str(export)]).exit_code == 0
            from peeragogy_tui.crash_log import record_crash

            record_crash(RuntimeError("test"))
            made = [p for p in private_home.rglob("*")]
            assert any(p.name.startswith(f"{DB_NAME}.corrupt-") for p in made)
            assert any(p.name.endswith("-wal") for p in made)
            assert (private_home / "crash.log") in made
            for found in [*made, export]:
                expected = 0o700 if found.is_dir() else 0o600
                assert stat.S_IMODE(found.lstat().st_mode) == expected, found
            assert stat.S_IMODE(private_home.stat().st_mode) == 0o700
    finally:
        os.umask(old)


@pytest.mark.parametrize("command", [["answers", "export", "-o"], ["session", "report", "latest", "-o"]])
def test_output_into_a_missing_folder_is_refused(private_home: Path, tmp_path: Path, command: list[str]) -> None:
    from peeragogy_tui.core.exercises import load_exercises
    from peeragogy_tui.core.sessions import open_session_store
    from peeragogy_tui.paths import bundled_exercises_dir

    with open_session_store() as sessions:
        sessions.create(load_exercises(bundled_exercises_dir()).get("knowledge-cafe"), participants=["A", "B"])
    target = tmp_path / "missing" / "dir" / "x.json"
    result = runner.invoke(app, [*command, str(target)])
    assert result.exit_code == 2, result.output
    assert f"the folder {target.parent} does not exist" in result.stderr and "mkdir -p" in result.stderr
    assert not (tmp_path / "missing").exists(), "no folder was made"


def _read_only_bind(folder: Path, command: str) -> subprocess.CompletedProcess[str]:
    """Run ``command`` with ``folder`` mounted read-only (a private mount namespace: root obeys it too)."""
    script = f"mount --bind '{folder}' '{folder}' && mount -o remount,ro,bind '{folder}' '{folder}' && {command}"
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO), "PEERAGOGY_HOME": str(folder)},
    )


def test_read_only_commands_work_on_a_read_only_data_dir(private_home: Path) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed: cannot mount the data dir read-only")
    probe = _read_only_bind(private_home.parent, f"touch '{private_home.parent}/probe'")
    if "Read-only file system" not in probe.stderr:
        pytest.skip(f"no read-only bind mount here (user namespaces off?): {probe.stderr.strip()[:200]}")
    with open_store() as store:
        run = store.start_run("reflect-convening", "Reflect on Convening")
        store.save_answer(run, "step-1", "kept ✓", step_index=0, prompt="First")
        path = store.path
    before = (path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(private_home)))
    python = f"{sys.executable} -m peeragogy_tui"
    for args, expect in (
        ("answers list", "#1  reflect-convening"),
        ("answers show 1", "kept ✓"),
        ("answers export", '"answer": "kept ✓"'),
        ("answers export --format md", "> kept ✓"),
        ("exercises list", "Reflect on Convening"),
    ):
        done = _read_only_bind(private_home, f"{python} {args}")
        assert done.returncode == 0, (args, done.stderr)
        assert expect in done.stdout, (args, done.stdout[-500:])
    after = (path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(private_home)))
    assert after == before, "a read-only command wrote nothing"


def test_read_only_open_never_writes_the_file(private_home: Path) -> None:
    with open_store() as store:
        store.start_run("x", "X")
        path = store.path
    before = (path.read_bytes(), path.stat().st_mtime_ns, stat.S_IMODE(path.stat().st_mode))
    path.chmod(0o640)  # a normal open would make it 0600 again; a read-only one changes nothing
    for args in (["answers", "list"], ["answers", "show", "1"], ["answers", "export"]):
        assert runner.invoke(app, args).exit_code == 0
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before[:2]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
