"""Helpers the answer-related commands share: opening the store, dates, exercise folders."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from peeragogy_tui.cli._common import print_warning, settings_from

if TYPE_CHECKING:
    from peeragogy_tui.core.store import AnswerStore
    from peeragogy_tui.core.store.base import StoreBase

__all__ = ["exercises_dir_for", "existing_store", "report_repairs", "short_date", "status_label"]

S = TypeVar("S", bound="StoreBase")


def report_repairs(store: S) -> S:
    """Print on stderr, as a warning, every repair of a damaged answers file (now and later)."""
    store.db.on_salvage = lambda report: print_warning(report.message())
    return store


def existing_store(*, read_only: bool = False) -> AnswerStore | None:
    """The answer store if its file exists, else ``None`` (reading never creates it).

    ``read_only`` (list, show, export): open with ``mode=ro``, so the command
    works on a read-only data dir and never writes; a file whose schema is
    older is opened normally once, to be migrated.
    """
    from peeragogy_tui.core.store import DB_NAME, open_store
    from peeragogy_tui.paths import data_dir

    path = data_dir() / DB_NAME
    if not os.path.lexists(path):
        return None
    store = open_store(path, read_only=read_only)
    if read_only and not store.db.schema_current:
        store.close()
        store = open_store(path)
    return report_repairs(store)


def exercises_dir_for(ctx: typer.Context, option: Path | None) -> Path:
    """``--exercises`` if given, else the global setting, else the bundled exercises."""
    from peeragogy_tui.paths import bundled_exercises_dir

    return option or settings_from(ctx).exercises_dir or bundled_exercises_dir()


def status_label(status: str | None) -> str:
    """``in_progress`` -> ``in progress``; ``None`` -> ``new``."""
    return (status or "new").replace("_", " ")


def short_date(iso: str | None) -> str:
    """``2024-05-01T12:34:56+00:00`` -> ``2024-05-01 12:34``."""
    if not iso:
        return "-"
    return iso[:16].replace("T", " ")
