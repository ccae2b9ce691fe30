"""The search screen: results as you type, from the whole handbook or this chapter.

``/`` searches everything: chapters and exercises from the FTS5 index (built
or refreshed in a worker thread the first time), and the user's own saved
answers as a separate group. ``ctrl+f`` (here or in the reader) narrows it to
the chapter on screen, listing every matching line. The screen only finds
things; it dismisses with a :class:`SearchChoice` and the reader decides what
to open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, ProgressBar
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.errors import PeeragogyError

if TYPE_CHECKING:
    from peeragogy_tui.core.search import AnswerResult, SearchIndex, SearchResult, Span

__all__ = ["SearchChoice", "SearchScreen"]

Scope = Literal["all", "chapter"]

_DEBOUNCE_SECONDS = 0.12
_CHAPTER_LIMIT = 50
_ANSWER_LIMIT = 20
_LINE_LIMIT = 500
_MATCH_STYLE = "bold underline reverse"
"""How a match shows inside a result: not by colour alone."""
_HELP = 'Type words, "a phrase" or a prefix*. Enter opens · ↓ results · ctrl+f {other} · Esc closes'


@dataclass(frozen=True)
class SearchChoice:
    """What the user picked: a chapter, an exercise, one of their answers, or a line of this chapter."""

    kind: Literal["chapter", "exercise", "answer", "in_chapter"]
    query: str
    chapter_id: str | None = None
    exercise_id: str | None = None
    match_index: int | None = None
    """For ``in_chapter``: which of the chapter's matches (in reading order)."""
    run_id: int | None = None
    """For ``answer``: the run that holds the answer."""
    step_key: str | None = None
    """For ``answer``: which of that run's answers matched."""


def highlighted(text: str, spans: tuple[Span, ...] | list[tuple[int, int]], *, style: str = "") -> Text:
    """Untrusted ``text`` as plain :class:`Text` with ``spans`` marked; never markup."""
    line = Text(strip_control(text), style=style, no_wrap=True, overflow="ellipsis")
    for start, end in spans:
        line.stylize(_MATCH_STYLE, start, end)
    return line


def as_you_type(query: str) -> str:
    """The query to run while typing: a half-typed last word counts as a prefix (``lear`` → ``lear*``)."""
    stripped = query.rstrip()
    if stripped != query or not stripped or query.count('"') % 2:
        return query
    last = stripped.split()[-1]
    if last[-1].isalnum() and last.upper() not in {"AND", "OR", "NOT", "NEAR"}:
        return stripped + "*"
    return query


def _two_lines(head: Text, snippet: Text) -> Text:
    """A result: its title line and its snippet line, each cut short rather than wrapped."""
    return Text("\n", no_wrap=True, overflow="ellipsis").join([head, snippet])


def _heading(text: str) -> Option:
    return Option(Text(text, style="bold"), disabled=True)


