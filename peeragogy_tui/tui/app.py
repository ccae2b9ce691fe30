"""The Textual app and its factory (the CLI and the tests both build it here)."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from peeragogy_tui.core.handbook import Handbook
from peeragogy_tui.tui.commands import ChapterCommands
from peeragogy_tui.tui.screens.help import HelpScreen
from peeragogy_tui.tui.screens.main import MainScreen
from peeragogy_tui.tui.widgets.document_view import DocumentView

__all__ = ["PeeragogyApp", "create_app"]


class PeeragogyApp(App[None]):
    """The handbook reader."""

    CSS_PATH = "app.tcss"
    TITLE = "Peeragogy"
    COMMANDS = App.COMMANDS | {ChapterCommands}
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]
    """Keys that work on every screen."""

    def __init__(self, handbook: Handbook, *, start: str | None = None, restore: bool = True) -> None:
        super().__init__()
        self.handbook = handbook
        self._start = start
        self._restore = restore

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.handbook, start=self._start, restore=self._restore)

    @property
    def main_screen(self) -> MainScreen:
        """The reader screen at the bottom of the stack."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def open_chapter(self, chapter_id: str) -> None:
        """Open a chapter in the reader (used by the command palette)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.main_screen.open_chapter(chapter_id)
        self.main_screen.document_view.focus()

    def open_exercise(self, exercise_id: str) -> None:
        """Open an exercise; replaced by the exercise screens when they are installed."""
        self.notify(f"Exercise '{exercise_id}': run it with  peeragogy exercise run {exercise_id}")

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        everywhere = list(self.BINDINGS) + [
            Binding("ctrl+p", "command_palette", "Command palette: jump to a chapter by title, change theme"),
            Binding("tab", "focus_next", "Move focus between the tree and the reader"),
        ]
        tree = [
            Binding("up,down", "", "Move in the tree (when it has focus)"),
            Binding("enter", "", "Open the chapter under the cursor"),
        ]
        self.push_screen(
            HelpScreen(
                [
                    ("Reading", list(DocumentView.BINDINGS)),
                    ("Chapters, history and panes", list(MainScreen.BINDINGS)),
                    ("Chapter tree", tree),
                    ("Everywhere", everywhere),
                ]
            )
        )

    async def action_quit(self) -> None:
        if self.screen_stack and isinstance(self.screen_stack[0], MainScreen):
            self.main_screen._save_position()
        self.exit()


def create_app(handbook: Handbook, *, start: str | None = None, restore: bool = True) -> PeeragogyApp:
    """Build the app for ``handbook``, optionally opening ``start`` (id, path or permalink)."""
    return PeeragogyApp(handbook, start=start, restore=restore)
