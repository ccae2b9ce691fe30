"""The Textual app and its factory (the CLI and the tests both build it here)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.signal import Signal

from peeragogy_tui.core.handbook import Handbook
from peeragogy_tui.core.render.present import ZOOM_DEFAULT, clamp_zoom
from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.errors import PeeragogyError
from peeragogy_tui.tui.commands import ChapterCommands
from peeragogy_tui.tui.crash_handling import CrashHandling
from peeragogy_tui.tui.exercise_navigation import ExerciseNavigation
from peeragogy_tui.tui.key_hold import hold_key
from peeragogy_tui.tui.presenting import PRESENT_THEME, Presentation
from peeragogy_tui.tui.save_thread import SaveThread
from peeragogy_tui.tui.screens.main import MainScreen
from peeragogy_tui.tui.search_access import SearchAccess
from peeragogy_tui.tui.session_launching import SessionLaunch, SessionLaunching
from peeragogy_tui.tui.store_access import StoreAccess
from peeragogy_tui.tui.widgets.document_view import DocumentView

if TYPE_CHECKING:
    from textual.screen import Screen

    from peeragogy_tui.core.exercises import ExerciseSet
    from peeragogy_tui.core.handbook.watch import HandbookSource
    from peeragogy_tui.core.search import SearchIndex
    from peeragogy_tui.core.sessions import SessionStore
    from peeragogy_tui.core.store import AnswerStore
    from peeragogy_tui.tui.live_reload import LiveReload

__all__ = ["PeeragogyApp", "SessionLaunch", "create_app"]


class PeeragogyApp(CrashHandling, StoreAccess, SearchAccess, ExerciseNavigation, SessionLaunching, App[None]):
    """The handbook reader.

    The shell: screens, keys, presenter mode, start-up and shutdown. The
    mixins (one module each) own the crash handler, the answer and session
    stores, the search index, exercise navigation and session launching.
    """

    CSS_PATH = "app.tcss"
    TITLE = "Peeragogy"
    COMMANDS = App.COMMANDS | {ChapterCommands}
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("f5", "toggle_presenting", "Present", show=False, tooltip="Presenter mode for a shared screen: big text, no tree, high contrast"),
        Binding("plus,equals_sign", "zoom(1)", "Zoom in", key_display="+", tooltip="Presenter mode: zoom in (narrower text, more space)"),
        Binding("minus", "zoom(-1)", "Zoom out", key_display="-", tooltip="Presenter mode: zoom out (wider text, less space)"),
    ]
    """Keys that work on every screen (the zoom keys only while presenting)."""

    presenting: reactive[bool] = reactive(False, init=False)
    """Presenter mode: high-contrast theme, no tree or chrome, a centred column, big headings.

    The app carries the CSS class ``-presenting`` meanwhile, and every change of
    this or :attr:`zoom` is published on ``presentation_signal`` as a
    :class:`~peeragogy_tui.tui.presenting.Presentation`.
    """

    zoom: reactive[int] = reactive(ZOOM_DEFAULT, init=False)
    """Presenter zoom step, ``ZOOM_MIN`` (-2, widest text) to ``ZOOM_MAX`` (3, narrowest text, most space); 0 to start."""

    def __init__(
        self,
        handbook: Handbook,
        *,
        exercises: ExerciseSet | None = None,
        exercises_dir: Path | None = None,
        start: str | None = None,
        restore: bool = True,
        present: bool = False,
        session: SessionLaunch | None = None,
        live_reload: HandbookSource | None = None,
    ) -> None:
        super().__init__()
        self.register_theme(PRESENT_THEME)
        self.presentation_signal: Signal[Presentation] = Signal(self, "presentation")
        """Published whenever :attr:`presenting` or :attr:`zoom` changes."""
        self._theme_before_presenting: str | None = None
        if present:
            self.set_reactive(PeeragogyApp.presenting, True)
            self._apply_presenting()
        self.handbook = handbook
        self._exercises = exercises
        self._exercises_dir = exercises_dir
        self._start = start
        self._restore = restore
        self._store: AnswerStore | None = None
        self._store_error: PeeragogyError | None = None
        self._store_lock = threading.Lock()
        self._search_index: SearchIndex | None = None
        self.search_build_progress: tuple[int, int, float] | None = None
        """``(files done, files in all, monotonic start)`` while a first index build runs, else ``None``."""
        self._search_lock = threading.Lock()
        self._session_launch = session
        self._session_store: SessionStore | None = None
        self._remove_exit_signals: Callable[[], None] | None = None
        self._live_source = live_reload
        self.live_reload: LiveReload | None = None
        """The handbook folder's watcher, once started (only with ``live_reload``)."""
        self.saves = SaveThread(on_crash=self._save_crashed)
        """Where the reader's position and reading log are written, off the app's thread."""

    def on_mount(self) -> None:
        if not self.is_headless:
            from peeragogy_tui.tui.exit_signals import install_exit_signals

            self._remove_exit_signals = install_exit_signals(self, self.save_for_exit)
        if self._session_launch is not None:
            launch = self._session_launch
            self.open_session(
                launch.session_id, role=launch.role, sound=launch.sound, join_base=launch.join_base, lan=launch.lan
            )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast (widgets' ``notify`` comes here too) is sanitised: control sequences and
        bidi overrides stripped from message and title, and never markup (``Widget.notify``
        passes ``markup=True`` by default, so the argument cannot tell a caller's intent)."""
        del markup
        super().notify(
            strip_control(str(message)), title=strip_control(str(title)), severity=severity, timeout=timeout, markup=False
        )

    def on_ready(self) -> None:
        """After the first frame (Textual's ``Ready``): GC back on, then exercises load in a thread.

        Not earlier: a loader thread importing pydantic competes with the first
        frame for the GIL, and a ``call_after_refresh`` from ``on_mount`` runs
        only after several frames.
        """
        from peeragogy_tui.core.collector import keep_out_of_collections, resume_collections

        keep_out_of_collections(young_first=False)  # start-up objects live for the whole session
        resume_collections()
        if self._exercises is None and self._exercises_dir is not None:
            self.run_worker(self._load_exercises, thread=True, exclusive=True, group="exercises")
        if self._live_source is not None and self.live_reload is None:
            from peeragogy_tui.tui.live_reload import LiveReload

            self.live_reload = LiveReload(self, self._live_source)
            self.live_reload.start()
            self.live_reload.settle(self.handbook)  # from the tree snapshot: load the real one now

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

    # ------------------------------------------------------------ presenting

    def action_toggle_presenting(self) -> None:
        self.presenting = not self.presenting
        if self.presenting:
            self.notify("F5 leaves presenter mode; + and - zoom.", title="Presenter mode", timeout=4)

    def action_zoom(self, step: int) -> None:
        zoom = clamp_zoom(self.zoom + step)
        if zoom == self.zoom:
            self.notify(f"Zoom is already at its {'largest' if step > 0 else 'smallest'}.", timeout=2)
        self.zoom = zoom

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "zoom":
            return self.presenting  # + and - are free for other uses when not presenting
        return True

    def _apply_presenting(self) -> None:
        """The theme and the ``-presenting`` class follow :attr:`presenting`; the theme before is restored."""
        self.set_class(self.presenting, "-presenting")
        if self.presenting and self.theme != PRESENT_THEME.name:
            self._theme_before_presenting = self.theme
            self.theme = PRESENT_THEME.name
        elif not self.presenting and self._theme_before_presenting is not None:
            self.theme = self._theme_before_presenting
            self._theme_before_presenting = None

    def watch_presenting(self, presenting: bool) -> None:
        self._apply_presenting()
        self.presentation_signal.publish(Presentation(presenting, self.zoom))
        self.refresh_bindings()
        if presenting and self.screen_stack and self.screen is self.screen_stack[0]:
            self.main_screen.document_view.focus()  # the tree is about to disappear

    def watch_zoom(self, zoom: int) -> None:
        self.presentation_signal.publish(Presentation(self.presenting, zoom))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Presenter mode" if not self.presenting else "Leave presenter mode",
            "Big text and high contrast for a shared screen (F5)",
            self.action_toggle_presenting,
        )
        if isinstance(screen, MainScreen):
            yield SystemCommand("Bookmarks", "Jump back to a place you marked (')", screen.action_bookmarks)
            yield SystemCommand("Bookmark this place", "Mark where you are, with an optional note (m)", screen.action_bookmark)
            yield SystemCommand("Progress", "Chapters read, exercises done, answers per week (P)", screen.action_progress)

    def action_help(self) -> None:
        from peeragogy_tui.tui.screens.help import HelpScreen  # not needed before the first frame

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
        sections = [
            ("Reading", list(DocumentView.BINDINGS)),
            ("Chapters, history and panes", list(MainScreen.BINDINGS)),
            ("Chapter tree", tree),
            ("Everywhere", everywhere),
        ]
        if not isinstance(self.screen, MainScreen) and self.screen.BINDINGS:
            # On another screen (a session, an exercise), its own keys come first.
            name = self.screen.__class__.__name__.removesuffix("Screen")
            sections.insert(0, (f"This screen: {name}", list(self.screen.BINDINGS)))
        self.push_screen(HelpScreen(sections))

    async def on_event(self, event: events.Event) -> None:
        # A screen rebuilding its input keeps raw keys until it is ready (tui/key_hold.py).
        if isinstance(event, events.Key) and await hold_key(self, event):
            return
        await super().on_event(event)

    def save_for_exit(self) -> None:
        """Write every draft on screen and the reading position (before quitting, or on SIGHUP/SIGTERM)."""
        from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen

        for screen in self.screen_stack:
            if isinstance(screen, ExerciseScreen):
                screen.save_draft()
        if self.screen_stack and isinstance(self.screen_stack[0], MainScreen):
            self.main_screen._save_position()
        self.saves.drain()

    def _save_crashed(self, error: BaseException) -> None:
        """A save failed in a way it did not handle (a bug): log it, say so, and keep reading (save thread)."""
        from peeragogy_tui.crash_log import crash_message, record_crash

        message = crash_message(error, record_crash(error, where="saving the reading position"))
        self.call_later(self.notify, message, title="Could not save your place", severity="error", timeout=15)

    async def action_quit(self) -> None:
        self.save_for_exit()
        self.exit()

    def on_unmount(self) -> None:
        if self._remove_exit_signals is not None:
            self._remove_exit_signals()
        self.saves.close()  # before the stores close: the last save may still be writing to them
        if self._store is not None:
            self._store.close()
        if self.live_reload is not None:
            self.live_reload.stop()
        if self._search_index is not None:
            self._search_index.close()
        if self._session_store is not None:
            self._session_store.close()


def create_app(
    handbook: Handbook,
    *,
    exercises: ExerciseSet | None = None,
    exercises_dir: Path | None = None,
    start: str | None = None,
    restore: bool = True,
    present: bool = False,
    session: SessionLaunch | None = None,
    live_reload: HandbookSource | None = None,
) -> PeeragogyApp:
    """Build the app for ``handbook`` and its exercises (loaded, or a folder to load them from later).

    ``present`` starts in presenter mode (``peeragogy --present``). ``live_reload``
    (where the handbook came from) watches its folder once the first frame is
    shown; without it no watcher runs (the tests' default).
    """
    return PeeragogyApp(
        handbook,
        exercises=exercises,
        exercises_dir=exercises_dir,
        start=start,
        restore=restore,
        present=present,
        session=session,
        live_reload=live_reload,
    )
