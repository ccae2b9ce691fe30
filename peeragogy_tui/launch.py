"""The ``peeragogy`` entry point: with no arguments it opens the reader without loading the CLI.

Opening the reader is what ``peeragogy`` is run for most, and then the
command-line layer only costs start-up time: Typer, every command module, and
(because Typer 0.29 coerces option values with a pydantic ``TypeAdapter``)
pydantic, which alone took longer to import than the rest of start-up after
Textual. So ``peeragogy`` alone goes straight to :func:`open_reader`; with any
argument, the Typer app in :mod:`peeragogy_tui.cli` runs, and its root callback
calls the same function. This module imports neither Typer nor Textual itself.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

__all__ = ["main", "open_reader"]


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

    from peeragogy_tui.core.handbook import load_handbook
    from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir

    handbook = load_handbook(handbook_dir or bundled_handbook_dir(), lang)
    if exercises_dir is None and handbook_dir is None:
        exercises_dir = bundled_exercises_dir()
    from peeragogy_tui.tui.app import create_app

    create_app(handbook, exercises_dir=exercises_dir, **options).run()


def main() -> None:
    """Console-script entry point: ``peeragogy`` alone opens the reader, anything else is a command.

    Errors are reported as the CLI reports them (its error module is loaded only
    then): ``peeragogy: error: …`` on stderr and exit code 2, never a traceback.
    """
    if len(sys.argv) > 1:
        from peeragogy_tui.cli import app

        app()
        return
    try:
        open_reader(present=False)
    except KeyboardInterrupt:
        print("Aborted!", file=sys.stderr)  # what Typer (click) says
        raise SystemExit(1) from None
    except Exception as error:  # noqa: BLE001 - reported like every CLI error
        from peeragogy_tui.cli._common import exit_code_for

        raise SystemExit(exit_code_for(error)) from None
