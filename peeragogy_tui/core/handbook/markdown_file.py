"""Read one Markdown file with YAML frontmatter, safely.

Frontmatter is split with python-frontmatter's YAML boundary rule and loaded
with a safe (C-accelerated where available) YAML loader. Everything that can
be wrong with a file on disk becomes a :class:`FileProblem` naming the file,
the line and the fix, and the loader keeps going: a broken file is shown as
broken, never dropped and never fatal.

Simple frontmatter (``key: value`` lines, lists of words) is read without
YAML by :mod:`peeragogy_tui.core.handbook.quick_frontmatter`, with the values
YAML would give; YAML is imported only for a block outside that shape, and
with the frontmatter cache (:mod:`peeragogy_tui.core.handbook.frontmatter_cache`)
not even then for an unchanged handbook.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from peeragogy_tui.core.handbook.folder_walk import (
    NotRegularFileError,
    is_probably_markdown,
    read_regular_file,
)
from peeragogy_tui.core.handbook.quick_frontmatter import quick_meta

__all__ = [
    "FM_BOUNDARY",
    "FileProblem",
    "Frontmatter",
    "is_probably_markdown",
    "MarkdownFile",
    "ParseFrontmatter",
    "parse_frontmatter",
    "parse_markdown_text",
    "parse_yaml_frontmatter",
    "read_markdown_file",
    "resolve_path",
]

FM_BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)
"""python-frontmatter's ``YAMLHandler.FM_BOUNDARY`` (a test keeps them equal), without importing it."""
_BINARY_SNIFF = 8192
_OPENED_AT = ("while scanning a quoted scalar", "while parsing a flow", "while scanning a simple key")


@dataclass(frozen=True)
class FileProblem:
    """What is wrong with a file, where, and what to do about it."""

    path: Path
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


@dataclass
class MarkdownFile:
    """A file's frontmatter, its body, and the first problem found in it."""

    path: Path
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    """The 1-based line of the file on which ``body`` starts."""
    problem: FileProblem | None = None


@dataclass(frozen=True)
class Frontmatter:
    """What a frontmatter block parses to: its mapping, or what is wrong with it.

    Depends only on the block's text (``line`` counts from the top of the file,
    whose first line is the opening ``---``), so it can be cached by that text.
    """

    meta: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
    message: str = ""
    hint: str = ""

    @property
    def ok(self) -> bool:
        """True when the block is a usable mapping (or empty)."""
        return not self.message


ParseFrontmatter = Callable[[str, int], Frontmatter]
"""``(block text, index of the closing line) -> Frontmatter``: :func:`parse_frontmatter` or a cache of it."""


def _has_shared_nodes(value: Any) -> bool:
    """True if a YAML alias made two places share one container (alias bombs do)."""
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (dict, list)):
            if id(item) in seen:
                return True
            seen.add(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)
    return False


def read_markdown_file(path: Path, parse_front: ParseFrontmatter | None = None) -> MarkdownFile:
    """Read ``path``; never raises for a bad file, reports a problem instead.

    ``parse_front`` parses the frontmatter block (default :func:`parse_frontmatter`).
    """
    try:
        raw = read_regular_file(path)
    except NotRegularFileError as error:
        message, hint = f"{error.what}, not a regular file; not read", "remove it, or rename it so it does not end in .md"
        return MarkdownFile(path, problem=FileProblem(path, None, message, hint))
    except OSError as error:
        if error.errno == errno.EFBIG:
            message, hint = f"file too large ({error.strerror})", "split it into smaller chapters"
        elif error.errno == errno.ELOOP:
            message, hint = "symbolic link loop", "point the link at a real file or remove it"
        elif error.errno in (errno.EACCES, errno.EPERM):
            message, hint = "permission denied", f"run: chmod u+r '{path}'"
        elif error.errno == errno.EISDIR:
            message, hint = "is a directory, not a file", "rename it so it does not end in .md"
        else:
            message = f"cannot read file: {error.strerror or error}"
            hint = "check that the file exists and is readable"
        return MarkdownFile(path, problem=FileProblem(path, None, message, hint))
    return parse_markdown_bytes(path, raw, parse_front)


def parse_markdown_bytes(path: Path, raw: bytes, parse_front: ParseFrontmatter | None = None) -> MarkdownFile:
    """Decode and parse file content already read from ``path``."""
    if b"\x00" in raw[:_BINARY_SNIFF]:
        return MarkdownFile(
            path,
            problem=FileProblem(
                path, None, "binary file, not Markdown text", "remove it from the handbook folder"
            ),
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        parsed = parse_markdown_text(path, raw.decode("utf-8-sig", errors="replace"), parse_front)
        parsed.problem = FileProblem(
            path,
            line,
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})",
            "re-save the file with UTF-8 encoding",
        )
        return parsed
    return parse_markdown_text(path, text, parse_front)


def _closing_boundary(lines: list[str]) -> int | None:
    for index in range(1, len(lines)):
        if FM_BOUNDARY.fullmatch(lines[index].rstrip("\r\n")) or lines[index].rstrip() == "...":
            return index
    return None


_HEADS = (1024, 8192, None)
"""Frontmatter is looked for in this much of a file first, then this much, then all of it (``None``)."""


