"""The reader pane: a Line-API widget that shows a laid-out chapter.

Textual's stock ``MarkdownViewer`` mounts a widget per block, which takes
seconds on large documents. This widget lays the chapter out once per width
and renders only the lines on screen. The layout is progressive
(:class:`~peeragogy_tui.core.render.progressive.LayoutJob`): what is on screen
first, then the rest in slices of a few milliseconds between frames, so the
size of a chapter never shows in the time to its first text, and the event
loop is never blocked for long. A place that is not laid out yet (a saved
position, a heading, a search match, the end) is kept pending and reached as
soon as its line exists.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from peeragogy_tui.core.collector import keep_out_of_collections
from peeragogy_tui.core.handbook.slugs import slugify
from peeragogy_tui.core.render import Document, Layout
from peeragogy_tui.core.render.layout import DEFAULT_ROLES, make_console
from peeragogy_tui.core.render.places import Place, blocks_above, has_heading, heading_line, place_line, row_place
from peeragogy_tui.core.render.present import ZOOM_DEFAULT, block_gap, clamp_zoom, present_width
from peeragogy_tui.core.render.progressive import LayoutJob, layout_weight
from peeragogy_tui.tui.widgets.document_matches import DocumentMatches
from peeragogy_tui.tui.widgets.relayout import ResizeRelayout

if TYPE_CHECKING:
    from peeragogy_tui.core.search.matching import GrowingMatches

__all__ = ["DocumentView"]

_ROLES = [role.removeprefix("md.") for role in DEFAULT_ROLES]

_SMALL_DOCUMENT = 400
"""Documents lighter than this (:func:`layout_weight`) are laid out whole at once: a few ms."""
_FIRST_SLICE = 0.05
"""Seconds spent laying out toward the place shown first, before the first frame, at most."""
_SLICE = 0.02
"""Seconds per background layout slice: far below the 100 ms that would feel frozen."""
_SIDEWAYS = 8
"""Cells ``h``/``l`` scroll a wide table sideways."""
_BREATHE = 0.004
"""Seconds the background layout sleeps between slices, so keys and frames go first."""
_SETTLE_EVERY = 0.25
"""Seconds between the background layout's hand-overs of its lines out of the collector's sight."""
_RESIZE_EVERY = 0.25
"""Seconds between updates of the scrollable height while the background layout runs (sooner when
the view is near the lines laid out so far, or waits for a place). Each update lays the whole
screen out again and repaints it: after every slice, that was most of the app's thread."""


