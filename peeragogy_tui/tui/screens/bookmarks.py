"""The bookmarks list: Enter jumps back to a place, d deletes one (after asking)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.store.reading import Bookmark

__all__ = ["BookmarksScreen", "bookmark_label"]


def _local(stamp: str) -> str:
    """``2026-12-02T15:48:00+00:00`` as local time, ``2026-12-02 16:48``."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp[:16]


def bookmark_label(mark: Bookmark) -> Text:
    """``Title · line 41 · 2 Dec 15:48`` and the note below, as plain text (never markup)."""
    title = strip_control(mark.chapter_title).replace("\n", " ")
    label = Text(title, style="bold")
    label.append(f" · line {mark.line + 1} · {_local(mark.created_at)}")
    note = strip_control(mark.note).replace("\n", " ")
    if note:
        label.append("\n  " + note)
    return label


class BookmarksScreen(ModalScreen[Bookmark | None]):
    """Dismisses with the bookmark to jump to, or ``None``. ``delete`` is called for d."""

    DEFAULT_CSS = """
    BookmarksScreen { align: center middle; }
    BookmarksScreen > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    BookmarksScreen Label { width: 1fr; }
    BookmarksScreen #title { text-style: bold; padding: 0 0 1 0; }
    BookmarksScreen #keys { color: $text-muted; padding: 1 0 0 0; }
    BookmarksScreen OptionList { height: auto; max-height: 18; border: none; }
    """

    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("d,delete", "delete", "Delete"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    def __init__(self, bookmarks: list[Bookmark], delete) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self._marks = list(bookmarks)
        self._delete = delete

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(f"Bookmarks in this handbook ({len(self._marks)})"), id="title")
            yield OptionList(*[Option(bookmark_label(mark)) for mark in self._marks])
            yield Label(
                Content("Enter jumps there · d deletes · Esc closes"
                        if self._marks else "No bookmarks yet: press m in the reader to mark your place."),
                id="keys",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self._marks:
            options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._marks[event.option_index])

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None or not self._marks:
            return
        mark = self._marks[index]

        def answer(yes: bool | None) -> None:
            if yes and self._delete(mark):
                del self._marks[index]
                options.remove_option_at_index(index)
                self.query_one("#title", Label).update(Content(f"Bookmarks in this handbook ({len(self._marks)})"))

        from peeragogy_tui.tui.dialogs import ConfirmDialog

        title = strip_control(mark.chapter_title).replace("\n", " ")
        self.app.push_screen(ConfirmDialog("Delete this bookmark?", f"{title}, line {mark.line + 1}"), answer)
