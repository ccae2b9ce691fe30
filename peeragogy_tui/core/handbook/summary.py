"""Read a mdBook/GitBook ``SUMMARY.md``: a nested list of links defines the tree.

Only the structure is taken: list items that link to local Markdown files
become chapters, items without a link and ``#`` headings become parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from peeragogy_tui.core.handbook.markdown_file import resolve_path

__all__ = ["SummaryEntry", "parse_summary"]


@dataclass
class SummaryEntry:
    """One line of the summary: a link to a file, or a title-only part."""

    title: str
    target: Path | None
    line: int
    children: list[SummaryEntry] = field(default_factory=list)


def _local_target(href: str, base: Path) -> Path | None:
    href = href.split("#", 1)[0].strip()
    if not href or "://" in href or href.startswith(("mailto:", "/")):
        return None
    if not href.lower().endswith((".md", ".markdown")):
        return None
    return resolve_path(base / unquote(href))


def parse_summary(text: str, base: Path) -> list[SummaryEntry]:
    """Top-level entries of a summary file whose links are relative to ``base``."""
    from markdown_it import MarkdownIt  # here, not at import: most handbooks have no summary

    tokens = MarkdownIt("commonmark").parse(text)
    roots: list[SummaryEntry] = []
    stack: list[list[SummaryEntry]] = [roots]
    current: list[SummaryEntry | None] = [None]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type in ("bullet_list_open", "ordered_list_open"):
            parent = current[-1]
            stack.append(parent.children if parent is not None else stack[-1])
            current.append(None)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            stack.pop()
            current.pop()
        elif token.type == "inline" and len(stack) > 1:
            title = "".join(child.content for child in (token.children or []) if child.type in ("text", "code_inline")).strip()
            target = None
            for child in token.children or []:
                if child.type == "link_open":
                    target = _local_target(str(child.attrs.get("href", "")), base)
                    break
            line = (token.map[0] + 1) if token.map else 0
            if current[-1] is None or target is not None or title:
                entry = SummaryEntry(title or (target.stem if target else ""), target, line)
                stack[-1].append(entry)
                current[-1] = entry
        elif token.type == "heading_open" and len(stack) == 1:
            inline = tokens[index + 1]
            title = inline.content.strip()
            if title and title.lower() not in ("summary", "table of contents", "contents"):
                entry = SummaryEntry(title, None, (token.map[0] + 1) if token.map else 0)
                roots.append(entry)
                current[-1] = entry
        index += 1
    return roots


def summary_links(entries: list[SummaryEntry]) -> int:
    """How many entries (at any depth) link to a file."""
    return sum((1 if e.target else 0) + summary_links(e.children) for e in entries)
