"""A facilitated session: the agenda, a big countdown, groups, and the harvest.

Two views of the same live session:

* the **shared** view is what a group sees on a shared screen: the step, the
  countdown, the groups and the public harvest. Facilitator notes and private
  entries never appear in it.
* the **facilitator** view (``peeragogy session attach`` in a second
  terminal, or ``v`` here) adds the facilitator notes and every harvest entry,
  private ones marked.

All state lives in the session store. Every key writes one change there; a
poll every :data:`~peeragogy_tui.core.sessions.POLL_SECONDS` picks up changes
made by the other window, so both stay in step within a second.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from peeragogy_tui.core.sessions import POLL_SECONDS, SessionWatcher
from peeragogy_tui.errors import PeeragogyError
from peeragogy_tui.tui.screens.session_browsers import BrowserKeys
from peeragogy_tui.tui.screens.session_harvest import HarvestKeys
from peeragogy_tui.tui.session_text import (
    agenda_text,
    clean,
    entry_line,
    groups_text,
    step_label,
    unwrap,
)
from peeragogy_tui.tui.widgets.join_panel import JoinPanel
from peeragogy_tui.tui.widgets.key_footer import KeyFooter
from peeragogy_tui.tui.widgets.session_clock import SessionClock

if TYPE_CHECKING:
    from peeragogy_tui.core.sessions import SessionState, SessionStore, StepRecord
    from peeragogy_tui.tui.dialogs.roster import RosterChange

__all__ = ["SessionScreen"]

Role = Literal["shared", "facilitator"]
Clock = Callable[[], datetime]

def _utc_now() -> datetime:
    return datetime.now(UTC)


class SessionScreen(HarvestKeys, BrowserKeys, Screen[None]):
    """Runs one session; ``role`` picks the shared or the facilitator view."""

    DEFAULT_CSS = """
    SessionScreen { layout: vertical; }
    SessionScreen #session-title { height: 1; padding: 0 2; background: $primary 20%; text-style: bold; }
    SessionScreen #session-body { height: 1fr; }
    SessionScreen #agenda { width: 30; height: 1fr; border-right: vkey $primary 30%; padding: 1 1; background: $panel; }
    SessionScreen #stage { width: 1fr; padding: 1 2; }
    SessionScreen #step-heading { text-style: bold; color: $accent; }
    SessionScreen #step-prompt { margin-bottom: 1; }
    SessionScreen #groups { margin-top: 1; }
    SessionScreen #public-harvest { margin-top: 1; }
    SessionScreen #facilitator-pane {
        width: 42%; border-left: vkey $warning 50%; padding: 0 1; background: $panel; display: none;
    }
    SessionScreen.-facilitator #facilitator-pane { display: block; }
    SessionScreen.-facilitator #public-harvest { display: none; }
    SessionScreen #facilitator-heading { text-style: bold; color: $warning; }
    SessionScreen #step-note { margin: 1 0; }
    SessionScreen #entries { height: auto; max-height: 14; border: none; background: $panel; }
    SessionScreen #facilitator-notes { margin-top: 1; color: $text-muted; }
    SessionScreen.-finished #session-title { background: $success 25%; }
    SessionScreen.-narrow #agenda { width: 22; padding: 1 0 0 1; }
    SessionScreen.-narrow #stage { padding: 1 1; }
    SessionScreen.-narrow #facilitator-pane { width: 40%; }
    """

    BINDINGS = [
        Binding("space", "toggle_timer", "Timer", key_display="space", tooltip="Start, pause or resume the timer"),
        Binding("plus,equals_sign", "add_minute(1)", "+1 min", key_display="+", show=False, tooltip="Add a minute to this step"),
        Binding("minus", "add_minute(-1)", "−1 min", key_display="-", show=False, tooltip="Take a minute off this step"),
        Binding("n", "next_step", "Next", tooltip="Move on to the next step (starts its timer)"),
        Binding("s", "skip_step", "Skip", show=False, tooltip="Skip this step (marked skipped in the report)"),
        Binding("b", "previous_step", "Back", show=False, tooltip="Go back to the previous step"),
        Binding("h", "harvest", "Harvest", tooltip="Record a note, question or action for this step"),
        Binding("r", "roster", "People", show=False, tooltip="Participants and group size; makes new groups now"),
        Binding("g", "regroup", "Regroup", show=False, tooltip="Shuffle into new groups now (avoids repeat pairs)"),
        Binding("v", "toggle_view", "Facilitator", tooltip="Show or hide facilitator notes and private entries"),
        Binding("p", "toggle_private", "Private", show=False, tooltip="Mark the selected entry private or shared"),
        Binding("delete,x", "delete_entry", "Delete entry", show=False, tooltip="Delete the selected harvest entry"),
        Binding("a", "toggle_sound", "Sound", show=False, tooltip="Ring the terminal bell when time is up (on/off)"),
        Binding("E", "end_session", "End", show=False, tooltip="End the session (the harvest can still be added to)"),
        Binding("w", "write_report", "Report", show=False, tooltip="Write the report (HTML and Markdown, no private entries) here"),
        Binding("escape", "leave", "Leave", tooltip="Back to the reader; the session keeps running and can be resumed"),
        Binding("enter", "answer", "Answer", show=False, tooltip="On a step that asks for answers: write them (one per line)"),
        Binding("o", "sort_by_votes", "Sort", show=False, tooltip="Sort the harvest by +1 votes, or back to newest first"),
        Binding("j", "toggle_qr", "QR code", show=False, tooltip="While serving to browsers: hide or show the join QR code"),
        Binding("J", "rotate_code", "New join code", show=False, tooltip="While serving: a new join link (the old one stops working; people in stay in)"),
        Binding("q", "app.quit", "Quit", show=False, tooltip="Quit (the session keeps going; resume it later)"),
        Binding("f5", "app.toggle_presenting", "Present", show=False, tooltip="Presenter mode for the shared screen"),
    ]
    """The footer shows what a facilitator needs at 80 columns (timer, next, harvest, view,
    leave, help); every other key is listed under ``?``."""

    def __init__(
        self,
        store: SessionStore,
        session_id: int,
        *,
        role: Role = "shared",
        clock: Clock | None = None,
        sound: bool = False,
        join_base: str | None = None,
        lan: bool = False,
    ) -> None:
        super().__init__()
        self.join_base = join_base
        """``http://host:port`` while the session is served to browsers, else ``None``."""
        self.lan = lan
        self.by_votes = False
        """The harvest is sorted by +1 votes (most first) instead of newest first."""
        self.store = store
        self.session_id = session_id
        self.role: Role = role
        self.clock: Clock = clock or _utc_now
        self.sound = sound
        self.watcher = SessionWatcher(store, session_id)
        self.state: SessionState | None = None
        self.clock_state = "untimed"
        self.time_up_signals = 0
        """How many times the end-of-time signal fired (tests read it)."""
        self._signalled_step: int | None = None
        self._entry_ids: list[int] = []
        self._titles: dict[str, str] = {}
        """Step key -> the step's title, for naming the round each harvest entry came from."""

    # ------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        join_base = self.join_base
        yield Static(id="session-title")
        with Horizontal(id="session-body"):
            yield Static(id="agenda")
            with VerticalScroll(id="stage"):
                yield Static(id="step-heading")
                yield Static(id="step-prompt")
                yield SessionClock(id="clock")
                if join_base is not None:
                    yield JoinPanel(id="join")
                yield Static(id="groups")
                yield Static(id="public-harvest")
            with VerticalScroll(id="facilitator-pane", classes="facilitator-only"):
                yield Static("Facilitator view: not for the shared screen", id="facilitator-heading")
                yield Static(id="step-note")
                yield Static(id="entries-heading")
                yield OptionList(id="entries")
                yield Static(id="facilitator-notes")
        yield KeyFooter()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 110, "-narrow")

    def on_mount(self) -> None:
        self.set_class(self.size.width < 110, "-narrow")
        self.set_class(self.role == "facilitator", "-facilitator")
        self.tick()
        self.set_interval(POLL_SECONDS, self.tick)

    # -------------------------------------------------------------- state

    def tick(self) -> None:
        """Pick up changes (made here or in another window) and move the countdown; runs on a timer."""
        try:
            state = self.watcher.poll()
        except PeeragogyError as error:
            self.notify(str(error), title="Session not readable", severity="error", timeout=10)
            return
        if state is not None:
            self.state = state
            self._titles = {step.step_key: step_label(step.step_key, step.index) for step in state.steps}
            self._draw()
        self._draw_clock()

    def _change(self, what: str, action: Callable[[], object]) -> bool:
        try:
            action()
        except PeeragogyError as error:
            self.notify(str(error), title=f"Could not {what}", severity="error", timeout=8)
            return False
        self.tick()
        return True

    # ------------------------------------------------------------ drawing

    @property
    def facilitator_view(self) -> bool:
        """True when notes and private entries are shown."""
        return self.role == "facilitator"

    def _draw(self) -> None:
        state = self.state
        assert state is not None
        current = state.current
        self.set_class(state.finished, "-finished")
        title = Text(clean(state.title), no_wrap=True, overflow="ellipsis")
        where = "finished" if state.finished else f"step {current.index + 1} of {len(state.steps)}"
        title.append(f"  ·  {where}  ·  {len(state.participants)} people", style="not bold")
        self.query_one("#session-title", Static).update(title)
        self.query_one("#agenda", Static).update(agenda_text(state, self.clock()))
        heading = Text(step_label(current.step_key, current.index))
        if current.regroup:
            heading.append("  ·  change tables", style="italic")
        self.query_one("#step-heading", Static).update(heading)
        prompt = Text(clean(current.prompt))
        if current.hint:
            prompt.append("\n" + clean(current.hint), style="dim italic")
        self.query_one("#step-prompt", Static).update(prompt)
        self.query_one("#groups", Static).update(groups_text(state))
        public = self._ordered(state.public_entries())
        harvest = Text()
        if public:
            order = "most +1 first" if self.by_votes else "newest first"
            harvest.append(f"Harvest so far · {len(public)}, {order}\n", style="bold")
            harvest.append(
                Text("\n").join(
                    entry_line(entry, show_private=False, step=self._titles.get(entry.step_key), votes=state.vote_count(entry.id))
                    for entry in public
                )
            )
        self.query_one("#public-harvest", Static).update(harvest)
        if self.facilitator_view:
            self._draw_facilitator(state)
        if self.join_base is not None:
            self._draw_join(state)

    def _draw_facilitator(self, state: SessionState) -> None:
        current = state.current
        step_note = Text()
        if current.facilitator:
            step_note.append("This step: ", style="bold")
            step_note.append(clean(current.facilitator))
        self.query_one("#step-note", Static).update(step_note)
        notes = Text()
        if state.facilitator_notes:
            notes.append("Notes for the whole session\n", style="bold")
            notes.append(unwrap(clean(state.facilitator_notes)))
        self.query_one("#facilitator-notes", Static).update(notes)
        entries = self._ordered(state.entries)
        heading = Text(f"Harvest · {len(entries)}, {'most +1 first' if self.by_votes else 'newest first'}", style="bold")
        heading.append("  h add · p private · x delete", style="dim")
        self.query_one("#entries-heading", Static).update(heading)
        options = self.query_one("#entries", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(
            [
                Option(entry_line(entry, show_private=True, step=self._titles.get(entry.step_key), votes=state.vote_count(entry.id)))
                for entry in entries
            ]
        )
        self._entry_ids = [entry.id for entry in entries]
        if entries:
            options.highlighted = min(highlighted or 0, len(entries) - 1)

    def _draw_clock(self) -> None:
        if self.state is None:
            return
        now = self.clock()
        step: StepRecord = self.state.current
        state = self.query_one(SessionClock).show(step.countdown, now, asks_answers=step.kind == "text")
        if state == "over" and self._signalled_step != step.index and not self.state.finished:
            self._signalled_step = step.index
            self.time_up_signals += 1
            self.notify(
                f"Time is up for {step_label(step.step_key, step.index)}. Press n when the group is ready.",
                title="Time's up",
                severity="warning",
                timeout=8,
            )
            if self.sound:
                self.app.bell()
        elif state != "over" and self._signalled_step == step.index:
            self._signalled_step = None  # a minute was added: signal again at the new end
        self.clock_state = state

    # ------------------------------------------------------------ actions

    def action_toggle_timer(self) -> None:
        if self.state is None or not self.state.current.countdown.is_timed():
            self.notify("This step has no timer.", timeout=2)
            return
        countdown = self.state.current.countdown
        if countdown.started_at is None:
            self._change("start the timer", lambda: self.store.start_timer(self.session_id))
        elif countdown.is_paused():
            self._change("resume the timer", lambda: self.store.resume(self.session_id))
        else:
            self._change("pause the timer", lambda: self.store.pause(self.session_id))

    def action_add_minute(self, minutes: int) -> None:
        self._change("change the time", lambda: self.store.add_minutes(self.session_id, minutes))

    def action_next_step(self) -> None:
        if self.state is not None and self.state.finished:
            self.notify("The session has ended.", timeout=2)
            return
        last = self.state is not None and self.state.current_index == len(self.state.steps) - 1
        if self._change("move on", lambda: self.store.advance(self.session_id)) and last:
            self._announce_end()

    def action_skip_step(self) -> None:
        if self.state is not None and not self.state.finished:
            self._change("skip the step", lambda: self.store.skip(self.session_id))

    def action_previous_step(self) -> None:
        self._change("go back", lambda: self.store.back(self.session_id))

    def action_toggle_view(self) -> None:
        self.role = "shared" if self.role == "facilitator" else "facilitator"
        self.set_class(self.role == "facilitator", "-facilitator")
        if self.role == "facilitator":
            self.notify("Facilitator notes and private entries are visible. Press v before sharing.", timeout=5)
        if self.state is not None:
            self._draw()

    def action_toggle_sound(self) -> None:
        self.sound = not self.sound
        self.notify(f"Sound at the end of a step: {'on' if self.sound else 'off'}.", timeout=2)

    def action_roster(self) -> None:
        if self.state is None:
            return
        from peeragogy_tui.tui.dialogs.roster import RosterDialog

        self.app.push_screen(RosterDialog(list(self.state.participants), self.state.group_size), self._save_roster)

    def _save_roster(self, change: RosterChange | None) -> None:
        if change is None:
            return
        if not self._change("save the participants", lambda: self.store.set_participants(self.session_id, change.names)):
            return
        if self.state is not None and self.state.members:
            from peeragogy_tui.core.sessions.participation import Participation

            gone = [name for name in self.state.members if name not in change.names]
            for name in gone:  # taken off the roster: their browser is let go (their entries stay)
                self._change("remove the participant", lambda name=name: Participation(self.store).remove_member(self.session_id, name))
        if change.group_size:
            self._change("make groups", lambda: self.store.split(self.session_id, change.group_size or 2))

    def action_regroup(self) -> None:
        if self.state is None:
            return
        size = self.state.group_size
        if not size:
            self.notify("Set a group size first (r).", timeout=3)
            return
        self._change("make new groups", lambda: self.store.split(self.session_id, size))

    def action_end_session(self) -> None:
        from peeragogy_tui.tui.dialogs import ConfirmDialog

        def answer(yes: bool | None) -> None:
            if yes and self._change("end the session", lambda: self.store.finish(self.session_id)):
                self._announce_end()

        self.app.push_screen(ConfirmDialog("End this session now?", "You can still add to the harvest afterwards."), answer)

    def _announce_end(self) -> None:
        self.notify(
            f"Session {self.session_id} has ended. Press w to write its report.",
            title="Session ended",
            timeout=20,
        )

    def action_write_report(self) -> None:
        """Write ``session-<id>.html`` and ``.md`` into the current folder (0600; never private entries).

        An existing report is never overwritten: the next free pair (``session-3-2.html``, ...) is used.
        """
        from pathlib import Path

        from peeragogy_tui.core.sessions import render_report_html, render_report_markdown
        from peeragogy_tui.paths import free_report_paths, write_private_file

        if self.state is None:
            return
        now = self.clock()
        written = []
        try:
            for path, render in zip(free_report_paths(Path.cwd(), self.session_id), (render_report_html, render_report_markdown)):
                write_private_file(path, render(self.state, now=now), exclusive=True)
                written.append(str(path))
        except (OSError, PeeragogyError) as error:
            hint = f"Try: peeragogy session report {self.session_id} --output FILE"
            self.notify(f"{error}\n{hint}", title="Report not written", severity="error", timeout=10)
            return
        self.notify("\n".join(written), title="Report written (private entries left out)", timeout=10)

    def action_leave(self) -> None:
        if len(self.app.screen_stack) > 1:
            if self.state is not None and not self.state.finished:
                self.notify(f"The session goes on. Come back with: peeragogy session resume {self.session_id}", timeout=6)
            self.app.pop_screen()
        else:
            self.app.exit()
