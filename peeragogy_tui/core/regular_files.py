"""Regular files only: what a non-regular path is, and opening a file without ever blocking on one.

The handbook walker (:mod:`peeragogy_tui.core.handbook.folder_walk`) and the
answer store's file checks (:mod:`peeragogy_tui.core.store.data_files`) both
refuse pipes, sockets, devices and folders where a file should be, and say
what they found in the same words.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["NotRegularFileError", "describe_mode", "open_regular"]

READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
"""Read-only, never blocking on a FIFO swapped in at the last moment, never a controlling tty."""


class NotRegularFileError(OSError):
    """The path is a pipe, socket, device or folder: it is never opened for reading."""

    def __init__(self, path: Path | str, what: str) -> None:
        super().__init__(f"{what}, not a regular file")
        self.path = path
        self.what = what


def describe_mode(mode: int) -> str:
    """``a named pipe (FIFO)``, ``a socket``, ... for a non-regular ``st_mode``."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "a special file"


def open_regular(path: Path | str) -> tuple[int, os.stat_result]:
    """A read-only descriptor for ``path`` and its ``fstat``; the caller closes it.

    ``path`` is ``stat``-ed first (a pipe or device is never opened), opened
    with ``O_NONBLOCK`` and checked again with ``fstat`` (it may have been
    swapped in between).

    Raises:
        NotRegularFileError: it is a pipe, socket, device or folder.
        OSError: it cannot be opened.
    """
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFileError(path, describe_mode(info.st_mode))
    fd = os.open(path, READ_FLAGS)
    try:
        info = os.fstat(fd)
    except BaseException:
        os.close(fd)
        raise
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotRegularFileError(path, describe_mode(info.st_mode))
    return fd, info
