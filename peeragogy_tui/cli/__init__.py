"""The ``peeragogy`` command line: a thin Typer layer over :mod:`peeragogy_tui.core`.

Each command group lives in its own module and registers itself here. The
global options (``--handbook``, ``--exercises``, ``--lang``, ``--data-dir``)
may be written after the command too (:mod:`.global_options`).
``peeragogy --help`` never imports textual; only opening the TUI does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from peeragogy_tui import __version__
from peeragogy_tui.cli import (
    _output,
    answers_commands,
    check_command,
    exercise_commands,
    progress_commands,
    reader_commands,
    search_command,
    session_commands,
)
from peeragogy_tui.cli._common import Settings, guarded, settings_from
from peeragogy_tui.cli.global_options import GlobalOptionsGroup

__all__ = ["app", "main"]

app = typer.Typer(
    cls=GlobalOptionsGroup,
    name="peeragogy",
    help="A terminal handbook and exercise runner for peer learning. With no command, opens the reader.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"peeragogy {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
@guarded
def root(
    ctx: typer.Context,
    handbook: Annotated[
        Path | None, typer.Option("--handbook", help="Open this folder of Markdown files instead of the bundled handbook.")
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language code, for handbooks with one folder per language.")] = None,
    exercises: Annotated[
        Path | None, typer.Option("--exercises", help="A folder of exercise files (default: the bundled ones).")
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Keep user data here (default: $PEERAGOGY_HOME or the user data dir).")
    ] = None,
    follow_symlinks: Annotated[
        bool,
        typer.Option(
            "--follow-symlinks",
            help="Read files that symbolic links in the handbook or exercises folder lead to outside it (skipped by default).",
        ),
    ] = False,
    present: Annotated[
        bool,
        typer.Option("--present", help="Open in presenter mode for a shared screen: big text, high contrast, no tree (F5 toggles it)."),
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Open the reader, or run a command."""
    settings = settings_from(ctx)
    settings.handbook_dir = handbook
    settings.lang = lang
    settings.exercises_dir = exercises
    settings.present = present
    from peeragogy_tui.core.handbook.folder_walk import set_follow_symlinks

    set_follow_symlinks(follow_symlinks)  # set every time: in-process runs must not inherit it
    if data_dir is not None:
        from peeragogy_tui.paths import set_data_dir_override

        set_data_dir_override(data_dir)
    if ctx.invoked_subcommand is None:
        _open_tui(settings)
        return
    _output.install()  # every command's output goes through the one choke point
    ctx.call_on_close(_output.uninstall)


def _open_tui(settings: Settings, **options: Any) -> None:
    """Load the handbook and run the app; ``options`` go to ``create_app`` (a session to open, …).

    The app draws the terminal itself, so the command-output filter is taken off first.
    """
    from peeragogy_tui.launch import open_reader

    _output.uninstall()

    options.setdefault("present", settings.present)
    open_reader(settings.handbook_dir, settings.lang, settings.exercises_dir, **options)


reader_commands.register(app)
exercise_commands.register(app)
answers_commands.register(app)
check_command.register(app)
search_command.register(app)
session_commands.register(app)
progress_commands.register(app)


def main() -> None:
    """Entry point of older installs; the ``peeragogy`` script now runs :func:`peeragogy_tui.launch.main`."""
    from peeragogy_tui.launch import main as launch

    launch()
