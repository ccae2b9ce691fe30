"""Write a first build's rows from a second Python process, beside the text extraction.

On a first build SQLite's FTS5 work (tokenizing, indexing) takes about as
long as Python's (reading, stripping Markdown), and in one process they take
turns. A thread does not help: SQLite releases the GIL while it works, but
the writing thread must win the GIL back after every row from a thread that
never waits, which costs up to the 5 ms switch interval each time (measured:
no faster than one thread). So :class:`RowWriter` starts a child process
that runs only the standard library's ``sqlite3``, and sends it batches of
``(sql, rows)`` (``marshal``, over a pipe whose size also bounds memory).

When the child cannot start (no usable ``sys.executable``, a frozen app, a
sandbox) the writer falls back to the caller's own connection, so a build
never fails for that reason. A failure after the child started (a full disk)
is raised as ``sqlite3.OperationalError`` with the child's message.
"""

from __future__ import annotations

import marshal
import sqlite3
import subprocess
import sys
from typing import IO, Any

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["RowWriter"]

_READY = b"ready\n"
_CHILD = """
import marshal, sqlite3, sys
try:
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    for pragma in sys.argv[2:]:
        conn.execute("PRAGMA " + pragma)
    conn.execute("BEGIN")
    sys.stdout.buffer.write(b"ready\\n")
    sys.stdout.flush()
    while True:
        try:
            sql, rows = marshal.load(sys.stdin.buffer)
        except EOFError:
            break
        conn.executemany(sql, rows)
    conn.execute("COMMIT")
    conn.close()
except BaseException as error:
    sys.stderr.write(str(error) or type(error).__name__)
    sys.exit(1)
"""
"""The child: connect, apply the pragmas, say it is ready, run every batch, commit at end of input."""


_PIPE_BYTES = 1 << 20


def _widen(child: subprocess.Popen[bytes]) -> None:
    """Let the pipe hold a whole batch or two (Linux), so neither side waits for the other's every step."""
    setter = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setter is None or child.stdin is None:
        return
    try:
        fcntl.fcntl(child.stdin.fileno(), setter, _PIPE_BYTES)
    except OSError:
        pass  # above the system's limit: the default size works too, a little slower


class RowWriter:
    """``executemany`` into a database file, run by a child process when one can be started.

    Use :meth:`start`, then :meth:`executemany` for each batch, then
    :meth:`finish` (which commits) or, on any error, :meth:`abort`.
    While the child writes, ``conn`` must stay idle (no open transaction).
    """

    def __init__(self, conn: sqlite3.Connection, child: subprocess.Popen[bytes] | None) -> None:
        self._conn = conn
        self._child = child
        self._checked = child is None
        self.in_child = child is not None
        """True while the rows go to the child process (False after a fallback)."""

    @classmethod
    def start(cls, conn: sqlite3.Connection, database: str, pragmas: list[str]) -> RowWriter:
        """A writer into ``database`` (the file behind ``conn``), in a child process if possible.

        With ``database=""`` the rows go straight to ``conn``.
        """
        child = None
        if database and sys.executable and not getattr(sys, "frozen", False):
            try:
                child = subprocess.Popen(
                    [sys.executable, "-I", "-S", "-c", _CHILD, database, *pragmas],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
            except OSError:
                child = None
        if child is not None:
            _widen(child)
        writer = cls(conn, child)
        if child is None:
            writer._fall_back()
        return writer

    def _fall_back(self) -> None:
        self.in_child = False
        self._checked = True
        self._conn.execute("BEGIN")

    def _ready(self) -> bool:
        """Wait for the child's first word; fall back to ``conn`` if it never came."""
        self._checked = True
        child = self._child
        assert child is not None and child.stdout is not None
        if child.stdout.readline() == _READY:
            return True
        self._stop()
        self._child = None
        self._fall_back()
        return False

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """Run ``sql`` once per row (in the child, or here after a fallback)."""
        if not self._checked:
            self._ready()
        if self._child is None:
            self._conn.executemany(sql, rows)
            return
        stdin: IO[bytes] | None = self._child.stdin
        assert stdin is not None
        try:
            marshal.dump((sql, rows), stdin)
        except (BrokenPipeError, OSError, ValueError):
            self._raise_failure()

    def finish(self) -> None:
        """Commit every row; raises ``sqlite3.OperationalError`` if the child failed."""
        if not self._checked:
            self._ready()
        child = self._child
        if child is None:
            self._conn.execute("COMMIT")
            return
        try:
            assert child.stdin is not None
            child.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        if child.wait() != 0:
            self._raise_failure()
        self._close_pipes()

    def abort(self) -> None:
        """Stop without committing (the caller throws the file away)."""
        if self._child is not None:
            self._stop()
        elif self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def _stop(self) -> None:
        child = self._child
        assert child is not None
        if child.poll() is None:
            child.kill()
        child.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        child = self._child
        assert child is not None
        for pipe in (child.stdin, child.stdout, child.stderr):
            if pipe is not None:
                try:
                    pipe.close()
                except (BrokenPipeError, OSError):
                    pass

    def _raise_failure(self) -> None:
        child = self._child
        assert child is not None and child.stderr is not None
        try:
            if child.stdin is not None:
                child.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        code = child.wait()
        message = child.stderr.read().decode("utf-8", "replace").strip()
        self._close_pipes()
        raise sqlite3.OperationalError(message or f"the index writer stopped (exit code {code})")
