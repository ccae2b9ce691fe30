"""The exercise's summary, its chapters and its introduction, in a pane that folds away.

On a small terminal the introduction could fill the whole screen and push the
prompt and its input below the fold. So it lives in its own scrolling pane
with a capped height (app stylesheet and :class:`ExerciseIntro` CSS), is open
on the first step and folded after it; Ctrl+T opens or folds it again. When
folded, one line says that it is there and how to open it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from peeragogy_tui.core.exercises import Exercise
from peeragogy_tui.core.handbook import Handbook
from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.tui.widgets.step_input import safe

__all__ = ["ExerciseIntro"]


class ExerciseIntro(Vertical):
    """The summary, "From: <chapters>" and the introduction; :meth:`fold` hides all but one line."""

    DEFAULT_CSS = """
    ExerciseIntro { height: auto; padding: 0 2; }
    ExerciseIntro #intro-pane { height: auto; max-height: 40vh; scrollbar-size-vertical: 1; }
    ExerciseIntro #exercise-chapters { color: $text-muted; }
    ExerciseIntro #exercise-intro { padding: 1 0 0 0; }
    ExerciseIntro #intro-folded { display: none; color: $text-muted; }
    ExerciseIntro.-folded #intro-pane { display: none; }
    ExerciseIntro.-folded #intro-folded { display: block; }
    """

    def __init__(self, exercise: Exercise, handbook: Handbook | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.exercise = exercise
        self.handbook = handbook

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="intro-pane"):
            yield Static(safe(self.exercise.summary), id="exercise-summary")
            yield Static(self._chapters_line(), id="exercise-chapters")
            yield Static(self._intro_text(), id="exercise-intro")
        yield Static(Text("▸ Introduction folded away · Ctrl+T shows it", style="italic"), id="intro-folded")

    @property
    def folded(self) -> bool:
        """True while only the one-line reminder shows."""
        return self.has_class("-folded")

    def fold(self, folded: bool) -> None:
        """Fold the introduction away, or open it."""
        self.set_class(folded, "-folded")

    def _chapters_line(self) -> Text:
        titles = []
        for chapter_id in self.exercise.chapters:
            chapter = self.handbook.get(chapter_id) if self.handbook is not None else None
            titles.append(chapter.title if chapter else chapter_id)
        return Text(f"From: {', '.join(strip_control(t) for t in titles)}", style="italic")

    def _intro_text(self) -> Text:
        from peeragogy_tui.core.render import parse_document, plain_text

        if not self.exercise.intro.strip():
            return Text("")
        # One line per paragraph: the Static wraps it to the screen's width, once.
        return Text(strip_control(plain_text(parse_document(self.exercise.intro), 10_000).strip()))
