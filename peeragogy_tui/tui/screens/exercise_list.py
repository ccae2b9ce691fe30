"""All exercises, grouped by chapter and kind, each marked new / in progress / done."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, OptionList, ProgressBar
from textual.widgets.option_list import Option

from peeragogy_tui.core.exercises import Exercise, ExerciseSet
from peeragogy_tui.core.handbook import Handbook
from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.tui.widgets.key_footer import KeyFooter

__all__ = ["ExerciseListScreen", "STATUS_MARKS"]

STATUS_MARKS = {"new": "○ new", "in_progress": "◐ in progress", "done": "● done"}
"""How each status shows in the list (a symbol and a word: never colour alone)."""


class ExerciseListScreen(Screen[None]):
    """Pick an exercise to run (Enter) or review (r); ``a`` toggles this chapter / all."""

    DEFAULT_CSS = """
    ExerciseListScreen > Vertical { padding: 0 2; }
    ExerciseListScreen #list-title { text-style: bold; color: $accent; padding: 1 0 0 0; }
    ExerciseListScreen #done-count { padding: 1 0 0 0; }
    ExerciseListScreen ProgressBar { padding: 0 0 1 0; }
    ExerciseListScreen OptionList { height: 1fr; }
    """

    BINDINGS = [
        Binding("enter", "run", "Run", show=False, tooltip="Start or resume the highlighted exercise"),
        Binding("r", "review", "Review", tooltip="Review your earlier runs of the highlighted exercise"),
        Binding("s", "session", "Group", tooltip="Run the highlighted exercise as a timed group session"),
        Binding("x", "reset", "Reset", tooltip="Delete every run of the highlighted exercise (asks first)"),
        Binding("a", "toggle_all", "All", tooltip="Show this chapter's exercises or all of them"),
        Binding("escape", "close", "Back", tooltip="Back to the reader"),
        Binding("j", "move(1)", "Down", show=False, tooltip="Next exercise (as j in the reader)"),
        Binding("k", "move(-1)", "Up", show=False, tooltip="Previous exercise (as k in the reader)"),
    ]
    """Exercise list keys."""

    def __init__(self, exercises: ExerciseSet, handbook: Handbook, *, chapter_id: str | None = None) -> None:
        super().__init__()
        self.exercises = exercises
        self.handbook = handbook
        self.chapter_id = chapter_id if chapter_id and exercises.for_chapter(chapter_id) else None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("", id="list-title")
            yield Label("", id="done-count")
            yield ProgressBar(show_eta=False, id="done-progress")
            yield OptionList(id="exercise-options")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def _statuses(self) -> dict[str, str]:
        store = self.app.store  # type: ignore[attr-defined]
        if store is None:
            return {}
        try:
            return store.statuses()
        except Exception:  # noqa: BLE001 - a broken store must not hide the list
            return {}

    def _groups(self) -> list[tuple[str, list[Exercise]]]:
        shown = self.exercises.for_chapter(self.chapter_id) if self.chapter_id else list(self.exercises.exercises)
        order = {chapter.id: chapter.index for chapter in self.handbook.chapters}
        groups: dict[tuple[int, str, str], list[Exercise]] = {}
        for exercise in shown:
            first = self.chapter_id or min(exercise.chapters, key=lambda c: order.get(c, 10_000))
            chapter = self.handbook.get(first)
            title = chapter.title if chapter else first
            kind = "Group formats" if exercise.kind == "group" else "On your own"
            groups.setdefault((order.get(first, 10_000), title, kind), []).append(exercise)
        return [(f"{title} · {kind}", items) for (_, title, kind), items in sorted(groups.items())]

    def refresh_list(self) -> None:
        """Rebuild the list with current statuses and the done count."""
        statuses = self._statuses()
        options = self.query_one(OptionList)
        highlighted = options.highlighted_option.id if options.highlighted_option else None
        options.clear_options()
        groups = self._groups()
        visible = [exercise for _, items in groups for exercise in items]
        for heading, items in groups:
            options.add_option(Option(Text(strip_control(heading), style="bold"), disabled=True))
            for exercise in items:
                mark = STATUS_MARKS.get(statuses.get(exercise.id, "new"), STATUS_MARKS["new"])
                label = Text.assemble(
                    (f"  {mark:<14}", "bold" if statuses.get(exercise.id) == "done" else ""),
                    strip_control(exercise.title),
                    (f"  · {exercise.minutes} min", "dim"),
                )
                options.add_option(Option(label, id=exercise.id))
        for problem in self.exercises.broken:
            options.add_option(Option(Text(f"  ✗ {strip_control(str(problem))}"), disabled=True))
        done = sum(1 for exercise in visible if statuses.get(exercise.id) == "done")
        scope = "this chapter" if self.chapter_id else "all chapters"
        self.query_one("#list-title", Label).update(f"Exercises · {scope}")
        self.query_one("#done-count", Label).update(f"{done} of {len(visible)} done")
        self.query_one("#done-progress", ProgressBar).update(total=max(len(visible), 1), progress=done)
        if highlighted is not None:
            try:
                options.highlighted = options.get_option_index(highlighted)
            except Exception:  # noqa: BLE001 - the option may be gone
                pass
        if options.highlighted is None or options.get_option_at_index(options.highlighted).disabled:
            first = next((i for i, o in enumerate(options.options) if not o.disabled), None)
            options.highlighted = first

    def _highlighted(self) -> str | None:
        option = self.query_one(OptionList).highlighted_option
        return option.id if option is not None and not option.disabled else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.app.open_exercise(event.option.id)  # type: ignore[attr-defined]

    def action_run(self) -> None:
        exercise_id = self._highlighted()
        if exercise_id:
            self.app.open_exercise(exercise_id)  # type: ignore[attr-defined]

    def action_review(self) -> None:
        exercise_id = self._highlighted()
        if exercise_id:
            self.app.review_exercise(exercise_id)  # type: ignore[attr-defined]

    def action_session(self) -> None:
        exercise_id = self._highlighted()
        if exercise_id is not None:
            self.app.start_session(exercise_id)  # type: ignore[attr-defined]

    def action_reset(self) -> None:
        """Ask, then delete every run of the highlighted exercise (refused while one is open elsewhere)."""
        from peeragogy_tui.errors import PeeragogyError
        from peeragogy_tui.tui.dialogs.confirm import ConfirmDialog

        exercise_id = self._highlighted()
        store = self.app.store  # type: ignore[attr-defined]
        exercise = self.exercises.get(exercise_id) if exercise_id else None
        if exercise is None or store is None:
            return
        try:
            runs = store.runs(exercise.id)
        except PeeragogyError as error:
            self.notify(strip_control(str(error)), title="Cannot read your answers", severity="error", markup=False)
            return
        if not runs:
            self.notify("This exercise has no runs to reset.", timeout=3)
            return
        title = strip_control(exercise.title)
        answers = sum(len(run.answers) for run in runs)

        def chosen(yes: bool | None) -> None:
            if not yes:
                return
            try:
                count = store.reset_exercise(exercise.id)
            except PeeragogyError as error:
                self.notify(strip_control(str(error)), title="Not reset", severity="error", markup=False)
                return
            self.notify(f"Reset “{title}”: deleted {count} run{'s' if count != 1 else ''}.", timeout=4, markup=False)
            self.refresh_list()

        many = f"{len(runs)} run{'s' if len(runs) != 1 else ''}"
        self.app.push_screen(
            ConfirmDialog(
                f"Reset “{title}”?",
                f"This deletes its {many} and {answers} answers. To keep a copy, first run"
                " 'peeragogy answers export -o FILE'. This cannot be undone.",
            ),
            chosen,
        )

    def action_toggle_all(self) -> None:
        if self.chapter_id is None:
            return
        self.chapter_id = None
        self.refresh_list()

    def action_move(self, delta: int) -> None:
        """j / k: move the highlight like the arrow keys."""
        options = self.query_one(OptionList)
        (options.action_cursor_down if delta > 0 else options.action_cursor_up)()

    def action_close(self) -> None:
        self.dismiss(None)
