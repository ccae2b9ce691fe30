"""Make untrusted text safe to show in a terminal.

Handbook files, answers and participant names are stored byte-exact but are
displayed only after this module strips terminal control sequences: ESC-based
sequences (CSI, OSC, DCS, ...), C1 controls, and C0 controls other than
newline and tab. Markup-like text such as ``[bold]`` is left alone: callers
build ``rich.text.Text`` objects, which never parse markup.
"""

from __future__ import annotations

import re

__all__ = ["BIDI_CONTROLS", "escape_control", "has_control", "strip_control"]

BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
"""Bidirectional embeddings, overrides and isolates: they reorder what the terminal shows
("Trojan Source"), so they count as control characters here."""

_CONTROL = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?             # CSI ... final byte
  | \x1b[\]PX^_][^\x07\x1b\x90\x98\x9c-\x9f]*(?:\x07|\x1b\\|\x9c)  # OSC / DCS / SOS / PM / APC ... ST
  | \x9b[0-?]*[ -/]*[@-~]?               # 8-bit CSI
  | [\x9d\x90\x98\x9e\x9f][^\x07\x1b\x90\x98\x9c-\x9f]*(?:\x07|\x1b\\|\x9c)  # 8-bit forms
    # Unterminated (or interrupted by another introducer): only the introducer goes,
    # below, and what follows is shown as text. Never scan to the end: that would be
    # quadratic on a line of stray introducers and would swallow the rest of the text.
  | \x1b[ -/]*[0-~]?                      # other ESC sequences, or a lone ESC
  | [\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]  # remaining C0 (not \t \n), C1, bidi
    """,
    re.VERBOSE | re.DOTALL,
)
_CONTROL_PRESENT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_control(text: str) -> bool:
    """True when ``text`` holds any character that :func:`strip_control` removes."""
    return _CONTROL_PRESENT.search(text) is not None


def strip_control(text: str) -> str:
    """Remove terminal control sequences; keep newlines, tabs and all printable text.

    ``\\r\\n`` becomes ``\\n``; a bare ``\\r`` is removed.
    """
    if not _CONTROL_PRESENT.search(text):
        return text
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


def escape_control(text: str) -> str:
    """Every control character (as :func:`has_control` counts them) as its ``\\uXXXX`` escape.

    The last line of defence before a terminal: nothing is removed, so two
    different file names never look alike, and inside a JSON string the
    escape decodes back to the original character (byte-exact data).
    """
    if not _CONTROL_PRESENT.search(text):
        return text
    return _CONTROL_PRESENT.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
