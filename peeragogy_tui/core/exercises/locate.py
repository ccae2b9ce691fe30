"""Find the line of a frontmatter key from a pydantic error location.

Pydantic reports *where* in the data a value is wrong (``("steps", 2, "type")``),
not where in the file. This walks the YAML text of the frontmatter by
indentation, which is enough for the block style exercise files use: a
top-level key, the n-th ``- `` item under it, a key inside that item, and so
on. It is best effort: when a part cannot be found, the line of the last part
that was found is returned (for example the ``steps:`` line).
"""

from __future__ import annotations

import re
from pathlib import Path

from peeragogy_tui.core.handbook.folder_walk import read_regular_file

__all__ = ["frontmatter_lines", "locate_key_line"]

_DASH = re.compile(r"^(\s*)-(?:\s+|$)")


def frontmatter_lines(path: Path, body_line: int) -> list[str]:
    """The frontmatter lines of ``path`` (file line 2 is index 0); empty if unreadable."""
    try:
        lines = read_regular_file(path).decode("utf-8-sig", errors="replace").splitlines()
    except OSError:
        return []
    return lines[1 : max(body_line - 2, 1)]


def _content(line: str) -> tuple[int, str]:
    """Indent of a line's content, looking through any ``- `` list markers."""
    indent = len(line) - len(line.lstrip(" "))
    rest = line[indent:]
    while True:
        match = _DASH.match(rest)
        if not match or not rest.startswith("-"):
            return indent, rest
        step = match.end()
        indent += step
        rest = rest[step:]


def _significant(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _find_key(lines: list[str], start: int, end: int, key: str) -> tuple[int, int] | None:
    """Line index of ``key:`` at the shallowest mapping level in ``[start, end)``, and its end."""
    level: int | None = None
    pattern = re.compile(
        rf"^(?:{re.escape(key)}|'{re.escape(key)}'|\"{re.escape(key)}\")\s*:(?:\s|$)"
    )
    for index in range(start, end):
        if not _significant(lines[index]):
            continue
        indent, rest = _content(lines[index])
        if level is None:
            level = indent
        if indent == level and pattern.match(rest):
            return index, _block_end(lines, index, end, level)
    return None


def _block_end(lines: list[str], index: int, end: int, level: int) -> int:
    """Where the value of the key on ``lines[index]`` (at indent ``level``) ends."""
    for later in range(index + 1, end):
        line = lines[later]
        if not _significant(line):
            continue
        real = len(line) - len(line.lstrip(" "))
        if real < level or (real == level and not line.lstrip(" ").startswith("-")):
            return later
    return end


def _find_item(lines: list[str], start: int, end: int, number: int) -> tuple[int, int] | None:
    """The ``number``-th (0-based) ``- `` item in ``[start, end)`` and where it ends."""
    dash_indent: int | None = None
    items: list[int] = []
    for index in range(start, end):
        line = lines[index]
        if not _significant(line):
            continue
        match = _DASH.match(line)
        real = len(line) - len(line.lstrip(" "))
        if dash_indent is None:
            if not match:
                return None
            dash_indent = real
        if match and real == dash_indent:
            items.append(index)
        elif real <= dash_indent:
            end = index
            break
    if number >= len(items):
        return None
    item_end = items[number + 1] if number + 1 < len(items) else end
    return items[number], item_end


def locate_key_line(
    lines: list[str], loc: tuple[int | str, ...], first_line: int = 2
) -> int | None:
    """The file line for ``loc`` in frontmatter ``lines`` (which start at ``first_line``)."""
    start, end = 0, len(lines)
    found: int | None = None
    item_start = False
    for part in loc:
        if isinstance(part, int):
            search_from = start if item_start else (found + 1 if found is not None else start)
            hit = _find_item(lines, search_from, end, part)
            item_start = True
        else:
            if found is not None and not item_start:
                start = found + 1
            hit = _find_key(lines, start, end, part)
            item_start = False
        if hit is None:
            break
        found, end = hit
        start = found
    return None if found is None else found + first_line