def _head_lines(text: str, size: int | None) -> list[str]:
    """The first lines of ``text`` (``splitlines(keepends=True)``): all of them, or those in its first ``size`` characters.

    Splitting a whole 40 KB chapter into lines to find a ten-line frontmatter
    was a third of reading it (and 8 KB of it still most of the split, for
    5,000 chapters). The last line of a cut head may be cut too, so it is left out.
    """
    if size is None or len(text) <= size:
        return text.splitlines(keepends=True)
    return text[:size].splitlines(keepends=True)[:-1]


def parse_markdown_text(path: Path, text: str, parse_front: ParseFrontmatter | None = None) -> MarkdownFile:
    """Split frontmatter from body and load it; report the first problem found."""
    text = text.removeprefix("\ufeff")
    lines = _head_lines(text, _HEADS[0])
    if not lines or not FM_BOUNDARY.fullmatch(lines[0].rstrip("\r\n")):
        if lines or not text:
            return MarkdownFile(path, body=text, body_line=1)
        lines = text.splitlines(keepends=True)  # a first line longer than the head
        if not FM_BOUNDARY.fullmatch(lines[0].rstrip("\r\n")):
            return MarkdownFile(path, body=text, body_line=1)
    end = _closing_boundary(lines)
    for shorter, size in pairwise(_HEADS):
        if end is not None or shorter is None or len(text) <= shorter:
            break
        lines = _head_lines(text, size)  # the head was not all of it: look further
        end = _closing_boundary(lines)
    if end is None:
        return MarkdownFile(
            path,
            body=text,
            body_line=1,
            problem=FileProblem(
                path,
                1,
                "frontmatter starts with '---' but is never closed",
                "add a line containing only '---' after the last metadata line",
            ),
        )
    front = "".join(lines[1:end])
    body = text[len(front) + len(lines[0]) + len(lines[end]) :]
    parsed = (parse_front or parse_frontmatter)(front, end)
    result = MarkdownFile(path, body=body, body_line=end + 2)
    if parsed.ok:
        result.meta = parsed.meta
    else:
        result.problem = FileProblem(path, parsed.line, parsed.message, parsed.hint)
    return result


def _impossible_date_line(front: str) -> int | None:
    """The file line (frontmatter starts on line 2) of the first date-looking value that is no date."""
    import datetime
    import re

    for number, line in enumerate(front.split("\n"), start=2):
        found = re.search(r":\s*(\d{4})-(\d{1,2})-(\d{1,2})\b", line)
        if found:
            try:
                datetime.date(*(int(part) for part in found.groups()))
            except ValueError:
                return number
    return None


def parse_frontmatter(front: str, end: int) -> Frontmatter:
    """Load a frontmatter block; ``end`` is the index of its closing line.

    A simple block is read without YAML (:func:`quick_meta`, the same values),
    any other with :func:`parse_yaml_frontmatter`. Never raises.
    """
    quick = quick_meta(front)
    return Frontmatter(meta=quick) if quick is not None else parse_yaml_frontmatter(front, end)


def parse_yaml_frontmatter(front: str, end: int) -> Frontmatter:
    """Load a frontmatter block with a safe YAML loader; ``end`` is the index of its closing line.

    Never raises: broken YAML, tags, aliases and non-mappings come back as a
    :class:`Frontmatter` with a line, a message and a hint.
    """
    import yaml

    loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        meta = yaml.load(front, Loader=loader)  # a safe loader: never builds Python objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark is not None and (error.context or "").startswith(_OPENED_AT):
            # An unclosed quote/bracket is only noticed lines later: point at where it opened.
            mark = error.context_mark
        line = min(mark.line + 2, max(end, 2)) if mark is not None else 2
        what = (error.problem or str(error)).strip()
        hint = "fix the YAML syntax (quote values that contain ': ' or start with a special character)"
        if "tag" in what or "constructor" in what.lower() or "python" in what:
            hint = "remove the tag: frontmatter may only hold plain strings, numbers, lists and mappings"
        return Frontmatter(line=line, message=f"invalid YAML frontmatter: {what}", hint=hint)
    except yaml.YAMLError as error:
        return Frontmatter(line=2, message=f"invalid YAML frontmatter: {error}", hint="fix the YAML")
    except RecursionError:
        return Frontmatter(line=2, message="frontmatter is nested too deeply", hint="simplify it")
    except (ValueError, OverflowError) as error:
        # YAML reads 2024-13-45 as a date and the date constructor rejects it, with no position.
        return Frontmatter(
            line=_impossible_date_line(front) or 2,
            message=f"a value in the frontmatter cannot be read: {error}",
            hint='fix the date, or quote it to keep it as text (date: "2024-13-45")',
        )
    if meta is None:
        return Frontmatter()
    if not isinstance(meta, dict):
        kind = type(meta).__name__.replace("str", "plain string").replace("list", "list")
        return Frontmatter(
            line=2,
            message=f"frontmatter must be a mapping of 'key: value' lines, not a {kind}",
            hint="write it as e.g. 'title: My chapter' on its own line",
        )
    if _has_shared_nodes(meta):
        return Frontmatter(
            line=2,
            message="frontmatter uses YAML anchors/aliases (&name / *name), which are not supported",
            hint="write each value out in full",
        )
    return Frontmatter(meta={str(key): value for key, value in meta.items()})


def resolve_path(path: Path) -> Path:
    """``path.resolve()`` that survives symbolic link loops (Python 3.11 raises on them)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        try:
            return path.parent.resolve() / path.name
        except (OSError, RuntimeError):
            return Path(os.path.abspath(path))
