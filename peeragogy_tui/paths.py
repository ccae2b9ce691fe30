"""Every on-disk location in one place.

User data (reading position, answers, search index) lives in one private
directory: ``$PEERAGOGY_HOME`` when set, else the platform's user data dir.
The bundled handbook and exercises ship inside the wheel as
``peeragogy_tui/bundled/``; in a source checkout they sit at the repo root.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from peeragogy_tui.errors import PeeragogyError

__all__ = [
    "DATA_DIR_ENV",
    "author_content_dirs",
    "bundled_exercises_dir",
    "bundled_handbook_dir",
    "data_dir",
    "ensure_data_dir",
    "free_report_paths",
    "write_private_file",
]

DATA_DIR_ENV = "PEERAGOGY_HOME"
"""Environment variable that overrides the data directory (tests set it)."""

_PACKAGE_DIR = Path(__file__).resolve().parent

_override: Path | None = None


def set_data_dir_override(path: Path | None) -> None:
    """Point the data dir somewhere else for this process (``--data-dir``)."""
    global _override
    _override = path


def data_dir() -> Path:
    """The directory for user data; not created here."""
    if _override is not None:
        return _override
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("peeragogy", appauthor=False))


def ensure_data_dir() -> Path:
    """Create the data dir if needed, with mode 0700, and return it."""
    path = data_dir()
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path, 0o700)
    except OSError as error:
        raise PeeragogyError(
            f"cannot create the data directory: {error.strerror}",
            path=path,
            hint=f"check the permissions, or set {DATA_DIR_ENV} to a writable directory",
        ) from None
    return path


def free_report_paths(folder: Path, session_id: int) -> tuple[Path, Path]:
    """``session-N.html`` and ``session-N.md`` in ``folder``, or the first free ``session-N-2`` pair.

    Neither file of the pair exists, so writing them never overwrites an earlier report.
    """
    number = 1
    while True:
        stem = f"session-{session_id}" if number == 1 else f"session-{session_id}-{number}"
        pair = (folder / f"{stem}.html", folder / f"{stem}.md")
        if not any(path.exists() or path.is_symlink() for path in pair):
            return pair
        number += 1


def write_private_file(
    path: Path, data: str | bytes, *, exclusive: bool = False, create_parents: bool = True
) -> None:
    """Write ``data`` atomically with mode 0600: a crash leaves old or new, never half.

    ``exclusive``: never replace an existing file (a :class:`PeeragogyError` says so instead).
    ``create_parents``: make missing folders (0700); when False, a missing folder is an
    error that says so (what a user-chosen ``--output`` wants: a typo never makes folders).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if not path.parent.is_dir():
        if not create_parents:
            raise PeeragogyError(
                f"the folder {path.parent} does not exist",
                path=path,
                hint=f"create it first (mkdir -p '{path.parent}'), or choose another file",
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise PeeragogyError(
                f"cannot create the folder {path.parent}: {error.strerror}",
                path=path,
                hint="check the path and the permissions of the folders above it",
            ) from None
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(temp_name, path)  # fails if the name is taken, even in a race
            os.unlink(temp_name)
        else:
            os.replace(temp_name, path)
    except FileExistsError:
        os.unlink(temp_name)
        raise PeeragogyError(
            "a file of that name already exists; it was left as it is",
            path=path,
            hint="choose another name, or move the old file first",
        ) from None
    except OSError as error:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise PeeragogyError(
            f"cannot save: {error.strerror}",
            path=path,
            hint="free some disk space or check the directory's permissions, then try again",
        ) from None


def _bundled(name: str) -> Path:
    installed = _PACKAGE_DIR / "bundled" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def author_content_dirs(start: Path | None = None) -> tuple[Path, Path] | None:
    """``(handbook, exercises)`` of the content an author is working on, or ``None``.

    The nearest folder, from ``start`` (default: the working directory) up,
    that holds both a ``handbook/`` and an ``exercises/`` folder: a clone of
    this repository, or any project laid out like it.
    """
    try:
        here = (start or Path.cwd()).resolve()
    except OSError:
        return None
    for folder in (here, *here.parents):
        handbook, exercises = folder / "handbook", folder / "exercises"
        if handbook.is_dir() and exercises.is_dir():
            return handbook, exercises
    return None


def bundled_handbook_dir() -> Path:
    """The handbook that ships with the package."""
    return _bundled("handbook")


def bundled_exercises_dir() -> Path:
    """The exercises that ship with the package."""
    return _bundled("exercises")
