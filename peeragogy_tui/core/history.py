"""Back/forward reading history, like a browser's. Pure: no UI, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["History", "Location"]


@dataclass(frozen=True)
class Location:
    """A chapter and the top-level block shown at the top of the reader."""

    chapter_id: str
    block: int = 0


class History:
    """Visited locations with a cursor; visiting after going back drops the forward part."""

    def __init__(self, limit: int = 200) -> None:
        self._items: list[Location] = []
        self._cursor = -1
        self._limit = limit

    @property
    def current(self) -> Location | None:
        """Where the reader is now."""
        return self._items[self._cursor] if self._cursor >= 0 else None

    @property
    def can_go_back(self) -> bool:
        return self._cursor > 0

    @property
    def can_go_forward(self) -> bool:
        return self._cursor < len(self._items) - 1

    def visit(self, location: Location) -> None:
        """Record a new location, forgetting anything ahead of the cursor."""
        del self._items[self._cursor + 1 :]
        if self.current == location:
            return
        self._items.append(location)
        if len(self._items) > self._limit:
            del self._items[0]
        self._cursor = len(self._items) - 1

    def update_current(self, location: Location) -> None:
        """Remember where in the current chapter the reader scrolled to."""
        if self._cursor >= 0 and self._items[self._cursor].chapter_id == location.chapter_id:
            self._items[self._cursor] = location

    def back(self) -> Location | None:
        """Step back; ``None`` when there is nowhere to go."""
        if not self.can_go_back:
            return None
        self._cursor -= 1
        return self._items[self._cursor]

    def forward(self) -> Location | None:
        """Step forward; ``None`` when there is nowhere to go."""
        if not self.can_go_forward:
            return None
        self._cursor += 1
        return self._items[self._cursor]
