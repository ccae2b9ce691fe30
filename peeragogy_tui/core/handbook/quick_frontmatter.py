"""Read simple frontmatter without a YAML parser, with exactly the values PyYAML gives.

Importing PyYAML and running it over every file's frontmatter was most of a
first start's load of a big handbook (and all of the search index's title
reading). Yet nearly all frontmatter has one shape: ``key: value`` lines,
``[a, b]`` lists of words, ``- item`` lists under an empty key, comments and
blank lines. For that shape :func:`quick_meta` gives what
``yaml.safe_load`` gives -- ``str``, ``int``, ``float``, ``bool``, ``None``
and lists of those -- and for anything it is not sure of (block scalars,
anchors, tags, nesting, escapes, tabs, odd line breaks, dates, octal or hex
numbers, a key YAML would not read as text, a repeated key...) it returns
``None``, and the caller asks YAML, which also reports any error with its line.

Which plain words YAML reads as something other than text is decided by
PyYAML's implicit resolver rules (YAML 1.1); :data:`IMPLICIT_RULES` is a copy
of them (a test keeps it equal to PyYAML's), so this module never imports
YAML. Property tests compare the two on generated frontmatter.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from peeragogy_tui.core.handbook.markdown_file import MarkdownFile

__all__ = ["IMPLICIT_RULES", "quick_meta", "quick_parse", "scan_lines"]

IMPLICIT_RULES: dict[str, tuple[str, int]] = {
    "bool": (r'''^(?:yes|Yes|YES|no|No|NO
                    |true|True|TRUE|false|False|FALSE
                    |on|On|ON|off|Off|OFF)$''', re.VERBOSE),
    "float": (r'''^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$''', re.VERBOSE),
    "int": (r'''^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+
                    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$''', re.VERBOSE),
    "merge": (r'^(?:<<)$', 0),
    "null": (r'''^(?: ~
                    |null|Null|NULL
                    | )$''', re.VERBOSE),
    "timestamp": (r'''^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
                     (?:[Tt]|[ \t]+)[0-9][0-9]?
                     :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
                     (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$''', re.VERBOSE),
    "value": (r'^(?:=)$', 0),
}
"""PyYAML's implicit resolvers (``yaml/resolver.py``), by tag, verbatim (pattern, flags): the words that are not text."""
_RULE_FIRST_CHARACTERS = frozenset("yYnNtTfFoO-+0123456789.<~=")
"""The first characters PyYAML has a rule for; a word starting with any other is text."""


@cache
def _rules() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """PyYAML's bool and null rules, and all of its rules at once, compiled when first needed.

    Compiling them took a few milliseconds, and a start from the tree snapshot reads no frontmatter.
    """
    bool_rule, null_rule = (re.compile(*IMPLICIT_RULES[tag]) for tag in ("bool", "null"))
    any_rule = re.compile("|".join(f"(?:{pattern})" for pattern, _flags in IMPLICIT_RULES.values()), re.VERBOSE)
    return bool_rule, null_rule, any_rule


_NUMBER = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?")
"""Decimal numbers whose value Python's ``int``/``float`` read as PyYAML does (no ``_``, octal, exponent)."""
_TRUE = frozenset({"yes", "true", "on"})

_MAX_LINES = 200
"""Longer frontmatter goes to YAML."""
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,127}):(?: +(.*))?")
"""A key YAML reads as text (a simple key: YAML allows at most 1,024 characters for one)."""
_ITEM = re.compile(r"( *)- +(.+)")
_FLOW_WORD = re.compile(r"[^\W\d_][\w.-]*(?: +[\w.-]+)*")
"""An item of ``[a, b c, d-e]``: words that start with a letter, so YAML reads it as text, a bool or null."""
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


class _Unsure(Exception):
    """YAML must decide: the text is outside the shape this module reads."""


def _resolved(word: str) -> Any:
    """The value of the plain YAML scalar ``word`` (known to be a valid plain scalar), as PyYAML makes it."""
    if word[0] not in _RULE_FIRST_CHARACTERS:
        return word
    bool_rule, null_rule, any_rule = _rules()
    if not any_rule.match(word):
        return word  # most words that start with one of those characters are still text
    if bool_rule.match(word):
        return word.lower() in _TRUE
    if null_rule.match(word):
        return None
    number = _NUMBER.fullmatch(word)
    if number is not None:
        return float(word) if number.group(1) else int(word)
    raise _Unsure  # dates, 0x1F, 1_000, 12:30, .inf, <<...


