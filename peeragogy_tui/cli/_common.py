"""What every command shares: settings from global options, and error handling."""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

import typer
from peeragogy_tui.cli._output import console
from rich.text import Text

from peeragogy_tui.errors import PeeragogyError

__all__ = [
    "Settings",
    "exit_code_for",
    "guarded",
    "print_error",
    "print_warning",
    "settings_from",
    "stdin_is_open",
    "stdin_is_terminal",
]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Settings:
    """Global options, set by the root callback and read by commands."""

    handbook_dir: Path | None = None
    lang: str | None = None
    exercises_dir: Path | None = None
    present: bool = False
    """``--present``: open the TUI in presenter mode."""

    def load_handbook(self):  # type: ignore[no-untyped-def]
        """The handbook named by ``--handbook`` (else the bundled one)."""
        from peeragogy_tui.core.handbook import load_handbook
        from peeragogy_tui.paths import bundled_handbook_dir

        return load_handbook(self.handbook_dir or bundled_handbook_dir(), self.lang)


def settings_from(ctx: typer.Context) -> Settings:
    """The :class:`Settings` stored on the root context."""
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


_stderr = console(stderr=True)
"""Soft wrap: never break a message (or a path in it) at 80 columns; the terminal wraps."""


def print_error(error: PeeragogyError | str) -> None:
    """``peeragogy: error: file:line: message`` and the fix, on stderr."""
    from peeragogy_tui.core.sanitize import strip_control

    _stderr.print(Text("peeragogy: error: ", style="bold red") + Text(strip_control(str(error))))


def stdin_is_open() -> bool:
    """False when the process was started with standard input closed (``<&-``)."""
    stream = sys.stdin
    return stream is not None and not stream.closed


def stdin_is_terminal() -> bool:
    """Standard input is open and is a terminal (someone can be asked)."""
    try:
        return stdin_is_open() and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


def print_warning(text: str) -> None:
    """``peeragogy: warning: …`` on stderr (something was repaired or left out; work goes on)."""
    from peeragogy_tui.core.sanitize import strip_control

    _stderr.print(Text("peeragogy: warning: ", style="bold yellow") + Text(strip_control(text)))


def exit_code_for(error: Exception) -> int:
    """Report ``error`` to the user and give the exit code: 2 for errors, 0 for a closed pipe.

    A :class:`PeeragogyError` is printed as is; anything else is unexpected: a
    one-paragraph message that names ``crash.log`` in the data dir, where the
    traceback goes (see :mod:`peeragogy_tui.crash_log`); the error's own text
    is not shown, since it may quote your data.
    """
    if isinstance(error, BrokenPipeError):
        return 0
    if isinstance(error, PeeragogyError):
        print_error(error)
        return 2
    from peeragogy_tui.crash_log import crash_message, record_crash

    print_error(crash_message(error, record_crash(error, where="command line")))
    return 2


def guarded(function: F) -> F:
    """Turn project errors into a message and exit code 2; never show a traceback."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt, SystemExit):
            raise
        except Exception as error:  # noqa: BLE001 - last line of defence
            raise typer.Exit(exit_code_for(error)) from None

    return wrapper  # type: ignore[return-value]
