"""Split a file and read its title without a YAML parser, when its frontmatter is simple.

A first index build reads every file, and parsing every frontmatter block
with PyYAML was a large part of it, yet the index needs only the title. This
scanner accepts the common shape -- ``key: plain text`` lines, ``[a, b]``
lists of plain words, ``- item`` lists under an empty key, comments and
blank lines -- for which YAML's answer is certain. For anything else (quotes,
block scalars, anchors, tags, nesting, tabs, odd line breaks, dates, an
unclosed block, undecodable bytes) it returns ``None`` and the caller uses
:func:`~peeragogy_tui.core.handbook.markdown_file.parse_markdown_bytes`. A property
test compares the two on generated frontmatter.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from peeragogy_tui.core.handbook.markdown_file import MarkdownFile

__all__ = ["quick_parse"]

_BINARY_SNIFF = 8192
_MAX_LINES = 200
"""Longer frontmatter goes to the real parser."""
_OPENING = re.compile(r"-{3,} *")
_CLOSING = re.compile(r"-{3,} *|\.\.\. *")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
_ITEM = re.compile(r"( *)- +(.+)")
_FLOW_LIST = re.compile(
    r"\[ *(?:_W(?: *, *_W)*)? *\]".replace("_W", r"[^\W\d_][\w.-]*(?: +[\w.-]+)*")
)
"""``[a, b c, d-e]``: words that start with a letter, so YAML reads each as a string (or a bool)."""
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_STR = "tag:yaml.org,2002:str"
_SAFE_TAGS = frozenset({_STR, "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"})
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@lru_cache(maxsize=1)
def _resolver() -> tuple[object, frozenset[str]]:
    """PyYAML's implicit resolver and the first characters it has rules for."""
    import yaml

    rules = yaml.resolver.Resolver.yaml_implicit_resolvers
    return yaml.resolver.Resolver(), frozenset() if None in rules else frozenset(rules)


def _tag(value: str) -> str:
    """The tag YAML's implicit resolver gives the plain scalar ``value`` (``str``, ``int``...)."""
    import yaml

    resolver, first_characters = _resolver()
    if first_characters and value[0] not in first_characters:
        return _STR  # the resolver looks its rules up by first character: none for this one
    return str(resolver.resolve(yaml.ScalarNode, value, (True, False)))  # type: ignore[attr-defined]


def _plain(value: str) -> str | None:
    """The tag of ``value`` as a one-line plain YAML scalar, or ``None`` if YAML might read it otherwise."""
    if (
        not value
        or value[0] in _INDICATORS
        or ": " in value
        or value.endswith(":")
        or " #" in value
    ):
        return None
    tag = _tag(value)
    if tag in _SAFE_TAGS:
        return tag
    if tag.endswith(("int", "float")) and _DECIMAL.fullmatch(value):
        return tag
    return None  # dates, 0x.., sexagesimal, merge keys...: let YAML decide


def _title(front: list[str]) -> tuple[str | None] | None:
    """``(title or None,)`` when every line of ``front`` is simple; ``None`` when YAML must decide."""
    title: str | None = None
    list_indent: int | None = None
    """Indent of the ``- item`` lines under the current empty key (-1 before the first item)."""
    for line in front:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        key = _KEY.fullmatch(line)
        if key is not None:
            value = (key.group(2) or "").strip()
            list_indent = -1 if not value else None
            if value and not (
                _FLOW_LIST.fullmatch(value) if value[0] == "[" else _plain(value) is not None
            ):
                return None
            if key.group(1) == "title":
                if not value or _plain(value) != _STR:
                    return None
                title = value
            continue
        item = _ITEM.fullmatch(line)
        if item is None or list_indent is None or _plain(item.group(2).strip()) is None:
            return None
        indent = len(item.group(1))
        if list_indent not in (-1, indent):
            return None
        list_indent = indent
    return (title,)


def quick_parse(path: Path, raw: bytes) -> MarkdownFile | None:
    """``parse_markdown_bytes(path, raw)`` with ``meta`` holding only ``title``; ``None`` if unsure.

    The body and ``body_line`` are exactly the real parser's. ``meta`` has a
    ``"title"`` only when the frontmatter's title is plain text; every other
    key is left out (this is for the search index, which needs nothing else).
    """
    if b"\x00" in raw[:_BINARY_SNIFF]:
        return None
    try:
        text = raw.decode("utf-8-sig").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
    if not text.startswith("---"):
        return MarkdownFile(path, body=text, body_line=1)
    lines: list[str] = []
    start = 0
    while len(lines) <= _MAX_LINES:
        newline = text.find("\n", start)
        end = len(text) if newline < 0 else newline
        line = text[start:end]
        line = line.removesuffix("\r")
        if not line.isprintable():
            return None  # tabs, other line breaks, control characters: YAML's (and splitlines') business
        if not lines:
            if not _OPENING.fullmatch(line):
                return MarkdownFile(path, body=text, body_line=1)
        elif _CLOSING.fullmatch(line):
            found = _title(lines[1:])
            if found is None:
                return None
            meta = {} if found[0] is None else {"title": found[0]}
            body = "" if newline < 0 else text[newline + 1 :]
            return MarkdownFile(path, meta=meta, body=body, body_line=len(lines) + 2)
        lines.append(line)
        if newline < 0:
            return None  # never closed: the real parser reports it
        start = newline + 1
    return None
