"""The main screen: chapter tree beside the reader. It coordinates its children.

Children post messages up (a chapter chosen, a link clicked, the view
scrolled); this screen decides what happens and calls methods on them.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from peeragogy_tui.core.handbook import Chapter, Handbook
from peeragogy_tui.core.handbook.identity import handbook_key
from peeragogy_tui.core.handbook.links import resolve_link
from peeragogy_tui.core.history import History, Location
from peeragogy_tui.core.reading_state import ReadingPosition, load_position, save_position
from peeragogy_tui.core.render import Document, parse_document
from peeragogy_tui.core.render.blocks import Heading, Paragraph, Quote
from peeragogy_tui.core.render.document_cache import StartupDocument
from peeragogy_tui.core.render.head import markdown_head
from peeragogy_tui.errors import PeeragogyError
from peeragogy_tui.tui.reading_tracker import ReadingTracker
from peeragogy_tui.tui.screens.reader_marks import MARK_BINDINGS, ReaderMarks
from peeragogy_tui.tui.widgets.chapter_tree import ChapterTree
from peeragogy_tui.tui.widgets.document_view import DocumentView
from peeragogy_tui.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from peeragogy_tui.core.handbook.watch import ChangeSet
    from peeragogy_tui.tui.presenting import Presentation
    from peeragogy_tui.tui.screens.search import SearchChoice
    from peeragogy_tui.tui.widgets.presenter_header import PresenterHeader

__all__ = ["MainScreen"]

_CACHE_SIZE = 24


def broken_chapter_document(chapter: Chapter, root: Path | None = None) -> Document:
    """A page that says what is wrong with a file, then shows what could be read."""
    problem = chapter.problem
    assert problem is not None
    where = f"{problem.path}:{problem.line}" if problem.line else str(problem.path)
    notice = [
        Paragraph(Text(f"File: {where}", end="")),
        Paragraph(Text(f"Problem: {problem.message}", end="")),
    ]
    if problem.hint:
        notice.append(Paragraph(Text(f"Fix: {problem.hint}", end="")))
    blocks = [Heading(1, Text("This file has a problem", end=""), "this-file-has-a-problem"), Quote(notice)]
    body = parse_document(chapter.body, source=chapter.path, root=root) if chapter.body.strip() else None
    if body is not None:
        blocks.append(Heading(2, Text("What could be read", end=""), "what-could-be-read"))
        blocks.extend(body.blocks)
        return Document(blocks, body.links, body.headings)
    return Document(blocks, [], [])


class MainScreen(ReaderMarks, Screen[None]):
    """Tree on the left, reader on the right, a status line above the reader."""

    AUTO_FOCUS = "DocumentView"
    """The reader starts with focus (focusing the tree first restyled it twice before the first frame)."""

    BINDINGS = [
        Binding("right_square_bracket", "next_chapter", "Next", key_display="]", show=False, tooltip="Next chapter"),
        Binding("left_square_bracket", "previous_chapter", "Prev", key_display="[", show=False, tooltip="Previous chapter"),
        Binding("H,backspace,alt+left", "back", "Back through history", show=False),
        Binding("L,alt+right", "forward", "Forward through history", show=False),
        Binding("t", "toggle_tree", "Tree", tooltip="Hide or show the chapter tree"),
        Binding("o", "outline", "Outline", tooltip="Headings of this chapter: pick one to jump there"),
        Binding("f", "links", "Links", tooltip="Links in this chapter: pick one to follow it (web links ask first)"),
        Binding("e", "exercises", "Exercises", tooltip="Exercises for this chapter (a: all exercises)"),
        Binding("slash", "search", "Search", key_display="/", tooltip="Search the whole handbook and your answers"),
        Binding("ctrl+f", "find_in_chapter", "Find", show=False, tooltip="Find in this chapter"),
        Binding("n", "next_match", "Next match", show=False, tooltip="Next search match in this chapter"),
        Binding("N", "previous_match", "Previous match", show=False, tooltip="Previous search match in this chapter"),
        Binding("escape", "clear_search", "Clear search", show=False, tooltip="Clear the search highlights"),
        *MARK_BINDINGS,
    ]
    """Chapter, history and pane keys; reading keys live on :class:`DocumentView`."""

    def __init__(self, handbook: Handbook, *, start: str | None = None, restore: bool = True) -> None:
        super().__init__()
        self.handbook = handbook
        self.history = History()
        self.chapter: Chapter | None = None
        self._documents: OrderedDict[str, Document] = OrderedDict()
        self._start = start
        self._restore = restore
        self._save_timer = None
        self._presenter_header: PresenterHeader | None = None
        """Presenter mode's header, once it has been on since this screen was made."""
        self._first_document = StartupDocument(handbook.root, handbook.lang)
        """The chapter to show first, parsed: read at start-up, stored with the reading position."""
        self.last_query = ""
        """The last search, offered again by ``/`` and used by ``n``/``N`` in other chapters."""
        self.status_text = ""
        """What the status line above the reader says, as plain text."""
        self.reading = ReadingTracker(
            handbook_key(handbook.root, handbook.lang),
            self.reading_store,
            warn=self._warn_from_any_thread,
        )
        """Time spent and the furthest point reached, per chapter, for the progress view."""

    def _warn_from_any_thread(self, message: str) -> None:
        """A warning toast, queued on the app's thread (the reading log is written on the save thread)."""
        self.app.call_later(self.notify, message, severity="warning")

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield ChapterTree(self.handbook, id="tree")
            with Vertical(id="reader-pane"):
                if getattr(self.app, "presenting", False):
                    yield self._new_presenter_header()
                yield Static(id="chapter-status")
                yield DocumentView(id="document")
        yield KeyFooter()

    def _new_presenter_header(self) -> PresenterHeader:
        """The header presenter mode shows instead of the status line.

        Made only once presenter mode is on (``--present`` or F5): hidden otherwise,
        it was six of the fifteen widgets styled before the first frame.
        """
        from peeragogy_tui.tui.widgets.presenter_header import PresenterHeader

        self._presenter_header = PresenterHeader(id="present-header")
        return self._presenter_header

    def _follow_presentation(self, presentation: Presentation) -> None:
        """Presenter mode turned on for the first time: mount its header above the status line."""
        if presentation.presenting and self._presenter_header is None:
            self.query_one("#reader-pane").mount(self._new_presenter_header(), before="#chapter-status")
            self._update_status()

    @property
    def document_view(self) -> DocumentView:
        return self.query_one(DocumentView)

    def on_mount(self) -> None:
        presentation = getattr(self.app, "presentation_signal", None)
        if presentation is not None:
            presentation.subscribe(self, self._follow_presentation)
        position = load_position(self.handbook.root, self.handbook.lang) if self._restore else None
        chapter = self.handbook.find(self._start) if self._start else None
        if chapter is None and position is not None:
            chapter = self.handbook.get(position.chapter_id)
        if chapter is None and self.handbook.chapters:
            chapter = self.handbook.chapters[0]
            position = None
        if chapter is not None:
            same = position is not None and position.chapter_id == chapter.id
            if same and position is not None:
                self.open_chapter(chapter.id, block=position.block, row=position.row)
            else:
                self.open_chapter(chapter.id)
        self.document_view.focus()

    # ------------------------------------------------------------- navigation

    def _document_for(self, chapter: Chapter) -> Document:
        cached = self._documents.get(chapter.id)
        if cached is not None:
            self._documents.move_to_end(chapter.id)
            return cached
        document = None if chapter.problem else self._first_document.load(chapter.id, chapter.body)
        if document is None and chapter.problem:
            document = broken_chapter_document(chapter, self.handbook.root)
        elif document is None:
            head = markdown_head(chapter.body)
            document = parse_document(chapter.body if head is None else head, source=chapter.path, root=self.handbook.root)
            if head is not None:
                document.partial, document.head_share = True, len(head) / len(chapter.body)
        if document.partial:
            self.call_after_refresh(self._parse_in_full, chapter)
        self._documents[chapter.id] = document
        if len(self._documents) > _CACHE_SIZE:
            self._documents.popitem(last=False)
        return document

    def _parse_in_full(self, chapter: Chapter) -> None:
        """Parse a long chapter whole in a thread (it shows its head meanwhile); then show it in place."""
        from functools import partial

        from peeragogy_tui.tui.full_parse import parse_in_thread

        parse_in_thread(
            chapter.body,
            chapter.path,
            self.handbook.root,
            deliver=self.app.call_from_thread,
            done=partial(self._parsed_in_full, chapter),
            failed=partial(self.notify, severity="warning"),
        )

    def _parsed_in_full(self, chapter: Chapter, document: Document) -> None:
        if not self.is_attached or self.handbook.get(chapter.id) is not chapter:
            return  # reloaded meanwhile: the new chapter is parsed on its own
        self._documents[chapter.id] = document
        view = self.document_view
        if self.chapter is chapter and view.document is not None and view.document.partial:
            view.replace_document(document)

    def open_chapter(
        self,
        chapter_id: str,
        *,
        anchor: str | None = None,
        block: int = 0,
        row: int | None = None,
        record: bool = True,
    ) -> bool:
        """Show a chapter (at a heading, or a block and a row of a table); ``False`` if there is no such chapter."""
        chapter = self.handbook.get(chapter_id)
        if chapter is None:
            self.notify(f"No chapter '{chapter_id}' in this handbook.", severity="error", markup=False)
            return False
        if self.chapter is not None and record:
            self.history.update_current(Location(self.chapter.id, self.document_view.top_block))
        self.chapter = chapter
        self.reading.opened(chapter.id)
        view = self.document_view
        view.show(self._document_for(chapter), block=block, row=row, anchor=anchor)
        if anchor and view.layout_result is not None and not view.has_anchor(anchor):
            self.notify(f"No heading '#{anchor}' in {chapter.title}; showing the top.", severity="warning", markup=False)
        if record:
            self.history.visit(Location(chapter.id, view.top_block))
        self.query_one(ChapterTree).select_chapter(chapter.id)
        self._update_status()
        self._save_position_soon()  # not now: a write + fsync does not belong before the first frame
        return True

    def handbook_changed(self, handbook: Handbook, changes: ChangeSet) -> None:
        """Live reload: show ``handbook`` (loaded again after ``changes``), the open chapter where it was."""
        from peeragogy_tui.core.handbook.watch import moved_chapter

        old, view = self.chapter, self.document_view
        self.handbook = handbook
        stale = {path.resolve() for path in changes.paths}
        for chapter_id, document in list(self._documents.items()):
            chapter = handbook.get(chapter_id)
            if chapter is None or chapter.path.resolve() in stale or changes.touches(document.includes):
                del self._documents[chapter_id]
        tree = self.query_one(ChapterTree)
        tree.show_handbook(handbook)
        if old is None:
            if handbook.chapters:
                self.open_chapter(handbook.chapters[0].id)
            return
        new = moved_chapter(old, changes, handbook)
        if new is None:
            self.notify(f"“{old.title}” was deleted or moved; the contents are up to date.", severity="warning")
            return
        self.chapter = new
        if new.id not in self._documents or view.document is None or new.problem != old.problem:
            line, query = round(view.scroll_y), view.search_query
            view.show(self._document_for(new), line=line)
            if query:
                view.highlight(query)
        if tree.cursor_is_free_or_on(old.id):  # a chapter the reader highlighted meanwhile stays highlighted
            tree.select_chapter(new.id)
        self._update_status()

    def _go(self, location: Location | None) -> None:
        if location is None:
            self.notify("Nothing further in that direction.", timeout=2)
            return
        self.open_chapter(location.chapter_id, block=location.block, record=False)

    def action_back(self) -> None:
        if self.chapter is not None:
            self.history.update_current(Location(self.chapter.id, self.document_view.top_block))
        self._go(self.history.back())

    def action_forward(self) -> None:
        self._go(self.history.forward())

    def action_next_chapter(self) -> None:
        if self.chapter is not None:
            following = self.handbook.next(self.chapter)
            if following is None:
                self.notify("This is the last chapter.", timeout=2)
            else:
                self.open_chapter(following.id)

    def action_previous_chapter(self) -> None:
        if self.chapter is not None:
            before = self.handbook.previous(self.chapter)
            if before is None:
                self.notify("This is the first chapter.", timeout=2)
            else:
                self.open_chapter(before.id)

    def action_exercises(self) -> None:
        self.app.show_exercises(self.chapter.id if self.chapter else None)  # type: ignore[attr-defined]

    def action_toggle_tree(self) -> None:
        if getattr(self.app, "presenting", False):
            self.notify("The tree stays hidden while presenting; F5 leaves presenter mode.", timeout=3)
            return
        tree = self.query_one(ChapterTree)
        # A class, not tree.display: an inline style would override presenter mode's stylesheet.
        tree.toggle_class("-hidden")
        if tree.has_class("-hidden"):
            self.document_view.focus()

    def action_outline(self) -> None:
        view = self.document_view
        if view.document is None or view.layout_result is None:
            return
        headings = [h for h in view.document.headings if view.has_anchor(h.slug)]
        items = [Text("  " * (h.level - 1)) + Text(h.text.plain) for h in headings]
        top = round(view.scroll_y)
        anchors = view.layout_result.anchors
        current = max((i for i, h in enumerate(headings) if anchors.get(h.slug, top + 1) <= top), default=0)

        def jump(index: int | None) -> None:
            if index is not None:
                view.scroll_to_anchor(headings[index].slug)
                view.focus()

        from peeragogy_tui.tui.dialogs import PickList  # not needed before the first frame

        self.app.push_screen(PickList("Headings in this chapter", items, selected=current, empty="No headings."), jump)

    def action_links(self) -> None:
        view = self.document_view
        if view.document is None:
            return
        from peeragogy_tui.core.render.link_list import link_rows

        rows = link_rows(view.document)
        items = [Text.assemble(row.text, ("  →  " + row.target, "dim")) for row in rows]

        def follow(index: int | None) -> None:
            if index is not None:
                self.follow_link(rows[index].target)

        from peeragogy_tui.tui.dialogs import PickList  # not needed before the first frame

        self.app.push_screen(PickList("Links in this chapter", items, empty="This chapter has no links."), follow)

    def follow_link(self, href: str) -> None:
        """Go where a link points; web links only after the user says yes."""
        if self.chapter is None:
            return
        target = resolve_link(self.handbook, self.chapter, href)
        if target.kind == "chapter" and target.chapter_id is not None:
            if target.chapter_id == self.chapter.id and target.anchor:
                self.history.update_current(Location(self.chapter.id, self.document_view.top_block))
                if self.document_view.scroll_to_anchor(target.anchor):
                    self.history.visit(Location(self.chapter.id, self.document_view.top_block))
                else:
                    self.notify(f"No heading '#{target.anchor}' in this chapter.", severity="warning", markup=False)
            else:
                self.open_chapter(target.chapter_id, anchor=target.anchor)
        elif target.kind == "exercise" and target.exercise_id:
            self.app.open_exercise(target.exercise_id)  # type: ignore[attr-defined]
        elif target.kind == "external" and target.url:
            url = target.url

            def answer(yes: bool | None) -> None:
                if yes:
                    self.app.open_url(url)

            from peeragogy_tui.tui.dialogs import ConfirmDialog  # not needed before the first frame

            self.app.push_screen(ConfirmDialog("Open this link in your web browser?", url), answer)
        elif target.kind == "outside":
            self.notify(f"This link points outside the handbook folder: {href}", severity="warning", markup=False)
        else:
            self.notify(f"Broken link: {href}", severity="error", markup=False)

    # -------------------------------------------------------------- search

    def action_search(self) -> None:
        self._open_search("all")

    def action_find_in_chapter(self) -> None:
        self._open_search("chapter")

    def _open_search(self, scope: str) -> None:
        from peeragogy_tui.tui.screens.search import SearchScreen

        view = self.document_view
        screen = SearchScreen(
            scope="chapter" if scope == "chapter" and self.chapter is not None else "all",
            query=view.search_query or self.last_query,
            chapter_title=self.chapter.title if self.chapter else "",
            chapter_text=view.match_lines_text(),
            open_index=self.app.search_index,  # type: ignore[attr-defined]
            interrupt=getattr(self.app, "interrupt_search", None),
            ticket=getattr(self.app, "search_ticket", None),
        )
        self.app.push_screen(screen, self._search_chosen)

    def _search_chosen(self, choice: SearchChoice | None) -> None:
        if choice is None:
            return
        self.last_query = choice.query
        if choice.kind == "exercise" and choice.exercise_id:
            self.app.open_exercise(choice.exercise_id)  # type: ignore[attr-defined]
        elif choice.kind == "answer" and choice.exercise_id:
            self.app.review_exercise(  # type: ignore[attr-defined]
                choice.exercise_id, run_id=choice.run_id, step_key=choice.step_key
            )
        elif choice.kind == "in_chapter":
            self.show_matches(choice.query, choice.match_index or 0)
        elif choice.chapter_id:
            moving = self.chapter is None or choice.chapter_id != self.chapter.id
            if moving and not self.open_chapter(choice.chapter_id):
                return
            self.show_matches(choice.query, 0)

    def show_matches(self, query: str, index: int = 0) -> None:
        """Highlight ``query`` in the open chapter and move to match ``index``."""
        view = self.document_view
        if self.chapter is not None:
            self.history.update_current(Location(self.chapter.id, view.top_block))
        count = view.highlight(query)
        if count or not view.layout_complete:
            # While the chapter is still being laid out, a match further down is reached when it is.
            view.goto_match(index)
            if self.chapter is not None:
                self.history.visit(Location(self.chapter.id, view.top_block))
            if count > 1 or not view.layout_complete:
                many = f"{count} matches" if view.layout_complete else "Matches"
                self.notify(f"{many} here: n next, N previous, Esc clears.", timeout=4)
        else:
            self.notify(f"{query!r} is not in the text of this chapter (only in its title or metadata).", timeout=4, markup=False)
        view.focus()
        self._update_status()

    def _step_match(self, step: int) -> None:
        view = self.document_view
        if view.search_query is None:
            if not self.last_query:
                self.notify("Nothing to repeat: press / to search.", timeout=2)
                return
            if not view.highlight(self.last_query) and view.layout_complete:
                self.notify(f"No matches for {self.last_query!r} in this chapter.", timeout=2, markup=False)
                self._update_status()
                return
        if view.next_match(step) is None and view.layout_complete:
            self.notify(f"No matches for {view.search_query!r} in this chapter.", timeout=2, markup=False)
        self._update_status()

    def action_next_match(self) -> None:
        self._step_match(1)

    def action_previous_match(self) -> None:
        self._step_match(-1)

    def action_clear_search(self) -> None:
        if self.document_view.search_query is not None:
            self.document_view.highlight(None)
            self._update_status()

    # ------------------------------------------------------------ messages

    def on_chapter_tree_open_chapter(self, message: ChapterTree.OpenChapter) -> None:
        self.open_chapter(message.chapter_id)
        self.document_view.focus()

    def on_document_view_link_clicked(self, message: DocumentView.LinkClicked) -> None:
        self.follow_link(message.href)

    def on_document_view_scrolled(self, message: DocumentView.Scrolled) -> None:
        if self.chapter is not None:
            self.history.update_current(Location(self.chapter.id, message.block))
            self.reading.moved(self._seen_fraction())
        self._update_status()
        self._save_position_soon()

    def _save_position_soon(self) -> None:
        """Save the position in a second: one write for a burst of moves (quitting saves at once)."""
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(1.0, self._save_position)

    # -------------------------------------------------------------- status

    def _update_status(self) -> None:
        if self.chapter is None:
            return
        view = self.document_view
        percent = view.position_percent
        title = Text(self.chapter.title, style="bold", no_wrap=True, overflow="ellipsis")
        facts = Text(f" · {self.chapter.index + 1}/{len(self.handbook.chapters)} · {percent}%", no_wrap=True)
        if self.chapter.problem:
            facts.append(" · ✗ problem in file")
        if view.search_query is not None:
            count, current = len(view.matches), view.current_match
            where = f"{current + 1}/{count}" if current is not None and count else str(count)
            facts.append(f" · match {where}" if count else " · no matches")
        exercises = self.app.exercises_for(self.chapter.id)  # type: ignore[attr-defined]
        if exercises:
            facts.append(f" · {len(exercises)} exercise{'s' if len(exercises) > 1 else ''} (e)")
        # The title gives way on narrow screens; position and the exercise hint always show.
        self.status_text = title.plain + facts.plain
        status = Table.grid(expand=True)
        status.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        status.add_column(no_wrap=True, justify="right")
        status.add_row(title, facts)
        self.query_one("#chapter-status", Static).update(status)
        if self._presenter_header is not None:
            self._presenter_header.show(self.chapter.index + 1, len(self.handbook.chapters), self.chapter.title)

    def _seen_fraction(self) -> float:
        """How far down the chapter the bottom of the view is (1.0 once the end is on screen)."""
        view = self.document_view
        total = len(view.lines)
        if total == 0:
            return 0.0
        if not view.layout_complete:  # the total is not known yet: count only what is surely passed
            return view.position_percent / 100
        return min(1.0, (view.scroll_y + max(view.scrollable_content_region.height, 1)) / total)

    def _save_position(self) -> None:
        """Save the reading position, the reading log and the start-up copy of the chapter, on the save thread.

        What to save is taken here, on the app's thread; the writes (an fsync,
        an SQLite commit, the first open of the answer store) run on the app's
        :class:`~peeragogy_tui.tui.save_thread.SaveThread`, in order.
        """
        if self.chapter is None:
            return
        self.reading.moved(self._seen_fraction())
        self.reading.collect()
        view = self.document_view
        position = ReadingPosition(self.chapter.id, view.top_block, round(view.scroll_y), view.top_row)
        root, lang = self.handbook.root, self.handbook.lang
        document = None if self.chapter.problem else self._documents.get(self.chapter.id)
        body, top_block = self.chapter.body, view.top_block

        def save() -> None:
            self.reading.write_collected()
            try:
                save_position(root, lang, position)
            except PeeragogyError as error:
                self.app.call_later(self.notify, str(error), title="Could not save your place", severity="warning")
                return
            if document is not None:
                self._first_document.save(position.chapter_id, body, document, top_block)

        self.app.saves.submit(save)  # type: ignore[attr-defined]
