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

__all__ = ["main", "open_reader", "reader_options"]

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


def open_reader(
    handbook_dir: Path | None = None,
    lang: str | None = None,
    exercises_dir: Path | None = None,
    **options: Any,
) -> None:
    """Load the handbook (default: the bundled one, with its exercises) and run the app.

    ``options`` go to :func:`~peeragogy_tui.tui.app.create_app` (``present``, a session to open, …).

    Raises:
        PeeragogyError: the handbook cannot be loaded.
    """
    import gc

    # Start-up allocates a lot and frees little: no collections until the app's first frame
    # (it re-enables GC then). First thing, so that the imports below run without it too.
    gc.disable()

    from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir

    from peeragogy_tui.core.handbook.watch import HandbookSource

    source = HandbookSource(handbook_dir or bundled_handbook_dir(), lang)
    handbook = source.load()
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
