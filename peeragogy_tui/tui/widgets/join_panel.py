"""How people join from a browser: the link, a QR code for phones, and how many have joined.

The QR code is drawn as half-block text in fixed black on white (not theme
colours: a phone camera needs dark modules on a light ground, whatever the
terminal's theme). ``j`` on the session screen hides or shows it.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from peeragogy_tui.core.sanitize import strip_control

__all__ = ["JoinPanel"]


class JoinPanel(Static):
    """The join link, a QR code of it, and the number of people who joined."""

    DEFAULT_CSS = """
    JoinPanel { height: auto; margin-top: 1; padding: 0 1; border: round $accent 50%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.url = ""
        """The join link shown now (tests read it)."""
        self.joined = 0
        self.show_qr = True
        self._shown: tuple[str, int, bool, bool] | None = None

    def show(self, url: str, joined: int, *, lan: bool = False) -> None:
        """Draw the link ``url`` and the count; redraws only when something changed."""
        key = (url, joined, self.show_qr, lan)
        if key == self._shown:
            return
        self._shown, self.url, self.joined = key, url, joined
        from peeragogy_tui.web.qr import qr_lines

        text = Text()
        text.append("Join from a browser: ", style="bold")
        text.append(strip_control(url), style="underline")
        people = "nobody yet" if joined == 0 else f"{joined} joined"
        text.append(f"\n{people}", style="bold")
        if lan:
            text.append("  ·  plain HTTP on this network (no TLS)", style="italic")
        if self.show_qr:
            text.append("\n")
            text.append("\n".join(qr_lines(url)), style="#000000 on #ffffff")
            text.append("\nj hides the code", style="dim")
        else:
            text.append("  ·  j shows the QR code", style="dim")
        self.update(text)

    def toggle_qr(self) -> None:
        """Hide or show the QR code."""
        self.show_qr = not self.show_qr
        if self._shown is not None:
            url, joined, _qr, lan = self._shown
            self._shown = None
            self.show(url, joined, lan=lan)
