"""The presenter theme: every text colour used while presenting is high contrast on its background."""

from __future__ import annotations

import pytest
from textual.color import Color

from peeragogy_tui.tui.presenting import PRESENT_THEME


def variables() -> dict[str, str]:
    """The theme's CSS variables as the app computes them (``App.get_css_variables``)."""
    return {**PRESENT_THEME.to_color_system().generate(), **PRESENT_THEME.variables}


def luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two opaque colours."""
    fg, bg = Color.parse(foreground), Color.parse(background)
    assert fg.a == 1 and bg.a == 1, (foreground, background)
    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


PAIRS = [
    # DocumentView: body text, headings, the H1 band, links, inline code, quotes and rules, H3
    ("foreground", "surface"),
    ("accent", "surface"),
    ("accent", "boost"),
    ("foreground", "boost"),
    ("text-primary", "surface"),
    ("text-warning", "boost"),
    ("text-muted", "surface"),
    ("secondary", "surface"),
    # presenter header, exercise screen (prompt, hint, digits), toggle buttons, lists, buttons
    ("foreground", "background"),
    ("accent", "background"),
    ("text-muted", "background"),
    ("text-success", "panel"),
    ("foreground", "panel"),
    ("block-cursor-foreground", "block-cursor-background"),
    ("background", "primary"),
]


@pytest.mark.parametrize(("foreground", "background"), PAIRS, ids=[f"{f}-on-{b}" for f, b in PAIRS])
def test_text_reaches_wcag_aaa_contrast(foreground, background):
    colors = variables()
    assert contrast(colors[foreground], colors[background]) >= 7.0


def test_contrast_measure_is_right():
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_the_theme_is_dark_with_one_accent():
    colors = variables()
    assert luminance(Color.parse(colors["background"])) < 0.01
    assert colors["foreground"].upper() == "#FFFFFF"
    assert Color.parse(colors["primary"]) == Color.parse(colors["accent"])
