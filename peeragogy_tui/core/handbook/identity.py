"""A handbook's identity: the same book keeps the same key across installs.

The bundled handbook lives in site-packages, whose path changes with every
virtualenv and upgrade, so it is keyed ``bundled``; any other folder is keyed
by its resolved path. Bookmarks, reading progress and the reading position are
stored under ``<identity>#<lang>``.
"""

from __future__ import annotations

import os
from pathlib import Path

from peeragogy_tui.paths import bundled_handbook_dir

__all__ = ["BUNDLED", "handbook_identity", "handbook_key"]

BUNDLED = "bundled"


def _same_folder(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def handbook_identity(root: Path) -> str:
    """``bundled`` for the handbook that ships with the app, else the folder's resolved path."""
    if _same_folder(root, bundled_handbook_dir()):
        return BUNDLED
    try:
        return str(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop: the path as given still names the folder
        return str(root.absolute())


def handbook_key(root: Path, lang: str) -> str:
    """The key for per-handbook state: ``<identity>#<lang>``."""
    return f"{handbook_identity(root)}#{lang}"
