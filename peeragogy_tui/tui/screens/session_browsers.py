"""Browser keys of the session screen: the join panel, sorting by +1 votes, a new join code.

A mixin of :class:`~peeragogy_tui.tui.screens.session.SessionScreen`; it uses the
screen's store, state and ``_change``. Joining, posting and voting happen in
:mod:`peeragogy_tui.web`; this side only shows and steers them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from peeragogy_tui.errors import PeeragogyError
from peeragogy_tui.tui.widgets.join_panel import JoinPanel

if TYPE_CHECKING:
    from peeragogy_tui.core.sessions import HarvestEntry, SessionState, SessionStore

__all__ = ["BrowserKeys"]


class BrowserKeys:
    """``o`` sort by votes, ``j`` QR code on/off, ``J`` new join code."""

    store: SessionStore
    session_id: int
    state: SessionState | None
    join_base: str | None
    lan: bool
    by_votes: bool
    notify: Callable[..., None]
    query_one: Callable[..., Any]
    _change: Callable[[str, Callable[[], object]], bool]
    _draw: Callable[[], None]

    def _ordered(self, entries: list[HarvestEntry]) -> list[HarvestEntry]:
        newest = entries[::-1]
        if not self.by_votes or self.state is None:
            return newest
        state = self.state
        return sorted(newest, key=lambda entry: -state.vote_count(entry.id))  # stable: ties stay newest first

    def _draw_join(self, state: SessionState) -> None:
        from peeragogy_tui.core.sessions.participation import Participation

        try:
            access = Participation(self.store).access(self.session_id)
        except PeeragogyError:
            return
        if access is not None:
            self.query_one(JoinPanel).show(f"{self.join_base}/j/{access.join_code}", len(state.members), lan=self.lan)

    def action_sort_by_votes(self) -> None:
        self.by_votes = not self.by_votes
        self.notify("Harvest: most +1 first." if self.by_votes else "Harvest: newest first.", timeout=2)
        if self.state is not None:
            self._draw()

    def action_toggle_qr(self) -> None:
        if self.join_base is None:
            self.notify("Not serving to browsers (peeragogy session serve).", timeout=3)
            return
        self.query_one(JoinPanel).toggle_qr()

    def action_rotate_code(self) -> None:
        if self.join_base is None:
            self.notify("Not serving to browsers (peeragogy session serve).", timeout=3)
            return
        from peeragogy_tui.core.sessions.participation import Participation

        if self._change("make a new join link", lambda: Participation(self.store).rotate_code(self.session_id)):
            self.notify("New join link: the old one no longer lets anyone in.", timeout=4)
