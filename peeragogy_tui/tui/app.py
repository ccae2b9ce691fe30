"""The Textual app and its factory (the CLI and the tests both build it here)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.binding import Binding
from textual.reactive import reactive
from textual.signal import Signal

from peeragogy_tui.core.handbook import Handbook
from peeragogy_tui.core.render.present import ZOOM_DEFAULT, clamp_zoom
from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.errors import PeeragogyError
from peeragogy_tui.tui.commands import ChapterCommands
from peeragogy_tui.tui.key_hold import hold_key
from peeragogy_tui.tui.presenting import PRESENT_THEME, Presentation
from peeragogy_tui.tui.screens.main import MainScreen
from peeragogy_tui.tui.widgets.document_view import DocumentView

if TYPE_CHECKING:
    from textual.screen import Screen

    from peeragogy_tui.core.exercises import Exercise, ExerciseSet
    from peeragogy_tui.core.handbook.watch import HandbookSource
    from peeragogy_tui.core.search import SearchIndex
    from peeragogy_tui.core.sessions import SessionStore
    from peeragogy_tui.core.store import AnswerStore, ClaimHolder, StoredRun
    from peeragogy_tui.core.store.salvage import SalvageReport
    from peeragogy_tui.tui.live_reload import LiveReload

__all__ = ["PeeragogyApp", "SessionLaunch", "create_app"]


@dataclass(frozen=True)
class SessionLaunch:
    """Open this facilitated session on start (``peeragogy session start/attach/resume``)."""

    session_id: int
    role: str = "shared"
    """``shared`` (for the screen everyone sees) or ``facilitator`` (notes and private entries)."""
    sound: bool = False
    """Ring the terminal bell when a step's time is up."""
    clock: Callable[[], datetime] | None = None
    """Tests pass a fake clock; ``None`` is the wall clock."""
    join_base: str | None = None
    """``http://host:port`` while ``peeragogy session serve`` serves the session to browsers."""
    lan: bool = False
    """The server listens on the local network (the screen says there is no TLS)."""