class SearchScreen(ModalScreen[SearchChoice | None]):
    """A search box over a list of results; dismisses with the choice, or ``None``."""

    DEFAULT_CSS = """
    SearchScreen { align: center top; }
    SearchScreen > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 90%; margin-top: 1;
        border: round $accent; background: $panel; padding: 0 1;
    }
    SearchScreen #search-title { width: 1fr; text-style: bold; }
    SearchScreen Input { margin: 1 0 0 0; }
    SearchScreen #search-status { width: 1fr; color: $text-muted; height: auto; }
    SearchScreen OptionList {
        height: auto; max-height: 30; border: none; background: $panel;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", tooltip="Close the search"),
        Binding("ctrl+f", "toggle_scope", "This chapter / everywhere", tooltip="Search only this chapter, or everything"),
        Binding("down", "to_results", "Results", show=False),
    ]

    def __init__(
        self,
        *,
        scope: Scope = "all",
        query: str = "",
        chapter_title: str = "",
        chapter_text: str = "",
        open_index: Callable[[], SearchIndex] | None = None,
        interrupt: Callable[[], None] | None = None,
        ticket: Callable[[], int | None] | None = None,
    ) -> None:
        super().__init__()
        self.scope: Scope = scope
        self._initial_query = query
        self._chapter_title = chapter_title
        self._chapter_text = chapter_text
        self._open_index = open_index
        self._interrupt = interrupt
        self._ticket = ticket
        """Taken when a query is decided on, so an Esc before its thread starts still stops it."""
        """Stops the query running in the worker thread (when the user types on or leaves)."""
        self._progress_timer = None
        self._choices: list[SearchChoice | None] = []
        self._generation = 0
        self._debounce = None
        self._help = ""
        self.result_count = 0
        self.shown_query: str | None = None
        """The query whose results the list shows now (``None`` before the first)."""
        """How many results the list shows now (tests and the status line read it)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(id="search-title")
            yield Input(value=self._initial_query, placeholder="Search…", id="search-input")
            yield Label(id="search-status")
            yield ProgressBar(id="search-progress", show_eta=False)
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        if not getattr(self.app, "search_index_ready", True):
            self._progress_timer = self.set_interval(0.1, self._show_build_progress)
        self._show_scope()
        search_input = self.query_one(Input)
        search_input.focus()
        if self._initial_query:
            search_input.select_all()
        self._run_now()

    # ------------------------------------------------------------- actions

    @property
    def query_text(self) -> str:
        """What is typed in the box."""
        return self.query_one(Input).value

    def action_close(self) -> None:
        if self._interrupt is not None:
            self._interrupt()
        self.dismiss(None)

    def _show_build_progress(self) -> None:
        """While the first index build runs: a bar, chapters done, and the time left."""
        bar = self.query_one(ProgressBar)
        if getattr(self.app, "search_index_ready", True):
            bar.display = False
            if self._progress_timer is not None:
                self._progress_timer.stop()
            return
        progress = getattr(self.app, "search_build_progress", None)
        if progress is None or self.scope != "all":
            return
        import time

        done, total, started = progress
        bar.display = True
        bar.update(total=max(total, 1), progress=done)
        elapsed = time.monotonic() - started
        left = f" · about {max(1, round(elapsed / done * (total - done)))} s left" if done and done < total else ""
        self._status(f"Building the search index (only the first time): {done:,} of {total:,} files{left}")

    def action_toggle_scope(self) -> None:
        if self.scope == "all" and not self._chapter_title:
            self.notify("No chapter is open.", timeout=2)
            return
        self.scope = "chapter" if self.scope == "all" else "all"
        self._show_scope()
        self._run_now()

    def action_to_results(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.action_first()

    def _show_scope(self) -> None:
        if self.scope == "all":
            title = Text("Search the handbook")
        else:
            title = Text("Find in ") + Text(strip_control(self._chapter_title), style="italic")
        self.query_one("#search-title", Label).update(title)
        self.query_one(Input).placeholder = "Search this chapter…" if self.scope == "chapter" else "Search…"
        self._help = _HELP.format(other="searches everywhere" if self.scope == "chapter" else "only this chapter")

    def _status(self, text: str) -> None:
        self.query_one("#search-status", Label).update(Content(text))

    # ------------------------------------------------------------- typing

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(_DEBOUNCE_SECONDS, self._run_now)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
            self._run_now()
        results = self.query_one(OptionList)
        index = results.highlighted
        if index is None:
            index = next((i for i, choice in enumerate(self._choices) if choice is not None), None)
        if index is not None and self._choices[index] is not None:
            self.dismiss(self._choices[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = self._choices[event.option_index]
        if choice is not None:
            self.dismiss(choice)

    def _run_now(self) -> None:
        self._debounce = None
        self._generation += 1
        query = as_you_type(self.query_text)
        if not query.strip():
            self._show([], [], self._help, query)
            return
        if self.scope == "chapter":
            self._search_chapter(query)
        elif self._open_index is None:
            self._status("Search is not available for this handbook.")
        else:
            if self._interrupt is not None:
                self._interrupt()  # the query still running is for text that is no longer typed
            self._search_everywhere(query, self._generation, self._ticket() if self._ticket is not None else None)

    # ------------------------------------------------------------- results

    def _show(self, options: list[Option], choices: list[SearchChoice | None], status: str, query: str) -> None:
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(options)
        self._choices = choices
        self.result_count = sum(1 for choice in choices if choice is not None)
        self.shown_query = query
        first = next((i for i, choice in enumerate(choices) if choice is not None), None)
        if first is not None:
            results.highlighted = first
        self._status(status)

    def _search_chapter(self, query: str) -> None:
        from peeragogy_tui.core.search import find_matches, parse_query

        parsed = parse_query(query)
        matches = find_matches(self._chapter_text, parsed, body_line=1)
        lines = self._chapter_text.split("\n")
        options: list[Option] = []
        choices: list[SearchChoice | None] = []
        for number, match in enumerate(matches[:_LINE_LIMIT]):
            line = lines[match.line]
            indent = len(line) - len(line.lstrip())
            options.append(Option(highlighted(line.strip(), [(match.start - indent, match.end - indent)])))
            choices.append(SearchChoice("in_chapter", query, match_index=number))
        count = len(matches)
        status = f"{count} match{'es' if count != 1 else ''} in this chapter" if count else "No matches in this chapter."
        if count > _LINE_LIMIT:
            status += f" (showing the first {_LINE_LIMIT})"
        if parsed.note:
            status = f"{parsed.note} · {status}"
        self._show(options, choices, status, query)

    @work(thread=True, exclusive=True, group="search")
    def _search_everywhere(self, query: str, generation: int, ticket: int | None = None) -> None:
        worker = get_current_worker()
        assert self._open_index is not None
        from peeragogy_tui.core.search import SearchInterrupted

        try:
            if not getattr(self.app, "search_index_ready", True):
                self.app.call_from_thread(self._status, "Opening the search index…")
            index = self._open_index()
            if worker.is_cancelled:
                return
            chapters = index.search(query, limit=_CHAPTER_LIMIT, ticket=ticket)
            if ticket is not None and index.ticket() != ticket:
                return  # Esc or a newer query came while the chapters were searched
            answers, answers_error = self._answers(index, query)
        except SearchInterrupted:
            return  # the user typed on or left: a newer search (or none) is wanted
        except PeeragogyError as error:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._status, f"Search failed: {strip_control(str(error))}")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_everywhere, query, generation, chapters, answers, answers_error)

    @staticmethod
    def _answers(index: SearchIndex, query: str) -> tuple[AnswerResult | None, str | None]:
        try:
            return index.search_answers(query, limit=_ANSWER_LIMIT), None
        except PeeragogyError as error:
            return None, strip_control(str(error))

    def _show_everywhere(
        self,
        query: str,
        generation: int,
        chapters: SearchResult,
        answers: AnswerResult | None,
        answers_error: str | None,
    ) -> None:
        if generation != self._generation or not self.is_attached:
            return  # the user typed on; a newer search is coming
        self._show_build_progress()  # the index is ready: no bar any more
        options: list[Option] = []
        choices: list[SearchChoice | None] = []

        def group(title: str) -> None:
            options.append(_heading(title))
            choices.append(None)

        chapter_hits = [hit for hit in chapters if hit.kind == "chapter"]
        exercise_hits = [hit for hit in chapters if hit.kind != "chapter"]
        if chapter_hits:
            group(f"Chapters · {len(chapter_hits)}")
            for hit in chapter_hits:
                head = Text(hit.title, style="bold", no_wrap=True, overflow="ellipsis")
                head.append(f"  {hit.path.name}", style="dim")
                options.append(Option(_two_lines(head, highlighted(hit.snippet, hit.spans, style="dim"))))
                choices.append(SearchChoice("chapter", query, chapter_id=hit.chapter_id))
        if exercise_hits:
            group(f"Exercises · {len(exercise_hits)}")
            for hit in exercise_hits:
                head = Text(hit.title, style="bold", no_wrap=True, overflow="ellipsis")
                head.append(f"  exercise · {hit.exercise_id}", style="dim")
                options.append(Option(_two_lines(head, highlighted(hit.snippet, hit.spans, style="dim"))))
                choices.append(SearchChoice("exercise", query, exercise_id=hit.exercise_id, chapter_id=hit.chapter_id))
        answer_hits = list(answers or [])
        if answer_hits:
            group(f"Your answers · {len(answer_hits)}")
            for answer in answer_hits:
                head = Text(strip_control(answer.exercise_title), style="bold", no_wrap=True, overflow="ellipsis")
                head.append(f"  {answer.started_at[:10]} · {strip_control(answer.prompt)}", style="dim")
                options.append(Option(_two_lines(head, highlighted(answer.snippet, answer.spans, style="dim"))))
                choices.append(
                    SearchChoice(
                        "answer", query, exercise_id=answer.exercise_id, run_id=answer.run_id, step_key=answer.step_key
                    )
                )
        total = len(chapter_hits) + len(exercise_hits) + len(answer_hits)
        status = f"{total} result{'s' if total != 1 else ''}, best first" if total else f"No matches for {query!r}."
        if chapters.note:
            status = f"{strip_control(chapters.note)} · {status}"
        if answers_error:
            status += f" · your answers were not searched: {answers_error}"
        self._show(options, choices, status, query)
