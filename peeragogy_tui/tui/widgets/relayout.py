"""When the reader lays its chapter out again after a resize, and how the old layout goes.

A resize reaches the app first as Textual's own relayout of the whole screen (every
widget drawn again at the new size), then as a Resize event to the reader. Laying the
chapter out again at once put that work in the same turn of the event loop as
Textual's: together they were the longest freeze of the reader (issue 12: never more
than 100 ms). So the reader waits :data:`RESIZE_SETTLE` first: timers and keys run in
between, and a burst of resizes (tmux may send more than one; dragging a window's edge
sends many) is laid out once, at the last size.

The layout being replaced is not dropped at once either: freeing a long chapter's lines
took 30-65 ms in one go. :func:`free_in_pieces` frees them a piece at a time between
frames (see :func:`~peeragogy_tui.core.render.progressive.retired_pieces`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

__all__ = ["RESIZE_SETTLE", "free_in_pieces"]

RESIZE_SETTLE = 0.01
"""Seconds the reader waits after a resize before laying out again (restarted by each resize)."""


async def free_in_pieces(pieces: list[Sequence[object]], breathe: float) -> None:
    """Drop ``pieces`` (each holding some of a retired layout's lines) one at a time, ``breathe`` seconds apart."""
    while pieces:
        pieces.pop()
        await asyncio.sleep(breathe)
