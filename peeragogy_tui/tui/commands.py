"""Command-palette provider: jump to any chapter by typing part of its title."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from peeragogy_tui.core.handbook.slugs import fold_accents

if TYPE_CHECKING:
    from peeragogy_tui.tui.app import PeeragogyApp

__all__ = ["ChapterCommands"]


class ChapterCommands(Provider):
    """Every chapter of the open handbook, fuzzy-matched on its title (accents optional)."""

    @property
    def _app(self) -> PeeragogyApp:
        return self.app  # type: ignore[return-value]

    async def discover(self) -> Hits:
        for chapter in self._app.handbook.chapters:
            yield DiscoveryHit(
                f"Open: {chapter.title}", partial(self._app.open_chapter, chapter.id), help=chapter.summary or None
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for chapter in self._app.handbook.chapters:
            score = max(matcher.match(chapter.title), matcher.match(fold_accents(chapter.title)))
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(chapter.title),
                    partial(self._app.open_chapter, chapter.id),
                    help=chapter.summary or None,
                )
