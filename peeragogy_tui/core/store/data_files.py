"""The answers file and its companions on disk: only regular files, always 0600, never through a link.

Someone (or something) may plant a FIFO, a device or a symlink in the data
dir. Opening a FIFO blocks forever, copying ``/dev/zero`` fills the disk, and
``chmod`` follows symlinks to files outside the dir. So:

* :func:`check_store_files` refuses, before SQLite sees them, an
  ``answers.sqlite3`` that is (or links to) anything but a regular file, and a
  ``-wal`` or ``-shm`` that is a symlink or not a regular file;
* :func:`make_private` changes modes through an ``O_PATH | O_NOFOLLOW``
  descriptor, so a symlink is never followed (and SQLite's locks are kept);
* :func:`create_private` and :func:`copy_private` create files 0600 from the
  first byte (``O_EXCL | O_NOFOLLOW``) and read only regular files, opened with
  ``O_NONBLOCK`` so a FIFO swapped in at the last moment cannot block.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from peeragogy_tui.core.regular_files import describe_mode, open_regular
from peeragogy_tui.errors import PeeragogyError

__all__ = [
    "COMPANIONS",
    "check_store_files",
    "companions",
    "copy_private",
    "create_private",
    "make_private",
]

COMPANIONS = ("-wal", "-shm")
"""The files SQLite keeps next to a WAL database."""
_CHUNK = 1 << 20


def companions(path: Path) -> list[Path]:
    """``path-wal`` and ``path-shm``."""
    return [path.with_name(path.name + suffix) for suffix in COMPANIONS]


def _refuse(path: Path, what: str) -> PeeragogyError:
    return PeeragogyError(
        f"{what}, not an answers database file; peeragogy will not open or copy it",
        path=path,
        hint=f"remove it (rm '{path}') or set PEERAGOGY_HOME to another folder; "
        "peeragogy then starts a new answer store",
    )


def check_store_files(path: Path) -> bool:
    """Refuse a store whose file or companions are not plain files; True if ``path`` exists.

    ``path`` itself may be a symlink to a regular file (a user's choice);
    ``-wal`` and ``-shm`` may not be symlinks at all, since SQLite would write
    through them.

    Raises:
        PeeragogyError: one of the three is a FIFO, device, socket, directory or bad link.
    """
    try:
        own = os.lstat(path)
    except FileNotFoundError:
        own = None
    except OSError as error:
        raise PeeragogyError(
            f"cannot look at the answers database: {error.strerror}", path=path
        ) from None
    if own is not None:
        if stat.S_ISLNK(own.st_mode):
            try:
                target = os.stat(path)
            except OSError:
                raise _refuse(path, f"is a symlink to a missing file ({os.readlink(path)})") from None
            if not stat.S_ISREG(target.st_mode):
                raise _refuse(path, f"is a symlink to {describe_mode(target.st_mode)} ({os.readlink(path)})")
        elif not stat.S_ISREG(own.st_mode):
            raise _refuse(path, f"is {describe_mode(own.st_mode)}")
    for companion in companions(path):
        try:
            found = os.lstat(companion)
        except FileNotFoundError:
            continue
        except OSError as error:
            raise PeeragogyError(f"cannot look at it: {error.strerror}", path=companion) from None
        if stat.S_ISLNK(found.st_mode):
            raise _refuse(companion, "is a symlink (SQLite would write through it)")
        if not stat.S_ISREG(found.st_mode):
            raise _refuse(companion, f"is {describe_mode(found.st_mode)}")
    return own is not None


def make_private(path: Path) -> None:
    """Set mode 0600 on ``path`` if it is a regular file; never follows a symlink (best effort).

    The file is reached through an ``O_PATH | O_NOFOLLOW`` descriptor: closing
    a normal descriptor would drop every POSIX lock this process holds on the
    file, SQLite's included (another process could then think it is alone and
    reset the shared-memory index under us). Closing an ``O_PATH`` one does not.
    """
    try:
        fd = os.open(path, os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return  # missing or unreachable: leave it alone
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or stat.S_IMODE(info.st_mode) == 0o600:
            return  # a symlink (O_NOFOLLOW gives the link itself), a FIFO, …: never chmod it
        try:
            os.chmod(f"/proc/self/fd/{fd}", 0o600)  # this very inode, not whatever the name is now
        except FileNotFoundError:  # no /proc: fall back to the name, if it is still this file
            now = os.lstat(path)
            if (now.st_dev, now.st_ino) == (info.st_dev, info.st_ino) and stat.S_ISREG(now.st_mode):
                os.chmod(path, 0o600)
    except OSError:
        pass
    finally:
        os.close(fd)


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 (no-op if it exists as a regular file).

    Raises:
        OSError: it cannot be created, or a symlink sits there.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def copy_private(source: Path, target: Path) -> None:
    """Copy the regular file ``source`` to a new file ``target`` created 0600.

    Raises:
        OSError: ``target`` exists, ``source`` is not a regular file, or I/O failed.
    """
    src, _info = open_regular(source)
    try:
        dst = os.open(
            target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600
        )
        try:
            os.fchmod(dst, 0o600)
            while chunk := os.read(src, _CHUNK):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(dst, view) :]
            os.fsync(dst)
        except BaseException:
            os.close(dst)
            dst = -1
            try:
                os.unlink(target)
            except OSError:
                pass
            raise
        finally:
            if dst >= 0:
                os.close(dst)
    finally:
        os.close(src)
