"""``peeragogy toc`` and ``peeragogy read``: the handbook on stdout."""

from __future__ import annotations

import difflib
import json
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text
from rich.theme import Theme

from peeragogy_tui.cli._output import console as output_console
from peeragogy_tui.cli._common import guarded, print_error, settings_from
from peeragogy_tui.errors import PeeragogyError

if TYPE_CHECKING:
    from peeragogy_tui.core.handbook import Handbook

__all__ = ["register"]


@guarded
def toc(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON list in reading order.")] = False,
) -> None:
    """Print the chapter tree."""
    from peeragogy_tui.core.handbook import walk_tree

    handbook = settings_from(ctx).load_handbook()
    if as_json:
        rows = [
            {
                "id": chapter.id,
                "title": chapter.title,
                "path": str(chapter.path),
                "depth": chapter.depth,
                "lang": chapter.lang,
                "fallback": chapter.fallback,
                "error": str(chapter.problem) if chapter.problem else None,
            }
            for chapter in handbook.chapters
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        _report_unattached(handbook)
        return
    out = output_console()
    for node, depth in walk_tree(handbook.tree):
        line = Text("  " * depth)
        if node.kind == "separator":
            line.append("────", style="dim")
        elif node.kind == "draft":
            line.append(node.title, style="dim")
            line.append("  (draft: no file yet)", style="dim")
        elif node.kind == "external":
            line.append(node.title)
            line.append("  (outside the handbook)", style="dim")
        elif node.chapter is None:
            line.append(node.title, style="bold")
        else:
            line.append(node.title)
            line.append(f"  ({node.chapter.id})", style="dim")
            if node.chapter.problem:
                line.append(f"  ✗ {node.chapter.problem}", style="red")
        out.print(line)
    _report_unattached(handbook)


def _report_unattached(handbook: Handbook) -> None:
    """Problems that belong to no chapter (a pipe named .md, a bad SUMMARY link), on stderr."""
    for problem in handbook.problems:
        if not any(c.problem is problem for c in handbook.chapters):
            print_error(str(problem))


@guarded
def read(
    ctx: typer.Context,
    chapter: Annotated[str, typer.Argument(help="A chapter id, file path or permalink.")],
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="Plain text for screen readers and pipes: links as 'text <target>', no styles, "
            "no drawing characters, no control sequences (the default when stdout is not a terminal).",
        ),
    ] = False,
    width: Annotated[
        int, typer.Option(help="Wrap width; 0 means the terminal's width, or 80 when not on a terminal.", min=0)
    ] = 0,
) -> None:
    """Render one chapter to stdout."""
    from peeragogy_tui.core.render import DEFAULT_ROLES, layout_document, parse_document
    from peeragogy_tui.core.render.layout import make_console
    from peeragogy_tui.core.render.plain import reader_text

    settings = settings_from(ctx)
    handbook = settings.load_handbook()
    found = handbook.find(chapter)
    if found is None and settings.handbook_dir is None:
        handbook = _handbook_of_file(chapter, settings.lang) or handbook
        found = handbook.find(chapter)
    if found is None:
        close = difflib.get_close_matches(chapter, list(handbook.by_id), n=3)
        hint = f"did you mean: {', '.join(close)}?" if close else "run 'peeragogy toc' to list chapters"
        raise PeeragogyError(f"no chapter '{chapter}' in this handbook", path=handbook.root, hint=hint)
    if found.problem:
        print_error(f"{found.problem} (showing what could be read)")
    terminal = sys.stdout.isatty()
    width = width or (shutil.get_terminal_size((80, 24)).columns if terminal else 80)
    document = parse_document(found.body, source=found.path, root=handbook.root)
    if plain or not terminal:
        sys.stdout.write(reader_text(document, width))
        return
    console = make_console(width, DEFAULT_ROLES)
    out = output_console(theme=Theme(DEFAULT_ROLES))
    for line in layout_document(document, width, console).lines:
        out.print(line)
    _report_unattached(handbook)


def _handbook_of_file(reference: str, lang: str | None):  # type: ignore[no-untyped-def]
    """The handbook holding the file ``reference`` (a path from the working directory), if it is one.

    That is the author's ``handbook/`` folder (see ``author_content_dirs``) when
    the file is in it, else the nearest folder above the file with a contents
    file or an mdBook ``book.toml``, else the file's own folder. A file in a
    language folder (``handbook/es/x.md``) is read in that language.
    """
    from peeragogy_tui.core.handbook import load_handbook
    from peeragogy_tui.core.handbook.languages import LANG_DIR
    from peeragogy_tui.paths import author_content_dirs

    path = Path(reference)
    if not path.is_file():
        return None
    file = path.resolve()
    author = author_content_dirs()
    root: Path | None = None
    if author is not None and file.is_relative_to(author[0].resolve()):
        root = author[0].resolve()
    else:
        for folder in file.parents:
            if any((folder / name).is_file() for name in ("SUMMARY.md", "book.toml")):
                root = folder.parent if folder.name == "src" and (folder.parent / "book.toml").is_file() else folder
                break
            if folder == Path.cwd().resolve():
                break
    root = root or file.parent
    if lang is None and file.parent != root:
        first = file.relative_to(root).parts[0]
        if LANG_DIR.match(first) and (root / first).is_dir():
            lang = first
    try:
        return load_handbook(root, lang)
    except PeeragogyError:
        return None


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(toc)
    app.command()(read)
