"""mdBook and Jekyll preprocessor lines, before the Markdown parser sees the text.

``{{#include file}}`` (and ``file:N``, ``file:start:end``, ``file::end``,
``file:start:``, ``file:ANCHOR``) is replaced by that file's lines, as mdBook
does, anywhere in the text (usually inside a code fence), but only when the
file is inside the handbook folder: a chapter never reads files outside it.
Every other directive (``{{#rustdoc_include …}}``, ``{{#playground …}}``,
``{% … %}``) that stands alone on a line outside code becomes one dim line
naming it (a :class:`~.model.Directive`); an include that cannot be done
becomes such a line saying why. Nothing is dropped silently.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from peeragogy_tui.core.handbook.folder_walk import read_regular_file

__all__ = ["DIRECTIVE_MARK", "expand_directives"]

DIRECTIVE_MARK = "\ue000"
"""Starts a line the parser turns into a :class:`~.model.Directive` (the rest of the line is its text)."""

_MAX_DEPTH = 10
"""Includes nest no deeper than this (mdBook's limit too): a file including itself stops here."""
_MAX_BYTES = 4_000_000
_MDBOOK = re.compile(r"\{\{\s*#(\w+)\s*([^}]*?)\s*\}\}")
_ALONE = re.compile(r"^[ \t]*(\{\{\s*#\w+[^}]*\}\}|\{%.*?%\})[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ANCHOR_LINE = re.compile(r"ANCHOR(?:_END)?:\s*[\w-]+")


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.is_relative_to(root)
    except ValueError:  # pragma: no cover - different drives
        return False


def _select(text: str, selector: str) -> str | None:
    """The lines of ``text`` that mdBook's ``:start:end`` or ``:anchor`` selects; ``None`` if the anchor is missing."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    if not selector:
        return "\n".join(line for line in lines if not _ANCHOR_LINE.search(line))
    parts = selector.split(":")
    if len(parts) <= 2 and all(part.isdigit() or part == "" for part in parts):
        start = int(parts[0]) if parts[0] else 1
        if len(parts) == 1:
            end: int | None = start
        else:
            end = int(parts[1]) if parts[1] else None
        chosen = lines[max(start - 1, 0) : end]
        return "\n".join(line for line in chosen if not _ANCHOR_LINE.search(line))
    name = selector.strip()
    begin = re.compile(rf"ANCHOR:\s*{re.escape(name)}\b")
    finish = re.compile(rf"ANCHOR_END:\s*{re.escape(name)}\b")
    picked: list[str] = []
    inside = False
    found = False
    for line in lines:
        if not inside and begin.search(line):
            inside = found = True
        elif inside and finish.search(line):
            break
        elif inside and not _ANCHOR_LINE.search(line):
            picked.append(line)
    return "\n".join(picked) if found else None


class _Expander:
    def __init__(self, root: Path | None) -> None:
        self.root = Path(os.path.realpath(root)) if root is not None else None
        self.included: list[str] = []

    def include(self, argument: str, folder: Path | None, depth: int) -> tuple[str | None, str]:
        """The included text, or ``None`` and the reason it was not included."""
        if folder is None or self.root is None:
            return None, "no handbook folder to include from"
        name, _, selector = argument.partition(":")
        if not name:
            return None, "no file named"
        target = Path(os.path.realpath(folder / name))  # never raises on a link loop
        if not _inside(target, self.root):
            return None, "outside the handbook folder, not included"
        if depth >= _MAX_DEPTH:
            return None, f"includes nest deeper than {_MAX_DEPTH}, not included"
        try:
            if not target.is_file():
                return None, "no such file"
            raw = read_regular_file(target)[:_MAX_BYTES]
        except OSError as error:
            return None, f"cannot be read ({error.strerror or error})"
        self.included.append(str(target))
        text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n")
        selected = _select(text, selector)
        if selected is None:
            return None, f"no ANCHOR: {selector.strip()} in {name}"
        return self.expand(selected, target.parent, depth + 1), ""

    def expand(self, markdown: str, folder: Path | None, depth: int) -> str:
        if "{{" not in markdown and "{%" not in markdown:
            return markdown
        out: list[str] = []
        fence: str | None = None
        for line in markdown.split("\n"):
            opener = _FENCE.match(line)
            if fence is not None:
                if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence) and not line.strip().lstrip(fence[0]):
                    fence = None
                out.append(self._inline(line, folder, depth))
                continue
            if opener:
                fence = opener.group(1)
                out.append(line)
                continue
            alone = _ALONE.match(line)
            if alone is None:
                out.append(self._inline(line, folder, depth))
                continue
            directive = alone.group(1)
            mdbook = _MDBOOK.fullmatch(directive)
            indent = line[: len(line) - len(line.lstrip())]
            if mdbook and mdbook.group(1) == "include":
                text, reason = self.include(mdbook.group(2), folder, depth)
                if text is not None:
                    out.append(text)
                    continue
                shown = f"{directive} ({reason})"
            else:
                shown = directive
            # Its own paragraph, so that the parser sees the line alone.
            out.extend(["", indent + DIRECTIVE_MARK + shown, ""])
        return "\n".join(out)

    def _inline(self, line: str, folder: Path | None, depth: int) -> str:
        """Includes inside a line (code fences, mid-sentence); other directives stay as written."""
        if "{{" not in line:
            return line

        def replace(match: re.Match[str]) -> str:
            if match.group(1) != "include":
                return match.group(0)
            text, reason = self.include(match.group(2), folder, depth)
            return text if text is not None else f"{match.group(0)} ({reason})"

        return _MDBOOK.sub(replace, line)


def expand_directives(markdown: str, source: Path | None, root: Path | None) -> tuple[str, list[str]]:
    """``markdown`` with includes done and other directives marked, and the files it included.

    ``source`` is the chapter's file (includes are relative to its folder) and
    ``root`` the handbook folder that included files must be inside.
    """
    expander = _Expander(root)
    folder = source.resolve().parent if source is not None else None
    return expander.expand(markdown, folder, 0), expander.included
