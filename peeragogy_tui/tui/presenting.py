"""Presenter mode, the Textual part: the high-contrast theme and the state every screen follows.

The state itself lives on the app (``PeeragogyApp.presenting`` and ``.zoom``).
The app sets the CSS class ``-presenting`` on itself, so ``app.tcss`` hides the
tree and the chrome, and it publishes a :class:`Presentation` on
``app.presentation_signal`` whenever either value changes, so a screen or
widget that lays itself out (the reader, the exercise screen) can follow.
The column width and spacing per zoom step come from the pure
:mod:`peeragogy_tui.core.render.present`.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.theme import Theme

__all__ = ["PRESENT_THEME", "Presentation"]


class Presentation(NamedTuple):
    """What ``presentation_signal`` carries: presenter mode on or off, and the zoom step."""

    presenting: bool
    zoom: int


PRESENT_THEME = Theme(
    name="peeragogy-present",
    primary="#ffd700",
    secondary="#ffffff",
    accent="#ffd700",
    warning="#ffb454",
    error="#ff8a8a",
    success="#7ee787",
    foreground="#ffffff",
    background="#0a0a0a",
    surface="#0a0a0a",
    panel="#1c1c1c",
    boost="#262626",
    dark=True,
    variables={
        # Textual derives some of these by blending, which lowers contrast; they are set outright.
        "boost": "#262626",
        "text-muted": "#d7d7d7",
        "text-primary": "#ffd700",
        "text-accent": "#ffd700",
        "text-secondary": "#ffffff",
        "text-warning": "#ffd700",
        "text-error": "#ff8a8a",
        "text-success": "#7ee787",
        "foreground-muted": "#d7d7d7",
        "border": "#ffd700",
        "block-cursor-foreground": "#0a0a0a",
        "block-cursor-background": "#ffd700",
        "block-cursor-text-style": "bold",
    },
)
"""Near-black background, white text, one strong accent (gold). Every text colour
reaches at least 7:1 contrast on the backgrounds it is used on (a unit test checks),
and nothing depends on colour alone: headings are capitals and rules, links are
underlined and followed by an arrow, emphasis is bold or italic."""
