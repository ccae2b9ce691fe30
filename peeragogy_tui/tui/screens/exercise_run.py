"""Walk through one exercise, one prompt at a time, saving as you go.

Answers go to the store on every step change; free text is also saved as a
draft every few seconds and when the screen closes, so a quit, a crash or a
closed terminal reopens the run exactly where it stopped, draft included. If
the store cannot be written (a full disk), the screen stays on the step with
the text as typed, a warning stays up until a save works again, and Ctrl+N
tries again (:mod:`.exercise_saver` owns that state). The run belongs to this
window while it is open: when the unfinished run is open in another window,
the screen says so and offers a new run; a run left with nothing in it is
not kept.

In presenter mode (``app.presenting``) the screen shows "step N of M" in large
digits, the prompt big and centred in a column whose width follows the zoom
step, and the hint. Facilitator text (``step.facilitator``,
``exercise.facilitator_notes``) is never put on this screen at all.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Label, ProgressBar, Static

from peeragogy_tui.core.exercises import Exercise, ExerciseRun, RunPoint, ValidationError
from peeragogy_tui.core.render.present import ZOOM_DEFAULT, present_width
from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.store import HEARTBEAT_SECONDS, AnswerStore, display_value, scale_of
from peeragogy_tui.tui.key_hold import KeyHold
from peeragogy_tui.tui.screens.exercise_saver import ExerciseSaver
from peeragogy_tui.tui.widgets.exercise_intro import ExerciseIntro
from peeragogy_tui.tui.widgets.key_footer import KeyFooter
from peeragogy_tui.tui.widgets.presenter_header import PresenterHeader
from peeragogy_tui.tui.widgets.step_input import StepInput, safe, unanswered

__all__ = ["ExerciseScreen"]

DRAFT_SECONDS = 3.0
"""How often unsaved free text is written as a draft."""
SHORT_SCREEN_ROWS = 32
"""Below this height the answer box and the introduction get smaller, so the prompt and input fit."""
STEP_KEYS = ("ctrl+n", "ctrl+o", "ctrl+b")
"""Keys that may change the step: the keys typed after one belong to the step it leads to."""


class ExerciseScreen(Screen[None]):
    """One exercise run: step N of M, the prompt, its input, back/skip/next."""

    CSS_PATH = "exercise_run.tcss"
    """Its short-terminal and presenter-mode rules, read when the first exercise opens, not at start-up."""

    DEFAULT_CSS = """
    ExerciseScreen #exercise-head { height: 1; padding: 0 2; }
    ExerciseScreen #exercise-title { width: 1fr; text-style: bold; color: $accent; text-wrap: nowrap; text-overflow: ellipsis; }
    ExerciseScreen #step-count { width: auto; color: $text-muted; padding: 0 0 0 2; }
    ExerciseScreen #step-progress { height: 1; padding: 0 2; }
    ExerciseScreen #exercise-column { height: 1fr; padding: 0 2; }
    ExerciseScreen #prompt { text-style: bold; padding: 1 0 0 0; }
    ExerciseScreen #hint { color: $text-muted; text-style: italic; }
    ExerciseScreen #step-body { height: 1fr; }
    ExerciseScreen #step-slot { height: auto; }
    ExerciseScreen #step-buttons { height: auto; padding: 1 0 0 0; }
    ExerciseScreen #step-buttons Button { margin-right: 2; }
    ExerciseScreen #save-state { color: $text-muted; padding: 0 0 0 1; }
    ExerciseScreen #save-warning { display: none; height: auto; padding: 0 2; background: $error; color: $text; }
    ExerciseScreen #save-warning.-failing { display: block; }
    ExerciseScreen #toast-row { display: none; height: 1; }
    """

    BINDINGS = [
        Binding("ctrl+n", "next", "Save & next", tooltip="Save this answer and go to the next step"),
        Binding("ctrl+b", "back", "Back", tooltip="Go back to the previous step"),
        Binding("ctrl+o", "skip", "Skip", tooltip="Skip this step (you can come back to it)"),
        Binding("escape", "leave", "Leave", tooltip="Leave; your place and draft are kept"),
        Binding("ctrl+t", "toggle_intro", "Intro", tooltip="Show or fold away the exercise's introduction"),
    ]
    """Keys that work while typing an answer (they avoid TextArea's own keys)."""

    def __init__(self, exercise: Exercise, store: AnswerStore | None, *, new: bool = False) -> None:
        super().__init__()
        self._new = new
        """Start a new run even if one could be continued (chosen in the exercise overview)."""
        self.exercise = exercise
        self.store = store
        self.run: ExerciseRun | None = None
        self.saver = ExerciseSaver(exercise, store)
        self._saved_draft: str | None = None
        self._leave_anyway = False
        """Escape was pressed once while the text could not be saved."""
        self._intro_open: bool | None = None
        """Ctrl+T's choice; ``None``: open on the first step, folded after it."""
        self.key_hold = KeyHold(self, STEP_KEYS)
        """Keys typed while a step's input is being built wait here (see :mod:`peeragogy_tui.tui.key_hold`)."""

    @property
    def run_id(self) -> int | None:
        """The run's id in the store (``None`` until the store has recorded it)."""
        return self.saver.run_id

    def compose(self) -> ComposeResult:
        # Fixed rows (title, progress, the prompt) around two panes that scroll on their own
        # (the introduction, the input), so the title and the prompt never scroll away.
        yield PresenterHeader(kind="step", id="present-header")
        yield Static("", id="save-warning")
        with Horizontal(id="exercise-head"):
            yield Label(safe(self.exercise.title), id="exercise-title")
            yield Label("", id="step-count")
        yield ProgressBar(total=len(self.exercise.steps), show_eta=False, id="step-progress")
        yield ExerciseIntro(self.exercise, getattr(self.app, "handbook", None), id="exercise-intro-box")
        with Vertical(id="exercise-column"):
            yield Static("", id="prompt")
            yield Static("", id="hint")
            with VerticalScroll(id="step-body", can_focus=False):
                yield Vertical(id="step-slot")
                with Horizontal(id="step-buttons"):
                    yield Button("Back", id="back", compact=True)
                    yield Button("Skip", id="skip", compact=True)
                    yield Button("Save & next", id="next", variant="primary", compact=True)
                    yield Label("", id="save-state")
        yield Static("", id="toast-row")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.saver = ExerciseSaver(
            self.exercise,
            self.store,
            reopen=getattr(self.app, "reopen_store", None),
            open_error=getattr(self.app, "store_error", None),
        )
        self.run, resumed = self.saver.begin(new=self._new)
        if self.saver.failure is not None:
            self._show_save_state(failed=True)
        if resumed:
            self.notify("Picked up where you stopped.", timeout=3)
        self._show_step()
        self.set_interval(DRAFT_SECONDS, self.save_draft)
        self.set_interval(HEARTBEAT_SECONDS, self.saver.renew)
        if self.saver.held_elsewhere is not None:
            self._offer_new_run(self.saver.held_elsewhere.describe())
        presentation = getattr(self.app, "presentation_signal", None)
        if presentation is not None:
            presentation.subscribe(self, lambda _presentation: self._fit_column())
        self._fit_column()

    # ----------------------------------------------------------- presenting

    @property
    def presenting(self) -> bool:
        """The app is in presenter mode (app-wide state: ``PeeragogyApp.presenting``)."""
        return bool(getattr(self.app, "presenting", False))

    def _fit_column(self) -> None:
        """While presenting, centre the steps in a column as wide as the zoom step says."""
        column = self.query_one("#exercise-column", Vertical)
        if not self.presenting or self.size.width == 0:
            column.styles.clear_rule("width")
            column.styles.clear_rule("margin")
            return
        width = self.size.width - 6  # the body's padding and scrollbar
        text_width = present_width(width, getattr(self.app, "zoom", ZOOM_DEFAULT))
        column.styles.width = text_width
        column.styles.margin = (0, 0, 0, max(0, (width - text_width) // 2))

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height < SHORT_SCREEN_ROWS, "-short")
        self._fit_column()

    # ----------------------------------------------------------- showing

    @property
    def step_input(self) -> StepInput | None:
        found = self.query(StepInput)
        return found.first() if found else None

    def _show_step(self) -> None:
        run = self.run
        assert run is not None
        slot = self.query_one("#step-slot", Vertical)
        slot.remove_children()
        total = run.total
        progress = self.query_one("#step-progress", ProgressBar)
        progress.update(progress=sum(1 for key in self.exercise.keys if key in run.answers))
        header = self.query_one(PresenterHeader)
        if run.done or run.current_step is None:
            header.show(total, total, self.exercise.title, kind="done")
            self.query_one("#step-count", Label).update(f"Done: all {total} steps")
            self.query_one("#prompt", Static).update("Finished. Here is what you wrote:")
            self.query_one("#hint", Static).update("")
            self.query_one("#hint", Static).add_class("-empty")
            summary = Text()
            for step, item in zip(self.exercise.steps, run.summary(), strict=True):
                summary.append(strip_control(item.prompt) + "\n", style="bold")
                shown = (
                    "(skipped)"
                    if item.state != "answered"
                    else display_value(item.answer, item.step_type, scale_of(step))
                )
                summary.append(strip_control(shown) + "\n\n")
            slot.mount(Static(summary))
            self.query_one("#next", Button).label = "Close"
            self.query_one("#skip", Button).disabled = True
            self.query_one(ExerciseIntro).fold(True)
            self.set_focus(self.query_one("#next", Button))
            self.key_hold.release()
            return
        self._fold_intro()
        step = run.current_step
        key = run.current_key or ""
        header.show(run.index + 1, total, self.exercise.title, kind="step")
        self.query_one("#step-count", Label).update(f"Step {run.index + 1} of {total}")
        self.query_one("#prompt", Static).update(safe(step.prompt))
        minutes = f"about {step.minutes} min" if step.minutes else ""
        hint = " · ".join(part for part in (step.hint or "", minutes) if part)
        self.query_one("#hint", Static).update(safe(hint))
        self.query_one("#hint", Static).set_class(not hint, "-empty")
        draft = self.saver.get_draft(key)
        widget = StepInput(step, answer=run.answers.get(key), draft=draft)
        self.call_later(self._focus_when_mounted, slot.mount(widget), widget)
        self._saved_draft = draft
        self.query_one("#next", Button).label = "Save & finish" if run.index == total - 1 else "Save & next"
        self.query_one("#skip", Button).disabled = False

    async def _focus_when_mounted(self, mounted: Awaitable[object], widget: StepInput) -> None:
        """Focus the new step's input as soon as it exists, then hand it the keys typed meanwhile."""
        await mounted
        control = widget.main_control()
        if control is not None and widget.is_attached:
            # While presenting, focus without scrolling to the input: the group needs to see the prompt.
            self.set_focus(control, scroll_visible=not self.presenting)
        self.key_hold.release()

    def _fold_intro(self) -> None:
        run = self.run
        first = run is None or run.index == 0
        self.query_one(ExerciseIntro).fold(not (self._intro_open if self._intro_open is not None else first))

    def action_toggle_intro(self) -> None:
        """Ctrl+T: open the introduction, or fold it away."""
        self._intro_open = self.query_one(ExerciseIntro).folded
        self._fold_intro()

    # ----------------------------------------------------------- saving

    def _show_save_state(self, *, failed: bool, saved: str = "saved", toast: bool = False) -> None:
        """Keep the warning up while saving fails; say so once in a toast when a save is refused."""
        warning = self.query_one("#save-warning", Static)
        was_failing = warning.has_class("-failing")
        error = self.saver.failure
        if failed and error is not None:
            warning.update(
                Text.assemble(
                    ("Not saved: ", "bold"),
                    strip_control(error.message),
                    ". Your text stays here; free some space, then press Ctrl+N to save again.",
                )
            )
            warning.add_class("-failing")
            self.query_one("#save-state", Label).update("not saved")
            if toast:
                self.notify(f"{error}\nYour text stays on screen.", title="Could not save", severity="error", timeout=10)
            return
        warning.remove_class("-failing")
        if was_failing:
            self.notify("Saved again: the answers are on disk.", timeout=4)
        self.query_one("#save-state", Label).update(saved)
        taken_over, self.saver.taken_over = self.saver.taken_over, None
        if taken_over is not None:
            self.notify(
                f"{taken_over.describe()}; your answers continue in a new run #{self.run_id}.",
                title="Run taken over",
                severity="warning",
                timeout=10,
            )

    def _offer_new_run(self, held: str) -> None:
        """The unfinished run is open in another window: keep the new run started here, or go back."""
        from peeragogy_tui.tui.dialogs.confirm import ConfirmDialog

        def chosen(start_new: bool | None) -> None:
            if not start_new:
                self.saver.abandon()
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                f"{held[0].upper()}{held[1:]}.",
                f"Start a new run (#{self.run_id}) here? No goes back; finish the other run in its window.",
            ),
            chosen,
        )

    def _saved(self, ok: bool, *, saved: str = "saved") -> bool:
        self._show_save_state(failed=not ok, saved=saved, toast=not ok)
        return ok

    def _move(self, point: RunPoint, index: int) -> None:
        """Record the step just left and show the next one; on a failed save, undo the move."""
        run = self.run
        assert run is not None
        if not self._saved(self.saver.record(run, index)):
            run.rewind(point)
            self.key_hold.release()
            return
        self._show_step()

    def save_draft(self) -> bool:
        """Write the free text typed so far, if it changed; False when it could not be saved."""
        widget = self.step_input
        if widget is None or self.run is None or not self.saver.saving:
            return True
        text = widget.draft_text()
        key = self.run.current_key
        if text is None or key is None or text == (self._saved_draft or ""):
            return True
        failing_before = self.saver.failure is not None
        if not self.saver.save_draft(self.run, key, text):
            # A save that keeps failing says so once (the warning stays up), not every few seconds.
            self._show_save_state(failed=True, toast=not failing_before)
            return False
        self._saved_draft = text
        self._show_save_state(failed=False, saved="draft saved")
        return True

    # ----------------------------------------------------------- actions

    def action_next(self) -> None:
        run = self.run
        widget = self.step_input
        if run is None:
            return
        if run.done or widget is None:
            self.action_leave()
            return
        value: Any = widget.value()
        index = run.index
        point = run.save_point()
        try:
            missing = unanswered(run.current_step, value)
            if missing:
                raise ValidationError(missing)
            run.answer(value)
        except ValidationError as error:
            self.notify(str(error), severity="warning")
            self.key_hold.release()
            return
        self._move(point, index)

    def action_skip(self) -> None:
        run = self.run
        if run is None or run.done:
            self.key_hold.release()
            return
        self.save_draft()
        index = run.index
        point = run.save_point()
        run.skip()
        self._move(point, index)

    def action_back(self) -> None:
        run = self.run
        if run is None:
            return
        self.save_draft()
        if not run.back():
            self.notify("This is the first step.", timeout=2)
            self.key_hold.release()
            return
        if self.saver.saving:
            self._saved(self.saver.set_position(run))
        self._show_step()

    def action_leave(self) -> None:
        if not self.save_draft() and not self._leave_anyway:
            self._leave_anyway = True
            self.notify(
                "This step's text is not saved. Press Escape again to leave without it.",
                title="Not saved",
                severity="warning",
                timeout=6,
            )
            self.key_hold.release()
            return
        self.dismiss(None)
        self.key_hold.hand_back(self.app)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"next": self.action_next, "skip": self.action_skip, "back": self.action_back}
        if event.button.id in actions:
            event.stop()
            actions[event.button.id]()

    def on_unmount(self) -> None:
        self.save_draft()
        self.saver.close()
