"""The header shown in presenter mode: "chapter 3 of 16" in large digits, then the title.

Numbers that matter to a group on a call (which chapter, which step) are drawn
with Textual's ``Digits`` so they read across a shared screen. Whether the
header shows is up to the app stylesheet (``#present-header`` shows only while
the app has the class ``-presenting``); this widget only draws itself.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Digits, Static

from peeragogy_tui.core.sanitize import strip_control

__all__ = ["PresenterHeader"]


class PresenterHeader(Horizontal):
    """``KIND  N  of  M   Title``, with N and M in large digits."""

    DEFAULT_CSS = """
    PresenterHeader {
        height: 4;
        padding: 0 2;
        border-bottom: heavy $accent;
    }
    PresenterHeader > Static { height: 3; width: auto; content-align: left middle; padding: 0 1; }
    PresenterHeader > .present-kind { text-style: bold; color: $foreground; }
    PresenterHeader > Digits { width: auto; }
    PresenterHeader > .present-number { text-style: bold; color: $accent; }
    PresenterHeader > .present-of { color: $foreground; }
    PresenterHeader > .present-title {
        width: 1fr; content-align: right middle; text-style: bold; color: $foreground;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, *, kind: str = "chapter", id: str | None = None) -> None:
        super().__init__(id=id)
        self._kind = kind
        self._waiting: tuple[int, int, str] | None = None
        """What :meth:`show` was asked to show before the header had its children (just mounted)."""

    def on_mount(self) -> None:
        if self._waiting is not None:
            self.show(*self._waiting)

    def compose(self) -> ComposeResult:
        yield Static(self._kind.upper(), classes="present-kind")
        yield Digits("", classes="present-number")
        yield Static("of", classes="present-of")
        yield Digits("", classes="present-total")
        yield Static("", classes="present-title")

    def show(self, number: int, total: int, title: str, *, kind: str | None = None) -> None:
        """Show ``number`` of ``total`` and ``title`` (untrusted text: never markup)."""
        if not self.children:  # mounted a moment ago and not composed yet: shown once it is (on_mount)
            self._waiting = (number, total, title)
            if kind is not None:
                self._kind = kind
            return
        if kind is not None:
            self._kind = kind
            self.query_one(".present-kind", Static).update(kind.upper())
        self.query_one(".present-number", Digits).update(str(number))
        self.query_one(".present-total", Digits).update(str(total))
        # Not step_input.safe: that module imports pydantic, and this header is on the start-up path.
        self.query_one(".present-title", Static).update(Content(strip_control(title)))
