"""Search matches in the reader: highlight a query, step through its matches with ``n``/``N``.

A mixin of :class:`~peeragogy_tui.tui.widgets.document_view.DocumentView`,
kept apart so that the view's own module stays about layout and drawing.
Matches are found in the laid-out lines (what is on screen, at this width),
and found as the layout grows (:class:`GrowingMatches`): a match not laid out
yet is kept pending and reached as soon as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text
    from textual.strip import Strip

    from peeragogy_tui.core.render import Layout
    from peeragogy_tui.core.search.matching import ChapterMatch, GrowingMatches

__all__ = ["DocumentMatches"]


class DocumentMatches:
    """Highlighted matches of one query in a :class:`DocumentView`."""

    if TYPE_CHECKING:  # provided by DocumentView / ScrollView
        layout_result: Layout | None
        lines: list[Text]
        layout_complete: bool
        scroll_y: float
        _strip_cache: dict[int, Strip]
        _found: GrowingMatches | None
        _current_match: int | None
        _pending_match: int | None

        @property
        def scrollable_content_region(self): ...  # type: ignore[no-untyped-def]

        def refresh(self, *args: object, **kwargs: object) -> object: ...

        def scroll_to_line(self, line: int) -> None: ...

    @property
    def search_query(self) -> str | None:
        """The query whose matches are highlighted, if any."""
        return self._found.text if self._found else None

    @property
    def matches(self) -> list[ChapterMatch]:
        """Every highlighted match: ``line`` indexes :attr:`lines`, ``start``/``end`` are offsets in it."""
        return self._found.matches if self._found else []

    @property
    def current_match(self) -> int | None:
        """The index into :attr:`matches` of the match ``n``/``N`` last moved to."""
        return self._current_match

    def highlight(self, query: str | None) -> int:
        """Highlight every match of ``query`` laid out so far; ``None`` clears. Returns the count."""
        from peeragogy_tui.core.search.matching import GrowingMatches

        self._found = GrowingMatches(query) if query else None
        self._current_match = self._pending_match = None
        self._extend_matches()
        self._strip_cache.clear()
        self.refresh()
        return len(self.matches)

    def match_lines_text(self) -> str:
        """The laid-out text, one line per view line (what search matches against)."""
        return "\n".join(line.plain for line in self.lines)

    def goto_match(self, index: int) -> ChapterMatch | None:
        """Make match ``index`` (wrapping around) current and scroll it into view.

        While the chapter is still being laid out, a match not found yet is
        kept pending (and ``None`` returned): the view goes there when it is.
        """
        matches = self.matches
        self._pending_match = None
        if not self.layout_complete and not 0 <= index < len(matches):
            self._pending_match = index
            return None
        if not matches:
            self._current_match = None
            return None
        index %= len(matches)
        self._current_match = index
        match = matches[index]
        height = max(self.scrollable_content_region.height, 1)
        top = round(self.scroll_y)
        if not top <= match.line < top + height:
            self.scroll_to_line(match.line - height // 3)
        self._strip_cache.clear()
        self.refresh()
        return match

    def next_match(self, step: int = 1) -> ChapterMatch | None:
        """Move to the next match (``step=-1``: the previous one) from the current one or the view."""
        matches = self.matches
        if self._current_match is not None:
            return self.goto_match(self._current_match + step)
        top = round(self.scroll_y)
        # While laying out, "the next one below" may not be found yet: len(matches) waits for it.
        after = len(matches) if not self.layout_complete else 0
        if step > 0:
            index = next((i for i, m in enumerate(matches) if m.line >= top), after)
        else:
            index = next((i for i in range(len(matches) - 1, -1, -1) if matches[i].line < top), -1)
        return self.goto_match(index)

    def _extend_matches(self) -> None:
        if self._found is not None and self.layout_result is not None:
            for line in self._found.extend([line.plain for line in self.layout_result.lines[self._found.seen :]]):
                self._strip_cache.pop(line, None)