class DocumentView(DocumentMatches, ResizeRelayout, ScrollView, can_focus=True):
    """Shows one :class:`Document`; posts messages when a link is clicked or it scrolls."""

    COMPONENT_CLASSES = {f"document--{role.replace('_', '-')}" for role in _ROLES} | {"document--match-current"}

    DEFAULT_CSS = """
    DocumentView {
        background: $surface;
        color: $foreground;
        scrollbar-gutter: stable;
    }
    DocumentView > .document--h1 { color: $accent; text-style: bold; }
    DocumentView > .document--h2 { color: $accent; text-style: bold; }
    DocumentView > .document--h3 { color: $secondary; text-style: bold; }
    DocumentView > .document--h4 { color: $secondary; text-style: italic; }
    DocumentView > .document--strong { text-style: bold; }
    DocumentView > .document--em { text-style: italic; }
    DocumentView > .document--strike { text-style: strike; }
    DocumentView > .document--link { color: $text-primary; text-style: underline; }
    DocumentView > .document--code-inline { background: $boost; color: $text-warning; }
    DocumentView > .document--code { background: $boost; }
    DocumentView > .document--quote { color: $text-muted; text-style: italic; }
    DocumentView > .document--bullet { color: $accent; text-style: bold; }
    DocumentView > .document--rule { color: $text-muted; }
    DocumentView > .document--table-header { text-style: bold; color: $accent; }
    DocumentView > .document--table-border { color: $text-muted; }
    DocumentView > .document--image { text-style: italic; color: $text-muted; }
    DocumentView > .document--band { background: $boost; }
    DocumentView > .document--footnote-ref { color: $text-primary; text-style: bold; }
    DocumentView > .document--term { text-style: bold; }
    DocumentView > .document--directive { color: $text-muted; text-style: italic; }
    DocumentView > .document--alert-note { color: $primary; text-style: bold; }
    DocumentView > .document--alert-tip { color: $success; text-style: bold; }
    DocumentView > .document--alert-important { color: $accent; text-style: bold; }
    DocumentView > .document--alert-warning { color: $warning; text-style: bold; }
    DocumentView > .document--alert-caution { color: $error; text-style: bold; }
    DocumentView > .document--match { background: $warning 40%; text-style: bold underline; }
    DocumentView > .document--match-current { text-style: bold reverse; }
    """

    BINDINGS = [
        Binding("up,k", "scroll_up", "Up", show=False, tooltip="Scroll up a line"),
        Binding("down,j", "scroll_down", "Down", show=False, tooltip="Scroll down a line"),
        Binding("pageup,b", "page_up", "Page up", show=False, tooltip="Scroll up a page"),
        Binding("pagedown,space", "page_down", "Page down", show=False, tooltip="Scroll down a page"),
        Binding("home,g", "scroll_home", "Top", show=False, tooltip="Top of the chapter"),
        Binding("end,G", "scroll_end", "End", show=False, tooltip="End of the chapter"),
        Binding("left,h", "scroll_left", "Left", show=False, tooltip="Scroll a wide table left"),
        Binding("right,l", "scroll_right", "Right", show=False, tooltip="Scroll a wide table right"),
    ]
    """Less-style reading keys."""

    max_text_width: reactive[int] = reactive(96)
    """The widest a line of text gets; wider terminals get margins."""

    presenting: reactive[bool] = reactive(False)
    """Drawn for a shared screen: a centred column set by ``zoom``, big headings, marked links."""

    zoom: reactive[int] = reactive(ZOOM_DEFAULT)
    """Presenter zoom step (see :mod:`peeragogy_tui.core.render.present`): higher is a narrower column, more space."""

    class LinkClicked(Message):
        """A link in the document was clicked; ``index`` is into ``Document.links``."""

        def __init__(self, href: str) -> None:
            self.href = href
            super().__init__()

    class Scrolled(Message):
        """The view moved: ``line`` of ``total`` at the top, showing ``block``."""

        def __init__(self, line: int, total: int, block: int) -> None:
            self.line = line
            self.total = total
            self.block = block
            super().__init__()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.document: Document | None = None
        self.layout_result: Layout | None = None
        self._render_console = make_console(80)
        self._strip_cache: dict[int, Strip] = {}
        self._place: Place | None = None
        """Where to go once its line is laid out (``None``: nowhere pending)."""
        self._end_pending = False
        """End was pressed during layout: follow the end until it is the real one."""
        self._laid_out_style = (False, 1)
        self._laid_out_for = (-1, -1)
        self._job: LayoutJob | None = None
        self._job_sized: LayoutJob | None = None
        """The job whose lines :attr:`virtual_size` was last set from."""
        self._resized_at = 0.0
        self._lines_taken_in = 0
        """How many of the job's lines :meth:`_grew` has taken in."""
        self._found: GrowingMatches | None = None
        self._current_match: int | None = None
        self._pending_match: int | None = None

    # ----------------------------------------------------------------- public

    def show(
        self,
        document: Document,
        *,
        block: int = 0,
        anchor: str | None = None,
        line: int | None = None,
        row: int | None = None,
    ) -> None:
        """Show ``document`` scrolled to ``anchor``, else ``line``, else ``block`` (and its table ``row``)."""
        self.document = document
        self._place = Place(anchor, line, block, row)
        self._end_pending = False
        self._laid_out_for = (-1, -1)
        self._found, self._current_match, self._pending_match = None, None, None
        self._relayout()

    def replace_document(self, document: Document) -> None:
        """Show the whole chapter in place of its head (``partial``): same place, search and pending End."""
        if self.document is None or self.layout_result is None:
            self.show(document)
            return
        end_pending, pending_match = self._end_pending, self._pending_match
        if end_pending:
            self._place = None
        elif self._place is None:
            line = round(self.scroll_y)  # the head's lines are the whole's first lines, but for a cut table
            self._place = row_place(self.layout_result, line) or Place(line=line)
        self.document = document
        self._laid_out_for = (-1, -1)
        self._end_pending = end_pending
        self._relayout()
        if pending_match is not None and self._pending_match is None:
            self.goto_match(pending_match)

    @property
    def layout_complete(self) -> bool:
        """Every line of the whole document is laid out (``False`` while the background layout runs,
        and while only the head of a long chapter is here)."""
        if self.document is not None and self.document.partial:
            return False
        return self.layout_result is not None and (self._job is None or self._job.done)

    @property
    def position_percent(self) -> int:
        """How far through the chapter the view is: 0 at the top, 100 at the end."""
        if self.layout_result is None or self.document is None:
            return 0
        if not self.layout_complete:
            share = self.document.head_share if self.document.partial else 1.0
            above = blocks_above(self.layout_result, self.document, round(self.scroll_y))
            return min(99, round(100 * share * above / max(len(self.document.blocks), 1)))
        if self.max_scroll_y <= 0:
            return 100
        return max(0, min(100, round(100 * self.scroll_y / self.max_scroll_y)))

    def has_anchor(self, anchor: str) -> bool:
        """The document has a top-level heading with this slug (laid out yet or not)."""
        if self.layout_result is not None and heading_line(self.layout_result, anchor) is not None:
            return True
        return (
            not self.layout_complete
            and self.document is not None
            and (self.document.partial or has_heading(self.document, anchor))
        )

    @property
    def lines(self) -> list[Text]:
        """The laid-out lines (empty before the first layout; growing during a progressive one)."""
        return self.layout_result.lines if self.layout_result else []

    @property
    def top_block(self) -> int:
        """The top-level block at the top of the view."""
        return self.layout_result.block_at(round(self.scroll_y)) if self.layout_result else 0

    @property
    def top_row(self) -> int | None:
        """The row at the top of the view when the top block is a table, else ``None``."""
        place = row_place(self.layout_result, round(self.scroll_y)) if self.layout_result else None
        return place.row if place is not None else None

    def scroll_to_block(self, block: int) -> None:
        """Put top-level block ``block`` at the top of the view (once it is laid out)."""
        self._go(Place(block=block))

    def scroll_to_anchor(self, anchor: str) -> bool:
        """Scroll to the heading with this slug (once it is laid out); ``False`` if there is none."""
        if not self.has_anchor(anchor):
            return False
        self._go(Place(anchor=anchor))
        return True

    def scroll_to_line(self, line: int) -> None:
        """Put ``line`` at the top of the view (clamped; once it is laid out)."""
        self._go(Place(line=max(0, line)))

    def _go(self, place: Place) -> None:
        self._place, self._end_pending = place, False
        if self.layout_result is not None:
            self._apply_place()

    def _scroll_now(self, line: int) -> None:
        self._place, self._end_pending = None, False
        self.scroll_to(y=line, animate=False, immediate=True, force=True)

    def _apply_place(self) -> None:
        """Go to the pending place if its line, and a screenful below it, are laid out."""
        layout, document = self.layout_result, self.document
        if self._place is None or layout is None or document is None:
            return
        done = self.layout_complete
        line = place_line(self._place, layout, document, done)
        if line is not None and (done or len(layout.lines) > line + self.size.height):
            self._scroll_now(line)
            self._post_scrolled()

    def action_scroll_home(self) -> None:
        self._scroll_now(0)

    def action_scroll_end(self) -> None:
        """The end of the chapter; while it is still being laid out, follow the end until it is there."""
        self._scroll_now(self.max_scroll_y)
        self._end_pending = not self.layout_complete

    def _scroll_by(self, lines: int) -> None:
        self._place, self._end_pending = None, False
        self.scroll_to(y=self.scroll_y + lines, animate=False, force=True)

    def action_scroll_left(self) -> None:
        self.scroll_to(x=self.scroll_x - _SIDEWAYS, animate=False, force=True)

    def action_scroll_right(self) -> None:
        self.scroll_to(x=self.scroll_x + _SIDEWAYS, animate=False, force=True)

    def action_scroll_down(self) -> None:
        self._scroll_by(1)

    def action_scroll_up(self) -> None:
        self._scroll_by(-1)

    def action_page_down(self) -> None:
        self._scroll_by(max(self.scrollable_content_region.height - 1, 1))

    def action_page_up(self) -> None:
        self._scroll_by(-max(self.scrollable_content_region.height - 1, 1))

    # --------------------------------------------------------------- internal

    def _text_geometry(self) -> tuple[int, int]:
        width = max(self.scrollable_content_region.width, 12)
        if self.presenting:
            text_width = present_width(width, self.zoom)
            return text_width, max(2, (width - text_width) // 2)
        text_width = min(width - 4, self.max_text_width)
        margin = max(2, (width - text_width) // 2) if width > text_width + 4 else 2
        return max(text_width, 8), margin

    def _roles(self) -> dict[str, Style]:
        roles: dict[str, Style] = {}
        for role in _ROLES:
            roles[f"md.{role}"] = self.get_component_rich_style(f"document--{role.replace('_', '-')}", partial=True)
        return roles

    def _wanted_layout(self) -> tuple[tuple[int, int], tuple[bool, int]] | None:
        """The (text width, margin) and style to lay out at now; ``None`` if the layout shown is right."""
        if self.document is None or not self.is_mounted or self.scrollable_content_region.width == 0:
            return None
        geometry = self._text_geometry()
        style = (self.presenting, block_gap(self.zoom) if self.presenting else 1)
        if (self._laid_out_for, self._laid_out_style) == (geometry, style) and self.layout_result is not None:
            return None
        return geometry, style

    def _relayout(self, *, background: bool = True) -> None:
        """Lay the document out at the current width: the first screen now, the rest in the
        background (started here unless ``background`` is false: the caller runs it)."""
        wanted = self._wanted_layout()
        if wanted is None or self.document is None:
            return
        (text_width, margin), style = wanted
        if self._place is None and not self._end_pending:  # a new width or style keeps the top block (or table row)
            row = row_place(self.layout_result, round(self.scroll_y)) if self.layout_result is not None else None
            self._place = row or Place(block=self.top_block)
        self._render_console = make_console(text_width, self._roles())
        self._retire_layout()
        job = LayoutJob(self.document, text_width, self._render_console, presenting=style[0], gap=style[1])
        self._job, self.layout_result = job, job.layout
        self._lines_taken_in = 0
        self._laid_out_for, self._laid_out_style = (text_width, margin), style
        if layout_weight(self.document, _SMALL_DOCUMENT) <= _SMALL_DOCUMENT:
            job.finish()
        else:
            self._lay_out_first_screen(job, self._place or Place(block=self.top_block))
        if self._found is not None:
            current = self._current_match
            self.highlight(self._found.text)
            self._current_match = current if current is not None and current < len(self.matches) else None
        self._grew()
        if not job.done and background:
            self.run_worker(self._lay_out_rest(job), group="layout", exclusive=True, exit_on_error=True)

    def _lay_out_first_screen(self, job: LayoutJob, place: Place) -> None:
        """Lay out toward the place to show (for a moment: it may be far) and one screenful past it."""
        assert self.document is not None
        height = max(self.scrollable_content_region.height, 1) + 1
        if place.anchor is not None and has_heading(self.document, place.anchor):
            slug = place.anchor if any(h.slug == place.anchor for h in self.document.headings) else slugify(place.anchor)
            job.advance(seconds=_FIRST_SLICE, anchor=slug)
        elif place.line is not None:
            job.advance(seconds=_FIRST_SLICE, lines=place.line + height)
        else:
            job.advance(seconds=_FIRST_SLICE, block=place.block or 0, row=place.row)
        line = place_line(place, job.layout, self.document, job.done and not self.document.partial)
        job.advance(lines=(line or 0) + height)  # the screen shown first, whatever it costs

    async def _lay_out_rest(self, job: LayoutJob) -> None:
        """The background layout: a slice, then a breath for keys and frames, until done.

        What it lays out lives as long as the chapter is shown: now and then, and at
        the end, it is taken out of the garbage collector's sight (see
        :func:`~peeragogy_tui.core.collector.keep_out_of_collections`).
        """
        settled = time.perf_counter()
        while not job.done and job is self._job:
            await asyncio.sleep(_BREATHE)  # first: the frame showing the first screen goes before any slice
            if job is not self._job:
                break
            job.advance(seconds=_SLICE)
            self._grew()
            if job.done or time.perf_counter() - settled > _SETTLE_EVERY:
                keep_out_of_collections()
                settled = time.perf_counter()

    def _grew(self) -> None:
        """Take in the lines laid out since the last call: size, matches, pending places, the end.

        The screen is repainted only when new lines fall inside the view, and the
        scrollable height follows the layout every :data:`_RESIZE_EVERY` seconds
        (at once when it must: see :meth:`_resize_now`).
        """
        layout = self.layout_result
        if layout is None:
            return
        text_width, margin = self._laid_out_for
        size = Size(max(text_width, layout.wide) + margin, len(layout.lines))
        if size != self.virtual_size and self._resize_now(size):
            self.virtual_size = size
            self._job_sized, self._resized_at = self._job, time.perf_counter()
        new_lines = range(self._lines_taken_in, len(layout.lines))
        self._lines_taken_in = len(layout.lines)
        self._extend_matches()
        self._apply_place()
        if self._end_pending:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)
            self._end_pending = not self.layout_complete
        if self._pending_match is not None and (
            self.layout_complete or 0 <= self._pending_match < len(self.matches)
        ):
            self.goto_match(self._pending_match)
        if self.layout_complete:
            self._post_scrolled()  # the total is known now: the percentage is exact
        top = round(self.scroll_y)
        if new_lines.start < top + max(self.scrollable_content_region.height, 1) and new_lines.stop > top:
            self.refresh()

    def _resize_now(self, size: Size) -> bool:
        """Whether :attr:`virtual_size` must follow the layout now rather than at the next :data:`_RESIZE_EVERY`."""
        current = self.virtual_size
        if (
            self.layout_complete
            or self._job_sized is not self._job  # a new layout: its first lines replace the last one's
            or size.width != current.width
            or size.height < current.height
            or self._place is not None
            or self._end_pending
            or self._pending_match is not None
        ):
            return True
        height = max(self.scrollable_content_region.height, 1)
        if self.scroll_y + 3 * height >= current.height:
            return True  # the reader is close to the lines laid out so far: let them scroll on
        return time.perf_counter() - self._resized_at >= _RESIZE_EVERY

    def _restyle(self) -> None:
        self._render_console = make_console(self._laid_out_for[0] if self._laid_out_for[0] > 0 else 80, self._roles())
        self._strip_cache.clear()
        self.refresh()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.call_after_refresh(self._restyle))
        # Presenter mode is app-wide state (PeeragogyApp.presenting and .zoom): follow it when the app has it.
        presentation = getattr(self.app, "presentation_signal", None)
        if presentation is not None:
            self.set_reactive(DocumentView.presenting, bool(getattr(self.app, "presenting", False)))
            self.set_reactive(DocumentView.zoom, clamp_zoom(getattr(self.app, "zoom", ZOOM_DEFAULT)))
            presentation.subscribe(self, self._follow_presentation)

    def _follow_presentation(self, presentation: tuple[bool, int]) -> None:
        self.presenting, self.zoom = presentation

    def watch_max_text_width(self) -> None:
        self._laid_out_for = (-1, -1)
        self._relayout()

    def watch_presenting(self) -> None:
        self._relayout()

    def watch_zoom(self) -> None:
        self._relayout()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._post_scrolled()

    def _post_scrolled(self) -> None:
        if self.layout_result is not None:
            top = round(self.scroll_y)
            self.post_message(self.Scrolled(top, len(self.layout_result.lines), self.layout_result.block_at(top)))

    def render_lines(self, crop):  # type: ignore[no-untyped-def]
        # Lay out on the first render that knows the width, rather than waiting for
        # on_resize: that saves a whole blank frame before the chapter appears.
        if self.document is not None and self.layout_result is None:
            self._relayout()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        base = self.rich_style
        if self.layout_result is None or index >= len(self.layout_result.lines):
            return Strip.blank(width, base)
        strip = self._strip_cache.get(index)
        if strip is None:
            strip = self._render_strip(index).apply_style(base)
            if len(self._strip_cache) > 4000:
                self._strip_cache.clear()
            self._strip_cache[index] = strip
        scroll_x = round(self.scroll_x)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _render_strip(self, index: int) -> Strip:
        assert self.layout_result is not None
        _, margin = self._laid_out_for
        line = self.layout_result.lines[index]
        spans = self._found.line_spans.get(index) if self._found else None
        gutter, gutter_style = "  ", None
        if spans:
            # Marked in the gutter as well as by colour: ▶ the current match's line, › other matches.
            line = line.copy()
            match_style = self._render_console.get_style("md.match")
            current_style = self.get_component_rich_style("document--match-current", partial=True)
            is_current = False
            for start, end, number in spans:
                here = number == self._current_match
                is_current = is_current or here
                line.stylize(current_style if here else match_style, start, end)
            gutter, gutter_style = ("▶ " if is_current else "› "), match_style
        left = [Segment(" " * (margin - 2)), Segment(gutter, gutter_style)]
        if line.style and not line.spans:
            # Rich's Text.render drops a line's own style when it has no spans (rules, table borders).
            style = self._render_console.get_style(line.style, default="")
            return Strip([*left, Segment(line.plain, style)])
        return Strip(left + list(line.render(self._render_console)))

    def on_click(self, event: events.Click) -> None:
        link = event.style.meta.get("link") if event.style else None
        if isinstance(link, int) and self.document is not None and 0 <= link < len(self.document.links):
            event.stop()
            self.post_message(self.LinkClicked(self.document.links[link]))
