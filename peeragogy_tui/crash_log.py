"""Where unexpected errors go: ``crash.log`` in the data dir (0600), never the screen.

A traceback names files and lines; Textual's own handler also prints every
local variable, which can be a row of your answers. So every front end (the
TUI, the CLI, the bare ``peeragogy`` launcher) hands an unexpected exception
to :func:`record_crash`, which appends the traceback, without locals, to
``crash.log``, and shows the user :func:`crash_message`: one paragraph that
names the log and says nothing from inside the program. The log keeps about
its last 256 KB.
"""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["CRASH_LOG", "crash_message", "record_crash"]

CRASH_LOG = "crash.log"
_KEEP_BYTES = 256 * 1024


def _append_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        size = os.fstat(fd).st_size
        if size > _KEEP_BYTES:  # keep the newest half, then append
            with open(path, "rb") as handle:
                handle.seek(size - _KEEP_BYTES // 2)
                tail = handle.read()
            os.ftruncate(fd, 0)
            os.write(fd, b"[older entries removed]\n" + tail)
        payload = text.encode("utf-8", "backslashreplace")
        while payload:
            payload = payload[os.write(fd, payload) :]
    finally:
        os.close(fd)


def record_crash(error: BaseException, *, where: str = "") -> Path | None:
    """Append ``error``'s traceback (no locals) to ``crash.log``; its path, or None if it cannot be written."""
    try:
        from peeragogy_tui import __version__
        from peeragogy_tui.paths import ensure_data_dir

        path = ensure_data_dir() / CRASH_LOG
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        header = f"=== {stamp} peeragogy {__version__}{f' ({where})' if where else ''}\n"
        _append_private(path, header + "".join(traceback.format_exception(error)) + "\n")
        return path
    except Exception:  # noqa: BLE001 - the log is best effort; the message still goes out
        return None


def crash_message(error: BaseException, log: Path | None) -> str:
    """One paragraph for the user: what kind of failure, and where the details are.

    Only the exception's type is named: its text may quote your data.
    """
    where = (
        f"The details are in {log} (private to you, 0600); please attach it to a bug report."
        if log
        else "The details could not be written to crash.log (is the data dir writable?)."
    )
    return (
        f"unexpected error ({type(error).__name__}); peeragogy stopped. "
        f"Everything saved before it is safe. {where}"
    )
