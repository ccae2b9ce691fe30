"""One exception base for everything a user can act on.

Every error the user may see carries the file, the line (when known), what is
wrong, and what to do about it. The CLI prints it to stderr and exits 2; the
TUI shows it in the reader or a notification. Nobody sees a traceback.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PeeragogyError", "location"]


def location(path: Path | str | None, line: int | None = None) -> str:
    """Format ``path:line`` (or just ``path``) the way compilers do."""
    if path is None:
        return ""
    return f"{path}:{line}" if line else str(path)


class PeeragogyError(Exception):
    """An error with a message a person can act on.

    Args:
        message: What is wrong, in one sentence.
        hint: What to do about it.
        path: The file or directory concerned.
        line: The 1-based line in ``path``, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        path: Path | str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = location(self.path, self.line)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f"\n  fix: {self.hint}"
        return text
