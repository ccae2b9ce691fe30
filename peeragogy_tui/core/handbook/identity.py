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


def _inside_bundled(root: Path) -> bool:
    """``root`` is the bundled handbook or one of its language folders."""
    bundled = bundled_handbook_dir()
    try:
        return os.path.samefile(root, bundled) or os.path.samefile(root.parent, bundled)
    except OSError:
        return False


def handbook_identity(root: Path) -> str:
    """``bundled`` for the handbook that ships with the app (any of its languages), else the resolved path."""
    if _inside_bundled(root):
        return BUNDLED
    try:
        return str(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop: the path as given still names the folder
        return str(root.absolute())


def handbook_key(root: Path, lang: str) -> str:
    """The key for per-handbook state: ``<identity>#<lang>``."""
    return f"{handbook_identity(root)}#{lang}"
