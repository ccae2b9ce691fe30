"""Walk a content folder and read its files without ever hanging or leaving it.

Every loader (handbook, exercises, search index, language detection) lists
files through :func:`walk_markdown` and reads them through
:func:`read_regular_file`, so one set of rules holds everywhere:

- only regular files are opened: a named pipe, socket or device with a
  ``.md`` name is reported, never opened (opening a FIFO blocks until a writer
  comes; reading ``/dev/zero`` never ends); files are opened with
  ``O_NONBLOCK`` and checked again with ``fstat`` after opening;
- system trees (``/proc``, ``/sys``, ``/dev`` and anything on the same file
  systems) are never walked: a folder there is refused with a clear error;
- symbolic links that lead out of the folder are skipped and reported, unless
  the user asked to follow them (``--follow-symlinks``,
  :func:`set_follow_symlinks`); links inside it are followed, each folder once;
- the walk has limits (Markdown files, directory entries, depth), and says so
  when it reaches one instead of running for minutes.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from peeragogy_tui.core.regular_files import NotRegularFileError, describe_mode, open_regular
from peeragogy_tui.errors import PeeragogyError

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_FILE_BYTES",
    "FolderWalk",
    "NotRegularFileError",
    "SkippedEntry",
    "WalkLimits",
    "follow_symlinks_default",
    "has_markdown",
    "is_probably_markdown",
    "is_system_path",
    "read_regular_file",
    "refuse_system_folder",
    "set_follow_symlinks",
    "walk_markdown",
]

MAX_FILE_BYTES = 64 << 20
"""A Markdown file larger than this (64 MiB) is reported, not read."""

_SYSTEM_TREES = ("/proc", "/sys", "/dev")
_SKIPPED_DIRS = ("node_modules",)


@dataclass(frozen=True)
class WalkLimits:
    """How far a walk may go before it stops with an error."""

    markdown_files: int = 20_000
    entries: int = 200_000
    """Directory entries looked at, of any kind."""
    depth: int = 32
    """Folders below the root."""


DEFAULT_LIMITS = WalkLimits()


@dataclass(frozen=True)
class SkippedEntry:
    """A path the walk did not read, and why.

    ``kind`` is ``"outside"`` for a symbolic link that leads out of the folder
    (a deliberate default: a note, not a problem), ``"not-regular"`` for a pipe,
    socket or device with a Markdown name, ``"system"`` for a folder link into
    ``/proc``-like trees.
    """

    path: Path
    kind: str
    reason: str
    hint: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class FolderWalk:
    """What :func:`walk_markdown` found: the files to read, and what it skipped."""

    files: list[Path] = field(default_factory=list)
    skipped: list[SkippedEntry] = field(default_factory=list)
    by_folder: dict[Path, list[Path]] = field(default_factory=dict)
    """The same files, by the folder they are in (each folder's in walk order): asking each file its parent cost more."""


_follow_symlinks = False


def set_follow_symlinks(follow: bool) -> None:
    """Make every walk in this process follow links out of its folder (``--follow-symlinks``)."""
    global _follow_symlinks
    _follow_symlinks = follow


def follow_symlinks_default() -> bool:
    """Whether walks follow links out of their folder unless told otherwise."""
    return _follow_symlinks


def is_probably_markdown(path: Path | str) -> bool:
    """Files the loaders consider: ``*.md`` / ``*.markdown``, not hidden."""
    name = os.path.basename(path)
    return not name.startswith(".") and name.lower().endswith((".md", ".markdown"))


def _system_devices() -> set[int]:
    """Device numbers of the system trees that are mounts of their own (procfs, sysfs, devtmpfs)."""
    try:
        root_dev = os.stat("/").st_dev
    except OSError:
        return set()
    devices = set()
    for tree in _SYSTEM_TREES:
        try:
            device = os.stat(tree).st_dev
        except OSError:
            continue
        if device != root_dev:
            devices.add(device)
    return devices


_SYSTEM_DEVICES = _system_devices()


def is_system_path(real_path: str, device: int | None = None) -> bool:
    """True for a resolved path in ``/proc``, ``/sys`` or ``/dev``, or on one of their file systems."""
    if any(real_path == tree or real_path.startswith(tree + "/") for tree in _SYSTEM_TREES):
        return True
    return device is not None and device in _SYSTEM_DEVICES


def refuse_system_folder(folder: Path) -> None:
    """Raise when ``folder`` is (or leads into) a system tree such as ``/proc``.

    Raises:
        PeeragogyError: it is one; the message names the real folder.
    """
    real = os.path.realpath(folder)
    try:
        device: int | None = os.stat(real).st_dev
    except OSError:
        device = None
    if is_system_path(real, device):
        shown = "" if real == os.path.abspath(folder) else f" ({real})"
        raise PeeragogyError(
            f"a system folder{shown}, not a folder of Markdown files",
            path=folder,
            hint="point --handbook (or --exercises) at a folder of .md files",
        )


def _inside(real_path: str, real_root: str) -> bool:
    return real_path == real_root or real_path.startswith(real_root.rstrip("/") + "/")


class _Walk:
    """One walk: the rules above, as a generator of Markdown files."""

    def __init__(
        self,
        root: Path,
        *,
        recursive: bool,
        follow_symlinks: bool,
        limits: WalkLimits,
        accept: Callable[[str], bool],
    ) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.recursive = recursive
        self.follow = follow_symlinks
        self.limits = limits
        self.accept = accept
        self.skipped: list[SkippedEntry] = []
        self.entries = 0
        self.files = 0
        self.seen_dirs: set[tuple[int, int]] = set()
        self.by_folder: dict[Path, list[Path]] = {}

    def _limit(self, what: str, limit: int) -> PeeragogyError:
        return PeeragogyError(
            f"stopped reading this folder: more than {limit:,} {what}",
            path=self.root,
            hint="point --handbook (or --exercises) at the handbook's own folder, not a folder above it",
        )

    def _outside(self, path: Path, real: str, what: str) -> None:
        self.skipped.append(
            SkippedEntry(
                path,
                "outside",
                f"symbolic link to {what} outside this folder ({real}); not read",
                "use --follow-symlinks to read it, or move the file into the folder",
            )
        )

    def __iter__(self) -> Iterator[Path]:
        try:
            top = os.stat(self.root)
        except OSError:
            return
        self.seen_dirs.add((top.st_dev, top.st_ino))
        yield from self._directory(self.root, 0)

    def _directory(self, directory: Path, depth: int) -> Iterator[Path]:
        try:
            with os.scandir(directory) as scan:
                entries = []
                for entry in scan:
                    self.entries += 1
                    if self.entries > self.limits.entries:
                        raise self._limit("entries (files and folders)", self.limits.entries)
                    entries.append(entry)
        except OSError:
            return  # an unreadable folder is simply not listed, as os.walk did
        files: list[Path] = []
        folders: list[tuple[Path, os.stat_result]] = []
        for entry in sorted(entries, key=lambda e: e.name):
            is_markdown = self.accept(entry.name)
            wanted_dir = self.recursive and not entry.name.startswith((".", "_")) and entry.name not in _SKIPPED_DIRS
            if not is_markdown and not wanted_dir:
                continue
            try:
                if is_markdown and entry.is_file(follow_symlinks=False):
                    files.append(directory / entry.name)  # the common case, told by the folder listing alone
                    continue
                is_link = entry.is_symlink()
                info = os.stat(entry.path)  # follows links
            except OSError:
                if is_markdown:
                    files.append(directory / entry.name)  # a dangling link or loop: the reader says which
                continue
            path = directory / entry.name
            kind = self._kind(path, info, is_link, is_markdown, wanted_dir)
            if kind == "file":
                files.append(path)
            elif kind == "folder":
                folders.append((path, info))
        if files:
            self.by_folder[directory] = files
        for path in files:
            self.files += 1
            if self.files > self.limits.markdown_files:
                raise self._limit("Markdown files", self.limits.markdown_files)
            yield path
        for path, info in folders:
            key = (info.st_dev, info.st_ino)
            if key in self.seen_dirs:
                continue
            if depth + 1 > self.limits.depth:
                raise self._limit("folders deep", self.limits.depth)
            self.seen_dirs.add(key)
            yield from self._directory(path, depth + 1)

    def _kind(self, path: Path, info: os.stat_result, is_link: bool, is_markdown: bool, wanted_dir: bool) -> str | None:
        """What a link, a folder or an odd file is: ``"file"`` to read, ``"folder"`` to enter, else ``None``.

        Anything not read for a reason the user should know is noted in :attr:`skipped`.
        """
        if stat.S_ISDIR(info.st_mode):
            if not wanted_dir:
                return None
            real = os.path.realpath(path) if is_link else None
            if is_system_path(real or str(path), info.st_dev):
                self.skipped.append(SkippedEntry(path, "system", f"a system folder ({real or path}); not read"))
                return None
            if real is not None and not self.follow and not _inside(real, self.real_root):
                self._outside(path, real, "a folder")
                return None
            return "folder"
        if not is_markdown:
            return None
        if is_link and not self.follow:
            real = os.path.realpath(path)
            if not _inside(real, self.real_root):
                self._outside(path, real, "a file")
                return None
        if not stat.S_ISREG(info.st_mode):
            self.skipped.append(
                SkippedEntry(
                    path,
                    "not-regular",
                    f"{describe_mode(info.st_mode)}, not a regular file; not read",
                    "remove it from the folder, or rename it so it does not end in .md",
                )
            )
            return None
        return "file"


def walk_markdown(
    root: Path,
    *,
    recursive: bool = True,
    follow_symlinks: bool | None = None,
    limits: WalkLimits = DEFAULT_LIMITS,
    accept: Callable[[str], bool] = is_probably_markdown,
) -> FolderWalk:
    """Every Markdown file under ``root`` (files of a folder before its subfolders, by name).

    Hidden folders, folders starting with ``_`` and ``node_modules`` are not
    entered. ``follow_symlinks`` defaults to the process setting
    (:func:`set_follow_symlinks`).

    Raises:
        PeeragogyError: a limit in ``limits`` was reached.
    """
    walk = _Walk(
        root,
        recursive=recursive,
        follow_symlinks=follow_symlinks_default() if follow_symlinks is None else follow_symlinks,
        limits=limits,
        accept=accept,
    )
    files = list(walk)
    return FolderWalk(files, walk.skipped, walk.by_folder)


def has_markdown(folder: Path) -> bool:
    """True when ``folder`` holds at least one Markdown file a walk would read (a bounded look)."""
    try:
        walk = _Walk(
            folder,
            recursive=True,
            follow_symlinks=follow_symlinks_default(),
            limits=DEFAULT_LIMITS,
            accept=is_probably_markdown,
        )
        return next(iter(walk), None) is not None
    except PeeragogyError:
        return False


def read_regular_file(path: Path | str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``, which must be a regular file of at most ``limit`` bytes.

    The path is ``stat``-ed before it is opened (a pipe or device is never
    opened), opened with ``O_NONBLOCK`` and checked again with ``fstat``.

    Raises:
        NotRegularFileError: it is a pipe, socket, device or folder.
        OSError: it cannot be read, or (``EFBIG``) it is larger than ``limit``.
    """
    fd, info = open_regular(path)
    try:
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"larger than {limit >> 20} MiB", str(path))
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise OSError(errno.EFBIG, f"larger than {limit >> 20} MiB", str(path))
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
