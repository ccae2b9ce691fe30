"""The reader's bookmark and progress actions (m, ' and P), kept out of the main screen's module.

:class:`ReaderMarks` is mixed into :class:`~peeragogy_tui.tui.screens.main.MainScreen`;
it needs the screen's ``handbook``, ``chapter``, ``document_view``,
``open_chapter`` and ``reading`` (a :class:`~peeragogy_tui.tui.reading_tracker.ReadingTracker`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.errors import PeeragogyError

if TYPE_CHECKING:
    from peeragogy_tui.core.store.reading import Bookmark, ReadingStore

__all__ = ["MARK_BINDINGS", "ReaderMarks"]

MARK_BINDINGS = [
    Binding("m", "bookmark", "Bookmark", show=False, tooltip="Bookmark this place, with an optional note"),
    Binding("apostrophe", "bookmarks", "Bookmarks", key_display="'", show=False, tooltip="Your bookmarks: jump back to one"),
    Binding("P", "progress", "Progress", show=False, tooltip="Your progress: chapters read, exercises done, answers per week"),
]


class ReaderMarks:
    """Bookmarks and the progress view for the reader."""

    def reading_store(self: Any) -> ReadingStore | None:
        """The bookmarks and reading log, on the app's answer store (``None`` if it cannot be opened)."""
        store = self.app.store
        if store is None:
            return None
        from peeragogy_tui.core.store.reading import ReadingStore

        return ReadingStore(store.db)

    def action_bookmark(self: Any) -> None:
        chapter, view = self.chapter, self.document_view
        if chapter is None:
            return
        block, line = view.top_block, round(view.scroll_y)
        title = strip_control(chapter.title).replace("\n", " ")

        def save(note: str | None) -> None:
            if note is None:
                return
            store = self.reading_store()
            if store is None:
                return
            try:
                store.add_bookmark(self.reading.handbook_key, chapter.id, chapter.title, block=block, line=line, note=note)
            except PeeragogyError as error:
                self.notify(str(error), title="Could not save the bookmark", severity="error")
                return
            self.notify(f"Bookmarked {title}, line {line + 1}. ' lists your bookmarks.", timeout=3)

        from peeragogy_tui.tui.dialogs.bookmark_note import BookmarkNoteDialog

        self.app.push_screen(BookmarkNoteDialog(f"{title}, line {line + 1}"), save)

    def action_bookmarks(self: Any) -> None:
        store = self.reading_store()
        if store is None:
            return
        try:
            marks = store.bookmarks(self.reading.handbook_key)
        except PeeragogyError as error:
            self.notify(str(error), title="Could not read your bookmarks", severity="error")
            return

        def delete(mark: Bookmark) -> bool:
            try:
                return bool(store.delete_bookmark(mark.id))
            except PeeragogyError as error:
                self.notify(str(error), title="Could not delete the bookmark", severity="error")
                return False

        def jump(mark: Bookmark | None) -> None:
            if mark is None:
                return
            if self.handbook.get(mark.chapter_id) is None:
                self.notify(f"The chapter '{strip_control(mark.chapter_id)}' is no longer in this handbook.", severity="warning")
                return
            self.open_chapter(mark.chapter_id, block=mark.block)
            self.document_view.focus()

        from peeragogy_tui.tui.screens.bookmarks import BookmarksScreen

        self.app.push_screen(BookmarksScreen(marks, delete), jump)

    def action_progress(self: Any) -> None:
        from peeragogy_tui.core.progress import collect_progress
        from peeragogy_tui.tui.screens.progress import ProgressScreen

        self.reading.flush(self.app.saves)  # every save so far, then what was read since, written in order
        answers = self.app.store
        store = self.reading_store()
        try:
            statuses = answers.statuses() if answers is not None else {}
            report = collect_progress(self.handbook, self.app.exercises.exercises, store, statuses, today=date.today())
        except PeeragogyError as error:
            self.notify(str(error), title="Could not read your progress", severity="error")
            return
        self.app.push_screen(ProgressScreen(report, _handbook_name(self.reading.handbook_key, self.handbook)))


def _handbook_name(key: str, handbook: Any) -> str:
    from peeragogy_tui.core.handbook.identity import BUNDLED

    if key.startswith(f"{BUNDLED}#"):
        return f"the Peeragogy Handbook ({handbook.lang})"
    return f"{strip_control(handbook.root.name)} ({handbook.lang})"
