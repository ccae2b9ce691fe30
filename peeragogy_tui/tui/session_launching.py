"""Facilitated sessions from the app: open one on start or by id, or start one with a roster.

:class:`SessionLaunch` is what ``peeragogy session start/attach/resume/serve``
hand to the app; :class:`SessionLaunching` is a mixin of
:class:`~peeragogy_tui.tui.app.PeeragogyApp`, kept apart so the app module
stays the shell. The session screen and its dialogs are imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from peeragogy_tui.errors import PeeragogyError

if TYPE_CHECKING:
    from peeragogy_tui.core.exercises import ExerciseSet
    from peeragogy_tui.core.sessions import SessionStore

__all__ = ["SessionLaunch", "SessionLaunching"]


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


class SessionLaunching:
    """``open_session`` and ``start_session`` (the app provides the stores and exercises)."""

    _session_launch: SessionLaunch | None
    notify: Callable[..., None]
    push_screen: Callable[..., Any]

    if TYPE_CHECKING:  # provided by the app (StoreAccess, ExerciseNavigation)

        @property
        def session_store(self) -> SessionStore: ...

        @property
        def exercises(self) -> ExerciseSet: ...

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
