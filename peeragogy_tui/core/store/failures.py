"""What can go wrong with the answers file, as errors a person can act on.

SQLite and the OS report failures as codes and terse strings; these helpers
sort them (busy, damaged, read-only, full, missing) and turn each into a
:class:`~peeragogy_tui.errors.PeeragogyError` that names the file and the fix.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from peeragogy_tui.errors import PeeragogyError

__all__ = ["CorruptStoreError", "is_busy", "is_corrupt", "storage_error"]


class CorruptStoreError(PeeragogyError):
    """The file is not an answer store, or is damaged and could not be repaired; it is left untouched."""


def is_busy(error: sqlite3.Error) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: another connection holds the lock."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    text = str(error).lower()
    return "locked" in text or "busy" in text


def is_corrupt(error: sqlite3.Error) -> bool:
    """SQLITE_CORRUPT or SQLITE_NOTADB: the file's pages cannot be trusted."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return True
    text = str(error).lower()
    return "not a database" in text or "malformed" in text


def storage_error(error: BaseException, path: Path) -> PeeragogyError:
    """A user-facing error for an OS or SQLite failure while using ``path``."""
    if isinstance(error, PeeragogyError):
        return error
    text = str(error).lower()
    folder = path.parent
    if isinstance(error, sqlite3.Error) and is_busy(error):
        return PeeragogyError(
            "the answers database stayed busy (another peeragogy process is writing)",
            path=path,
            hint="wait a moment and try again; close other peeragogy windows if it persists",
        )
    if "readonly" in text or "read-only" in text or "permission denied" in text:
        return PeeragogyError(
            "cannot write the answers database: it or its folder is read-only",
            path=path,
            hint=f"run: chmod u+w '{folder}' '{path}'  (or set PEERAGOGY_HOME to a writable folder)",
        )
    if "full" in text or "no space" in text:
        return PeeragogyError(
            "cannot save answers: the disk is full",
            path=path,
            hint="free some disk space, then try again; nothing saved earlier was lost",
        )
    if "disk i/o" in text or "unable to open" in text or isinstance(error, OSError):
        return PeeragogyError(
            f"cannot use the answers database: {getattr(error, 'strerror', None) or error}",
            path=path,
            hint=f"check that '{folder}' exists, is writable and has free space (or set PEERAGOGY_HOME)",
        )
    return PeeragogyError(
        f"answers database error: {error}", path=path, hint="try again; report it if it persists"
    )
