"""The reader pane: a Line-API widget that shows a laid-out chapter.

Textual's stock ``MarkdownViewer`` mounts a widget per block, which takes
seconds on large documents. This widget lays the chapter out once per width
(:func:`layout_document`) and renders only the lines on screen, so the first
screen and a jump to the end cost the same on a 400 KB chapter as on a short one.
"""

from __future__ import annotations

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

from peeragogy_tui.core.render import Document, Layout, layout_document
from peeragogy_tui.core.render.layout import DEFAULT_ROLES, make_console
from peeragogy_tui.core.render.present import ZOOM_DEFAULT, block_gap, clamp_zoom, present_width

if TYPE_CHECKING:
    from peeragogy_tui.core.search.matching import ChapterMatch

__all__ = ["DocumentView"]

_ROLES = [role.removeprefix("md.") for role in DEFAULT_ROLES]


class DocumentView(ScrollView, can_focus=True):
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
        self._pending_block: int | None = None
        self._pending_anchor: str | None = None
        self._pending_line: int | None = None
        self._laid_out_style = (False, 1)
        self._laid_out_for = (-1, -1)
        self._search_query: str | None = None
        self._matches: list[ChapterMatch] = []
        self._current_match: int | None = None
        self._line_spans: dict[int, list[tuple[int, int, int]]] = {}

    # ----------------------------------------------------------------- public

    def show(self, document: Document, *, block: int = 0, anchor: str | None = None, line: int | None = None) -> None:
        """Show ``document`` scrolled to ``anchor``, else ``line``, else ``block``."""
        self.document = document
        self._pending_block, self._pending_anchor, self._pending_line = block, anchor, line
        self._laid_out_for = (-1, -1)
        self._search_query, self._matches, self._current_match, self._line_spans = None, [], None, {}
        self._relayout()

    @property
    def lines(self) -> list[Text]:
        """The laid-out lines (empty before the first layout)."""
        return self.layout_result.lines if self.layout_result else []

    @property
    def top_block(self) -> int:
        """The top-level block at the top of the view."""
        return self.layout_result.block_at(round(self.scroll_y)) if self.layout_result else 0

    def scroll_to_block(self, block: int) -> None:
        """Put top-level block ``block`` at the top of the view."""
        if self.layout_result and self.layout_result.block_lines:
            block = max(0, min(block, len(self.layout_result.block_lines) - 1))
            self.scroll_to(y=self.layout_result.block_lines[block], animate=False, immediate=True, force=True)

    def scroll_to_anchor(self, anchor: str) -> bool:
        """Scroll to the heading with this slug; ``False`` if there is none."""
        from peeragogy_tui.core.handbook.slugs import slugify

        if self.layout_result is None:
            return False
        line = self.layout_result.anchors.get(anchor)
        if line is None:
            line = self.layout_result.anchors.get(slugify(anchor))
        if line is None:
            return False
        self.scroll_to(y=line, animate=False, immediate=True, force=True)
        return True

    def scroll_to_line(self, line: int) -> None:
        """Put ``line`` at the top of the view (clamped)."""
        self.scroll_to(y=max(0, line), animate=False, immediate=True, force=True)

    # ---------------------------------------------------------------- search

    @property
    def search_query(self) -> str | None:
        """The query whose matches are highlighted, if any."""
        return self._search_query

    @property
    def matches(self) -> list[ChapterMatch]:
        """Every highlighted match: ``line`` indexes :attr:`lines`, ``start``/``end`` are offsets in it."""
        return self._matches

    @property
    def current_match(self) -> int | None:
        """The index into :attr:`matches` of the match ``n``/``N`` last moved to."""
        return self._current_match

    def highlight(self, query: str | None) -> int:
        """Highlight every match of ``query`` in the laid-out text; ``None`` clears. Returns the count."""
        self._search_query = query or None
        self._current_match = None
        self._find_matches()
        return len(self._matches)

    def match_lines_text(self) -> str:
        """The laid-out text, one line per view line (what search matches against)."""
        return "\n".join(line.plain for line in self.lines)

    def goto_match(self, index: int) -> ChapterMatch | None:
        """Make match ``index`` (wrapping around) current and scroll it into view."""
        if not self._matches:
            self._current_match = None
            return None
        index %= len(self._matches)
        self._current_match = index
        match = self._matches[index]
        height = max(self.scrollable_content_region.height, 1)
        top = round(self.scroll_y)
        if not top <= match.line < top + height:
            self.scroll_to_line(match.line - height // 3)
        self._strip_cache.clear()
        self.refresh()
        return match

    def next_match(self, step: int = 1) -> ChapterMatch | None:
        """Move to the next match (``step=-1``: the previous one) from the current one or the view."""
        if not self._matches:
            return None
        if self._current_match is not None:
            return self.goto_match(self._current_match + step)
        top = round(self.scroll_y)
        if step > 0:
            index = next((i for i, m in enumerate(self._matches) if m.line >= top), 0)
        else:
            index = next((i for i in range(len(self._matches) - 1, -1, -1) if self._matches[i].line < top), -1)
        return self.goto_match(index)

    def _find_matches(self) -> None:
        self._line_spans = {}
        if not self._search_query or self.layout_result is None:
            self._matches = []
        else:
            from peeragogy_tui.core.search.matching import find_matches

            self._matches = find_matches(self.match_lines_text(), self._search_query, body_line=0)
            for number, match in enumerate(self._matches):
                self._line_spans.setdefault(match.line, []).append((match.start, match.end, number))
        if self._current_match is not None and self._current_match >= len(self._matches):
            self._current_match = None
        self._strip_cache.clear()
        self.refresh()

    def action_scroll_home(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True, force=True)

    def action_scroll_end(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)

    def action_scroll_down(self) -> None:
        self.scroll_to(y=self.scroll_y + 1, animate=False, force=True)

    def action_scroll_up(self) -> None:
        self.scroll_to(y=self.scroll_y - 1, animate=False, force=True)

    def action_page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + max(self.scrollable_content_region.height - 1, 1), animate=False, force=True)

    def action_page_up(self) -> None:
        self.scroll_to(y=self.scroll_y - max(self.scrollable_content_region.height - 1, 1), animate=False, force=True)

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

    def _relayout(self) -> None:
        if self.document is None or not self.is_mounted or self.scrollable_content_region.width == 0:
            return
        text_width, margin = self._text_geometry()
        style = (self.presenting, block_gap(self.zoom) if self.presenting else 1)
        if (self._laid_out_for, self._laid_out_style) == ((text_width, margin), style) and self.layout_result is not None:
            return
        if self._pending_block is None and self._pending_anchor is None and self._pending_line is None:
            self._pending_block = self.top_block
        self._render_console = make_console(text_width, self._roles())
        self.layout_result = layout_document(
            self.document, text_width, self._render_console, presenting=style[0], gap=style[1]
        )
        self._laid_out_for, self._laid_out_style = (text_width, margin), style
        self._strip_cache.clear()
        self.virtual_size = Size(text_width + margin, len(self.layout_result.lines))
        if self._search_query:
            current = self._current_match
            self._find_matches()
            self._current_match = current if current is not None and current < len(self._matches) else None
        self._apply_pending()
        self.refresh()

    def _apply_pending(self) -> None:
        anchor, line, block = self._pending_anchor, self._pending_line, self._pending_block
        self._pending_anchor = self._pending_line = self._pending_block = None
        if anchor and self.scroll_to_anchor(anchor):
            pass
        elif line is not None:
            self.scroll_to_line(line)
        else:
            self.scroll_to_block(block or 0)
        self._post_scrolled()

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

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

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
        spans = self._line_spans.get(index)
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