def _plain(value: str) -> Any:
    """The value of a one-line plain scalar in block context (a ``key:`` value or a ``- item``)."""
    if value[0] in _INDICATORS or ": " in value or value.endswith(":") or " #" in value:
        raise _Unsure
    return _resolved(value)


def _quoted(value: str) -> str:
    """A one-line quoted scalar with nothing to unescape: ``"text"`` or ``'text'``."""
    quote = value[0]
    inner = value[1:-1]
    if len(value) < 2 or value[-1] != quote or quote in inner or (quote == '"' and "\\" in inner):
        raise _Unsure
    return inner


def _scalar(value: str) -> Any:
    if not value:
        raise _Unsure  # an empty item
    return _quoted(value) if value[0] in "\"'" else _plain(value)


def _flow_list(value: str) -> list[Any]:
    """``[a, b c]``: a flow sequence of words (each text, a bool or null)."""
    inner = value[1:-1].strip()
    if value[-1] != "]":
        raise _Unsure
    if not inner:
        return []
    items = [item.strip() for item in inner.split(",")]
    if not all(_FLOW_WORD.fullmatch(item) for item in items):
        raise _Unsure
    return [_resolved(item) for item in items]


def _value(value: str) -> Any:
    return _flow_list(value) if value[0] == "[" else _scalar(value)


def _mapping(lines: list[str]) -> dict[str, Any]:
    """The mapping the frontmatter ``lines`` (no line ends) hold; raises :class:`_Unsure`."""
    meta: dict[str, Any] = {}
    items: list[Any] | None = None
    """The list being filled under the last key when it had no value."""
    items_indent = -1
    """The indent of its ``- item`` lines (-1 before the first)."""
    for line in lines:
        if not line.isprintable():
            raise _Unsure  # tabs, other line breaks, control characters: YAML's business
        stripped = line.strip()
        if not stripped or stripped[0] == "#":
            continue
        key = _KEY.fullmatch(line)
        if key is not None:
            name = key.group(1)
            if name in meta or not isinstance(_resolved(name), str):
                raise _Unsure  # a repeated key, or one YAML reads as a bool or null (yes:, null:)
            value = (key.group(2) or "").strip()
            meta[name] = _value(value) if value else None
            items, items_indent = (None, -1) if value else ([], -1)
            continue
        item = _ITEM.fullmatch(line)
        if item is None or items is None:
            raise _Unsure
        indent = len(item.group(1))
        if items_indent not in (-1, indent):
            raise _Unsure
        if not items:
            meta[next(reversed(meta))] = items
        items_indent = indent
        items.append(_scalar(item.group(2).strip()))
    return meta


def scan_lines(lines: list[str]) -> dict[str, Any] | None:
    """What ``yaml.safe_load`` makes of the frontmatter ``lines`` (without line ends); ``None`` if unsure."""
    if len(lines) > _MAX_LINES:
        return None
    try:
        return _mapping(lines)
    except _Unsure:
        return None


def quick_meta(front: str) -> dict[str, Any] | None:
    """What ``yaml.safe_load(front)`` gives for a frontmatter block, when that is sure; else ``None``.

    ``front`` is the text between the ``---`` lines, line ends included (``\\n`` or ``\\r\\n``).
    An empty or all-comment block is ``{}``, as the loader takes YAML's ``None``.
    """
    lines = front.split("\n")
    if len(lines) > _MAX_LINES + 1:
        return None
    return scan_lines([line.removesuffix("\r") for line in lines])


_BINARY_SNIFF = 8192
_OPENING = re.compile(r"-{3,} *")
_CLOSING = re.compile(r"-{3,} *|\.\.\. *")


def quick_parse(path: Path, raw: bytes) -> MarkdownFile | None:
    """``parse_markdown_bytes(path, raw)`` without YAML, or ``None`` if unsure (the caller parses it then).

    The body, ``body_line`` and ``meta`` are exactly the real parser's. Used by
    the search index, which reads every file's title on a first build.
    """
    from peeragogy_tui.core.handbook.markdown_file import MarkdownFile

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
        line = text[start:end].removesuffix("\r")
        if not line.isprintable():
            return None  # tabs, other line breaks, control characters: YAML's (and splitlines') business
        if not lines:
            if not _OPENING.fullmatch(line):
                return MarkdownFile(path, body=text, body_line=1)
        elif _CLOSING.fullmatch(line):
            meta = scan_lines(lines[1:])
            if meta is None:
                return None
            body = "" if newline < 0 else text[newline + 1 :]
            return MarkdownFile(path, meta=meta, body=body, body_line=len(lines) + 2)
        lines.append(line)
        if newline < 0:
            return None  # never closed: the real parser reports it
        start = newline + 1
    return None
