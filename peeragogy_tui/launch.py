"""The ``peeragogy`` entry point: with no arguments it opens the reader without loading the CLI.

Opening the reader is what ``peeragogy`` is run for most, and then the
command-line layer only costs start-up time: Typer, every command module, and
(because Typer 0.29 coerces option values with a pydantic ``TypeAdapter``)
pydantic, which alone took longer to import than the rest of start-up after
Textual. So ``peeragogy`` alone, or with nothing but the reader's own options
(``--handbook DIR``, ``--lang X``, ``--exercises DIR``, ``--data-dir D``,
``--present``; see :func:`reader_options`), goes straight to :func:`open_reader`.
Anything else (a command, ``--help``, ``--version``, an option it does not know)
runs the Typer app in :mod:`peeragogy_tui.cli`, whose root callback calls the
same function. This module imports neither Typer nor Textual itself.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

__all__ = ["READ_INSTEAD", "SESSION_INSTEAD", "main", "open_reader", "reader_options", "require_terminal", "stdio_is_terminal"]

_VALUE_OPTIONS = {"--handbook": "handbook_dir", "--lang": "lang", "--exercises": "exercises_dir", "--data-dir": "data_dir"}
"""The root options that take a value, as the CLI's root callback declares them."""
_FLAG_OPTIONS = {"--present": "present"}


def reader_options(args: list[str]) -> dict[str, Any] | None:
    """The reader's options if ``args`` hold nothing else, as the CLI would read them; else ``None``.

    ``--opt VALUE`` and ``--opt=VALUE`` both work and the last one wins, as in
    Click. Anything this does not fully understand (a command, ``--help``, a
    missing or dash-led value, an unknown option) is ``None``: the full CLI
    then parses it and reports any error itself.
    """
    options: dict[str, Any] = {"present": False}
    index = 0
    while index < len(args):
        word = args[index]
        name, equals, value = word.partition("=")
        if name in _FLAG_OPTIONS and not equals:
            options[_FLAG_OPTIONS[name]] = True
            index += 1
            continue
        if name not in _VALUE_OPTIONS:
            return None
        if not equals:
            if index + 1 >= len(args) or args[index + 1].startswith("-"):
                return None
            value = args[index + 1]
            index += 1
        index += 1
        key = _VALUE_OPTIONS[name]
        options[key] = value if key == "lang" else Path(value)
    return options


def stdio_is_terminal() -> tuple[bool, bool]:
    """``(stdin is a terminal, stdout is a terminal)``; a closed or missing stream is not one.

    Tests that start the app in-process through :func:`open_reader` replace this
    (the ``pretend_terminal`` fixture).
    """

    def is_tty(stream: Any) -> bool:
        try:
            return stream is not None and bool(stream.isatty())
        except (ValueError, OSError):  # closed
            return False

    return is_tty(sys.stdin), is_tty(sys.stdout)


READ_INSTEAD = (
    "in a pipe or a script, print a chapter with 'peeragogy read --plain CHAPTER' (ids: 'peeragogy toc'), "
    "search with 'peeragogy search WORDS', or answer an exercise with 'peeragogy exercise run ID'"
)
"""What to run instead of the full-screen app when there is no terminal."""
SESSION_INSTEAD = "in a pipe or a script, 'peeragogy session list' and 'peeragogy session report SESSION' work"
"""The same for a group session's window."""


def require_terminal(what: str = "the reader", instead: str = READ_INSTEAD) -> None:
    """Refuse to start a full-screen app unless standard input and output are both terminals.

    Without one, Textual would draw into the pipe and spin waiting for keys
    that never come; this says what to run instead, before anything is loaded.

    Raises:
        PeeragogyError: stdin or stdout is a pipe, a file, or closed.
    """
    stdin_ok, stdout_ok = stdio_is_terminal()
    if stdin_ok and stdout_ok:
        return
    from peeragogy_tui.errors import PeeragogyError

    which = "input and output are not terminals" if not (stdin_ok or stdout_ok) else (
        "output is not a terminal" if stdin_ok else "input is not a terminal"
    )
    raise PeeragogyError(
        f"{what} needs a terminal, but its {which} (a pipe, a file, or closed)",
        hint=f"run it in a terminal; {instead}",
    )


def open_reader(
    handbook_dir: Path | None = None,
    lang: str | None = None,
    exercises_dir: Path | None = None,
    **options: Any,
) -> None:
    """Load the handbook (default: the bundled one, with its exercises) and run the app.

    ``options`` go to :func:`~peeragogy_tui.tui.app.create_app` (``present``, a session to open, …).

    Raises:
        PeeragogyError: there is no terminal (see :func:`require_terminal`), or the handbook
            cannot be loaded.
    """
    if options.get("session") is not None:
        require_terminal("the session window", SESSION_INSTEAD)
    else:
        require_terminal()
    import gc

    # Start-up allocates a lot and frees little: no collections until the app's first frame
    # (it re-enables GC then). First thing, so that the imports below run without it too.
    gc.disable()

    from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir

    from peeragogy_tui.core.handbook.watch import HandbookSource

    source = HandbookSource(handbook_dir or bundled_handbook_dir(), lang)
    # The tree as it was last time, shown at once; the app loads the real one after its first frame.
    # No snapshot: a large handbook's first folders only, when nothing names a chapter to open and the
    # app will load the rest (it does so where it checks a snapshot).
    quick = options.get("start") is None and options.get("live_reload", source) is source
    handbook = source.load_snapshot() or (source.load_provisional() if quick else None) or source.load()
    if exercises_dir is None and handbook_dir is None:
        exercises_dir = bundled_exercises_dir()
    from peeragogy_tui.tui.app import create_app

    options.setdefault("live_reload", source)  # edits in the handbook folder show while the app is open
    app = create_app(handbook, exercises_dir=exercises_dir, **options)
    app.run()
    if app.return_code:  # an unexpected error: the app wrote crash.log and said so
        raise SystemExit(app.return_code)


def main() -> None:
    """Console-script entry point: the reader and its options open the reader; anything else is the CLI.

    Errors are reported as the CLI reports them (its error module is loaded only
    then): ``peeragogy: error: …`` on stderr and exit code 2, never a traceback.
    """
    options = reader_options(sys.argv[1:])
    if options is None:
        from peeragogy_tui.cli import app

        app()
        return
    try:
        data_dir = options.pop("data_dir", None)
        if data_dir is not None:
            from peeragogy_tui.paths import set_data_dir_override

            set_data_dir_override(data_dir)
        open_reader(**options)
    except KeyboardInterrupt:
        print("Aborted!", file=sys.stderr)  # what Typer (click) says
        raise SystemExit(1) from None
    except Exception as error:  # noqa: BLE001 - reported like every CLI error
        from peeragogy_tui.cli._common import exit_code_for

        raise SystemExit(exit_code_for(error)) from None
