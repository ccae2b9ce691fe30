"""A TextArea that survives being drawn in the frame after it was removed.

Textual 8.2 clears a widget's component styles when it is removed, but the
compositor may still draw it once more from the previous frame's map (an
exercise step's input is replaced on Ctrl+N while a timer refreshes the
screen). ``TextArea.render_lines`` then looks up ``text-area--gutter`` and
raises ``KeyError``, which stops the app (textual issues 6208 and 6528). A
box with no component styles has nothing worth drawing: it draws blank lines
and is repainted properly once its styles are back.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea

__all__ = ["TextBox"]


class TextBox(TextArea):
    """A :class:`~textual.widgets.TextArea` safe to draw while it is being removed or restyled."""

    def render_lines(self, crop: Region) -> list[Strip]:
        if "text-area--gutter" not in self._component_styles:
            return [Strip.blank(crop.width) for _ in range(crop.height)]
        return super().render_lines(crop)
