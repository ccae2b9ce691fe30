"""Make untrusted text safe to show in a terminal.

Handbook files, answers and participant names are stored byte-exact but are
displayed only after this module strips terminal control sequences: ESC-based
sequences (CSI, OSC, DCS, ...), C1 controls, and C0 controls other than
newline and tab. Markup-like text such as ``[bold]`` is left alone: callers
build ``rich.text.Text`` objects, which never parse markup.
"""

from __future__ import annotations

import re

__all__ = ["strip_control", "has_control"]

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
  | [\x00-\x08\x0b-\x1f\x7f-\x9f]          # remaining C0 (not \t \n) and C1 controls
    """,
    re.VERBOSE | re.DOTALL,
)
_CONTROL_PRESENT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


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
