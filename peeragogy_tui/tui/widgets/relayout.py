"""The reader's side of a resize: when it lays its chapter out again, and how the old layout goes.

A mixin of :class:`~peeragogy_tui.tui.widgets.document_view.DocumentView`, kept
apart so the view's own module stays about layout and drawing.

A resize reaches the app first as Textual's own relayout of the whole screen (every
widget drawn again at the new size), then as a Resize event to the reader. Laying the
chapter out again at once put that work in the same turn of the event loop as
Textual's: together they were the longest freeze of the reader (issue 12: never more
than 100 ms). So the reader waits :data:`RESIZE_SETTLE` first: timers and keys run in
between, and a burst of resizes (tmux may send more than one; dragging a window's edge
sends many) is laid out once, at the last size. Meanwhile the old lines are shown, cut
at the new width.

The layout being replaced is not dropped at once either: freeing a long chapter's lines
took 30-65 ms in one go. They are freed a piece at a time between frames (see
:func:`~peeragogy_tui.core.render.progressive.retired_pieces`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import events

from peeragogy_tui.core.render.progressive import retired_pieces

if TYPE_CHECKING:
    from textual.strip import Strip

    from peeragogy_tui.core.render import Layout
    from peeragogy_tui.core.render.progressive import LayoutJob

__all__ = ["RESIZE_SETTLE", "ResizeRelayout", "free_in_pieces"]

RESIZE_SETTLE = 0.01
"""Seconds the reader waits after a resize before laying out again (restarted by each resize)."""
FREE_EVERY = 0.004
"""Seconds between the pieces of a retired layout being freed."""


async def free_in_pieces(pieces: list[Sequence[object]], breathe: float) -> None:
    """Drop ``pieces`` (each holding some of a retired layout's lines) one at a time, ``breathe`` seconds apart."""
    while pieces:
        pieces.pop()
        await asyncio.sleep(breathe)


class ResizeRelayout:
    """A :class:`DocumentView` laid out again after a resize, in a turn of the event loop of its own."""

    if TYPE_CHECKING:  # provided by DocumentView / ScrollView
        layout_result: Layout | None
        _strip_cache: dict[int, Strip]
        _job: LayoutJob | None
        _job_sized: LayoutJob | None

        def _wanted_layout(self) -> object | None: ...

        def _relayout(self, *, background: bool = True) -> None: ...

        async def _lay_out_rest(self, job: LayoutJob) -> None: ...

        def run_worker(self, *args: Any, **kwargs: Any) -> Any: ...

    def on_resize(self, event: events.Resize) -> None:
        if self._wanted_layout() is not None:  # a burst of resizes restarts the wait: laid out once
            self.run_worker(self._relayout_when_settled(), group="layout", exclusive=True, exit_on_error=True)

    async def _relayout_when_settled(self) -> None:
        """After a resize: lay out again once it has settled, then the rest in the background."""
        await asyncio.sleep(RESIZE_SETTLE)
        self._relayout(background=False)
        if self._job is not None and not self._job.done:
            await self._lay_out_rest(self._job)

    def _retire_layout(self) -> None:
        """Let go of the layout (and its strips) being replaced, freed a piece at a time between frames."""
        pieces: list[Sequence[object]] = list(retired_pieces(self.layout_result)) if self.layout_result else []
        pieces.append(list(self._strip_cache.values()))
        self._strip_cache = {}
        self._job = self._job_sized = self.layout_result = None
        if any(pieces):
            self.run_worker(free_in_pieces(pieces, FREE_EVERY), group="retire")
