"""Cut a long document into sections, so that a query costs the same in a 16 MB chapter as in a small one.

FTS5 ranks and makes snippets per row, and ``snippet()`` reads the whole
value of the row it quotes: on a chapter of several megabytes one query took
seconds to minutes, growing with the square of its size. So the index stores
a long document as several rows of at most :data:`SECTION_CHARS` characters,
cut at a blank line where there is one (a paragraph is never split), each
with the headings that fall in it and the file line it starts at. A search
ranks the sections and keeps the best one per chapter, and its snippet is
made from that section only. Short documents (nearly every chapter) are one
section, exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SECTION_CHARS", "Section", "split_sections"]

SECTION_CHARS = 16_384
"""The longest a section gets (a single line longer than this is one section of its own)."""


@dataclass(frozen=True)
class Section:
    """One row of the index: part of a document's body."""

    headings: str
    """The document's headings that are in this part, one per line."""
    body: str
    """Lines of the document; line ``n`` (0-based) is line ``body_line + n`` of the file."""
    body_line: int


def _cuts(body: str, limit: int) -> list[int]:
    """Offsets where sections start (after the first): just past a newline, a blank line's if possible."""
    cuts: list[int] = []
    start = 0
    length = len(body)
    while length - start > limit:
        end = start + limit
        blank = body.rfind("\n\n", start, end)
        if blank > start:
            cut = blank + 2
        else:
            newline = body.rfind("\n", start, end)
            if newline >= start:
                cut = newline + 1
            else:  # one line longer than the limit: the whole line
                newline = body.find("\n", end)
                if newline < 0:
                    break
                cut = newline + 1
        if cut >= length:
            break
        cuts.append(cut)
        start = cut
    return cuts


def split_sections(headings: str, body: str, body_line: int, limit: int = SECTION_CHARS) -> list[Section]:
    """``body`` in sections of at most ``limit`` characters (see the module docstring).

    Each heading (one per line in ``headings``, in reading order) goes to the
    section holding its text, searched from where the previous one was found;
    one that is not found stays with the section before it.
    """
    cuts = _cuts(body, limit)
    if not cuts:
        return [Section(headings, body, body_line)]
    bounds = [0, *cuts, len(body)]
    parts = [body[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1)]
    owned: list[list[str]] = [[] for _ in parts]
    section = 0
    cursor = 0
    for heading in headings.split("\n") if headings else []:
        found = body.find(heading, cursor) if heading else -1
        if found >= 0:
            cursor = found + len(heading)
            while section + 1 < len(parts) and bounds[section + 1] <= found:
                section += 1
        owned[section].append(heading)
    sections: list[Section] = []
    line = body_line
    for index, part in enumerate(parts):
        # A section's text never ends in the newline that separates it from the next one,
        # so "\n".join of the sections' bodies gives back the document's body.
        text = part[:-1] if index + 1 < len(parts) else part
        sections.append(Section("\n".join(owned[index]), text, line))
        line += part.count("\n")
    return sections
