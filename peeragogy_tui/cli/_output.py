"""The one choke point between the command line and the terminal.

Every command's stdout and stderr go through a :class:`SafeStream` (installed
by :func:`safe_output` around the whole CLI, and by the root callback for
in-process runs), which writes every control character (ESC, C1 controls, BEL,
backspace, CR, bidi overrides; not newline or tab) as its ``\\uXXXX`` escape
(:func:`~peeragogy_tui.core.sanitize.escape_control`). So a file named
``a-\\e]2;PWNED\\e\\\\.md`` can never set the window title, whichever command
prints it, and a control character inside ``--json`` output becomes a JSON
escape that decodes back to the original.

Our own styling survives on a terminal: a write to a terminal may carry SGR
sequences (``ESC [ … m``: colours and bold, which set no title or clipboard),
and Rich consoles made by :func:`console` escape the text of every segment
before styling it, so untrusted text cannot carry even those.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from rich.console import Console, ConsoleOptions, RenderableType, RenderHook, RenderResult
from rich.measure import Measurement
from rich.segment import Segment

from peeragogy_tui.core.sanitize import escape_control, has_control

__all__ = ["SafeStream", "console", "install", "safe_output", "uninstall"]

_SGR = re.compile(r"(\x1b\[[0-9;:]*m)")


class SafeStream:
    """A text stream that escapes control characters in everything written to it."""

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        if not isinstance(text, str) or not has_control(text):
            return self.raw.write(text)
        if self._is_terminal():
            parts = _SGR.split(text)  # odd indexes are SGR sequences: kept
            safe = "".join(part if index % 2 else escape_control(part) for index, part in enumerate(parts))
        else:
            safe = escape_control(text)
        self.raw.write(safe)
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def _is_terminal(self) -> bool:
        try:
            return bool(self.raw.isatty())
        except (ValueError, OSError):
            return False

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, buffer, ...
        return getattr(self.raw, name)


def install() -> None:
    """Route ``sys.stdout`` and ``sys.stderr`` through :class:`SafeStream` (idempotent)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, SafeStream):
            setattr(sys, name, SafeStream(stream))


def uninstall() -> None:
    """Undo :func:`install` (for the streams it wrapped and nobody replaced since)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, SafeStream):
            setattr(sys, name, stream.raw)


@contextmanager
def safe_output() -> Iterator[None]:
    """Everything written to stdout/stderr inside the block goes through :class:`SafeStream`."""
    wrapped = not isinstance(sys.stdout, SafeStream)
    install()
    try:
        yield
    finally:
        if wrapped:
            uninstall()


class _Escaped:
    """A renderable whose text segments have their control characters escaped."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            if segment.control or not has_control(segment.text):
                yield segment
            else:
                yield Segment(escape_control(segment.text), segment.style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)


class _EscapeHook(RenderHook):
    def process_renderables(self, renderables: list[RenderableType]) -> list[RenderableType]:
        return [_Escaped(renderable) for renderable in renderables]


def console(*, stderr: bool = False, **options: Any) -> Console:
    """A Rich console for command output: no markup, no highlighting, control characters escaped."""
    settings: dict[str, Any] = {"highlight": False, "markup": False, "emoji": False, "soft_wrap": True}
    settings.update(options)
    made = Console(stderr=stderr, **settings)
    made.push_render_hook(_EscapeHook())
    return made
