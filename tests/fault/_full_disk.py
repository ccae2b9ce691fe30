"""Ways to make the answers file meet a full disk, for the fault tests.

* :func:`cap_database` uses SQLite's own limit (``PRAGMA max_page_count``) on
  the app's connection: a write that needs one more page fails with
  SQLITE_FULL ("database or disk is full"), exactly as on a full disk.
* :func:`tiny_filesystem` mounts a 2 MiB tmpfs and fills it with a file, for
  a real ENOSPC; it skips (with the reason) where mounting is not allowed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from peeragogy_tui.core.store import AnswerStore

BIG = 6_000
"""Characters in an answer that cannot fit in the free space of existing pages (a page is 4 KiB)."""


def cap_database(store: AnswerStore) -> None:
    """From now on, ``store`` cannot grow by a single page."""
    conn = store.db.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0, "free pages would let it grow"
    conn.execute(f"PRAGMA max_page_count = {pages}")


def uncap_database(store: AnswerStore) -> None:
    """Space was freed."""
    store.db.conn.execute("PRAGMA max_page_count = 1073741823")


def _fill(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65_536, 4_096, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)


class TinyFilesystem:
    """A small tmpfs: :meth:`fill` uses up every byte, :meth:`free` gives it back."""

    def __init__(self, mount: Path) -> None:
        self.mount = mount
        self.filler = mount / "filler"

    def fill(self) -> None:
        _fill(self.filler)
        assert os.statvfs(self.mount).f_bavail == 0

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)


@contextlib.contextmanager
def tiny_filesystem(tmp_path: Path) -> Iterator[TinyFilesystem]:
    """Mount a 2 MiB tmpfs at ``tmp_path / "tiny"`` (skips where that is not allowed)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("a real full disk needs root to mount a tmpfs; the SQLite-limit tests cover the rest")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); the SQLite-limit tests cover the rest")
    try:
        yield TinyFilesystem(mount)
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