class PeeragogyApp(App[None]):
    """The handbook reader."""

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

    @property
    def exercises(self) -> ExerciseSet:
        """The exercises, loaded on first use (pydantic is too slow an import for startup)."""
        if self._exercises is None:
            from peeragogy_tui.core.exercises import ExerciseSet, load_exercises

            try:
                loaded = load_exercises(self._exercises_dir, self.handbook.lang) if self._exercises_dir else ExerciseSet()
            except PeeragogyError as error:
                self.notify(str(error), title="Exercises not loaded", severity="error")
                loaded = ExerciseSet()
            self._exercises = loaded
        return self._exercises

    def exercises_for(self, chapter_id: str) -> list[Exercise]:
        """This chapter's exercises, or none while they are still loading."""
        return self._exercises.for_chapter(chapter_id) if self._exercises is not None else []

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: traceback to ``crash.log``, one paragraph on screen, exit code 2.

        Replaces Textual's handler, which prints a Rich traceback with every
        local variable (rows of answers included) and leaves the process to
        exit 0. Under Pilot the error is still re-raised to the test. This
        overrides a private Textual method (8.x);
        ``tests/fault/test_no_traceback.py`` fails if that ever stops working.
        """
        from rich.text import Text

        from peeragogy_tui.crash_log import crash_message, record_crash

        log = record_crash(error, where="reader")
        self._return_code = 2
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._exit_renderables.append(
            Text("peeragogy: error: " + strip_control(crash_message(error, log)))
        )
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        if not self.is_headless:
            from peeragogy_tui.tui.exit_signals import install_exit_signals

            self._remove_exit_signals = install_exit_signals(self, self.save_for_exit)
        if self._session_launch is not None:
            launch = self._session_launch
            self.open_session(
                launch.session_id, role=launch.role, sound=launch.sound, join_base=launch.join_base, lan=launch.lan
            )

    @property
    def session_store(self) -> SessionStore:
        """The session store (the answers file), opened on first use.

        Raises:
            PeeragogyError: the file cannot be opened.
        """
        if self._session_store is None:
            from peeragogy_tui.core.sessions import open_session_store

            clock = self._session_launch.clock if self._session_launch else None
            self._session_store = open_session_store(clock=clock)
            self._session_store.db.on_salvage = self._announce_salvage
        return self._session_store

    def open_session(
        self, session_id: int, *, role: str = "shared", sound: bool = False, join_base: str | None = None, lan: bool = False
    ) -> None:
        """Show a facilitated session over the reader (``role``: ``shared`` or ``facilitator``)."""
        from peeragogy_tui.tui.screens.session import SessionScreen

        try:
            store = self.session_store
            store.load(session_id)
        except PeeragogyError as error:
            self.notify(str(error), title="Session not opened", severity="error", timeout=10)
            return
        clock = self._session_launch.clock if self._session_launch else None
        screen = SessionScreen(store, session_id, role=role, clock=clock, sound=sound, join_base=join_base, lan=lan)  # type: ignore[arg-type]
        self.push_screen(screen)

    def start_session(self, exercise_id: str) -> None:
        """Ask who is here, then run ``exercise_id`` as a facilitated session (shared view)."""
        from peeragogy_tui.core.sessions import require_group_exercise, size_warning
        from peeragogy_tui.tui.dialogs.roster import RosterChange, RosterDialog

        exercise = self.exercises.get(exercise_id)
        if exercise is None:
            self.notify(f"No exercise '{exercise_id}'.", severity="error")
            return
        try:
            require_group_exercise(exercise, self.exercises.by_id.values())
        except PeeragogyError as error:
            self.notify(str(error), title="Session not started", severity="error", timeout=10)
            return

        def create(change: RosterChange | None) -> None:
            if change is None:
                return
            try:
                session_id = self.session_store.create(
                    exercise, participants=change.names, group_size=change.group_size
                )
            except PeeragogyError as error:
                self.notify(str(error), title="Session not started", severity="error", timeout=10)
                return
            self.open_session(session_id, role="shared")
            warning = size_warning(exercise, len(change.names))
            if warning:
                self.notify(warning, title="Group size", severity="warning", timeout=10)

        size = exercise.group_size
        suggested = 4 if size and size.max > 6 else None  # a café splits into tables; a circle stays one group
        self.push_screen(RosterDialog([], suggested, title=f"Run “{exercise.title}” with a group"), create)

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
        import gc

        gc.freeze()  # start-up objects live for the whole session: keep them out of later collections
        gc.enable()
        if self._exercises is None and self._exercises_dir is not None:
            self.run_worker(self._load_exercises, thread=True, exclusive=True, group="exercises")
        if self._live_source is not None and self.live_reload is None:
            from peeragogy_tui.tui.live_reload import LiveReload

            self.live_reload = LiveReload(self, self._live_source)
            self.live_reload.start()

    def _load_exercises(self) -> None:
        self.exercises  # noqa: B018 - loads them
        self.call_from_thread(self._exercises_loaded)

    def _exercises_loaded(self) -> None:
        if self.screen_stack and isinstance(self.screen_stack[0], MainScreen):
            self.main_screen._update_status()

    @property
    def store(self) -> AnswerStore | None:
        """The answer store, opened on first use; ``None`` (after telling the user) if it cannot be."""
        if self._store is None and self._store_error is None:
            from peeragogy_tui.core.store import open_store

            try:
                self._store = open_store()
            except PeeragogyError as error:
                self._store_error = error
                self.notify(
                    f"{strip_control(str(error))}\nAnswers cannot be saved until this is fixed.",
                    title="Answer store unavailable",
                    severity="error",
                    timeout=15,
                    markup=False,
                )
            else:
                self._store.db.on_salvage = self._announce_salvage
        return self._store

    def _announce_salvage(self, report: SalvageReport) -> None:
        """Tell the user that a damaged answers file was set aside and rebuilt (any thread)."""

        def show() -> None:
            self.notify(
                strip_control(report.message()),
                title="Answers database repaired",
                severity="warning",
                timeout=30,
                markup=False,
            )

        if threading.get_ident() == self._thread_id:
            show()
        else:
            self.call_from_thread(show)

    @property
    def store_error(self) -> PeeragogyError | None:
        """Why the answer store could not be opened, if it could not."""
        return self._store_error

    def reopen_store(self) -> AnswerStore | None:
        """Try once more to open the answer store (space was freed, say); quiet when it still fails."""
        if self._store is None:
            from peeragogy_tui.core.store import open_store

            try:
                self._store = open_store()
                self._store_error = None
            except PeeragogyError as error:
                self._store_error = error
            else:
                self._store.db.on_salvage = self._announce_salvage
        return self._store

    @property
    def open_search_index(self) -> SearchIndex | None:
        """The search index if it is open already (live reload refreshes it), else ``None``."""
        return self._search_index

    @property
    def search_index_ready(self) -> bool:
        """True once the search index is open (the first open may have to build it)."""
        return self._search_index is not None

    def search_index(self) -> SearchIndex:
        """The handbook's search index, opened (and built or refreshed) on first use.

        Call it from a worker thread: the first call reads every file.

        Raises:
            PeeragogyError: the index cannot be built or written.
        """
        with self._search_lock:
            if self._search_index is None:
                import time

                from peeragogy_tui.core.search import index_for

                started = time.monotonic()

                def progress(done: int, total: int) -> None:
                    self.search_build_progress = (done, total, started)

                try:
                    self._search_index = index_for(
                        self.handbook.root, self.handbook.lang or None, exercises_dir=self._exercises_dir,
                        progress=progress,
                    )
                finally:
                    self.search_build_progress = None
            return self._search_index

    def search_ticket(self) -> int | None:
        """The search index's :meth:`~peeragogy_tui.core.search.SearchIndex.ticket` (``None`` before it opens)."""
        return self._search_index.ticket() if self._search_index is not None else None

    def interrupt_search(self) -> None:
        """Stop a search query running in a worker thread (safe from the UI thread; never waits)."""
        if self._search_index is not None:
            self._search_index.interrupt()

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

    def show_exercises(self, chapter_id: str | None = None) -> None:
        """The exercise list, first showing those of ``chapter_id`` when it has any."""
        from peeragogy_tui.tui.screens.exercise_list import ExerciseListScreen

        if not self.exercises.exercises and not self.exercises.broken:
            self.notify("This handbook has no exercises.", timeout=3)
            return
        self.push_screen(ExerciseListScreen(self.exercises, self.handbook, chapter_id=chapter_id))

    def open_exercise(self, exercise_id: str) -> None:
        """Resume the exercise's unfinished run; with runs but none to continue, show the overview first.

        So following a link to a finished exercise never starts an empty run
        (nor turns it from done to in progress) on its own.
        """
        from peeragogy_tui.tui.dialogs.exercise_overview import ExerciseOverview, OverviewChoice
        from peeragogy_tui.tui.screens.exercise_run import ExerciseScreen

        exercise = self.exercises.get(exercise_id)
        if exercise is None:
            self.notify(f"No exercise '{exercise_id}' is loaded.", severity="error")
            return
        store = self.store
        runs: list[StoredRun] = []
        holders: dict[int, ClaimHolder] = {}
        if store is not None:
            try:
                runs = store.runs(exercise_id)
                for run in runs:
                    holder = store.claim_holder(run.id) if run.status != "done" else None
                    if holder is not None:
                        holders[run.id] = holder
            except PeeragogyError:
                runs = []  # the exercise screen reports the store's trouble
        if not runs or any(run.status != "done" and run.id not in holders for run in runs):
            self.push_screen(ExerciseScreen(exercise, store))
            return

        def chosen(choice: OverviewChoice | None) -> None:
            if choice is None:
                return
            if choice.kind == "new":
                self.push_screen(ExerciseScreen(exercise, store, new=True))
            else:
                self.review_exercise(exercise_id, run_id=choice.run_id)

        self.push_screen(ExerciseOverview(exercise.title, len(exercise.steps), runs, holders), chosen)

    def review_exercise(self, exercise_id: str, *, run_id: int | None = None, step_key: str | None = None) -> None:
        """Show every run of an exercise, newest first, or ``run_id`` scrolled to its answer ``step_key``."""
        from peeragogy_tui.tui.screens.review import ReviewScreen

        exercise = self.exercises.get(exercise_id)
        store = self.store
        try:
            runs = list(reversed(store.runs(exercise_id))) if store is not None else []
        except PeeragogyError as error:
            self.notify(strip_control(str(error)), title="Cannot read your answers", severity="error", markup=False)
            return
        self.push_screen(ReviewScreen(exercise.title if exercise else exercise_id, runs, run_id=run_id, step_key=step_key))

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

    async def action_quit(self) -> None:
        self.save_for_exit()
        self.exit()

    def on_unmount(self) -> None:
        if self._remove_exit_signals is not None:
            self._remove_exit_signals()
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
