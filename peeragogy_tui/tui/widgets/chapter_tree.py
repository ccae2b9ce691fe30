"""The chapter tree on the left: parts, chapters, drafts, links and separators, and broken files marked.

A large handbook's tree is built lazily. Building every node of a
5,000-chapter tree, expanded, took longer than the rest of start-up
(every ``expand`` posts a message, and every label is measured on each
rebuild). So from :data:`LAZY_FROM` chapters on, a branch gets its nodes
when it is first expanded, only the first :data:`EAGER_NODES` or so are
built (and expanded) at start, a long list of siblings is built
:data:`CHUNK` at a time as it is scrolled to, and the path to the chapter
being read is built when it is selected. Smaller handbooks are built whole
and expanded, as before.

A title wider than the pane is cut to fit and ends with "…"; a fallback
chapter's " (en)" marker is kept whole after the cut. So no line is wider
than the pane and the tree never scrolls sideways.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from peeragogy_tui.core.handbook import Chapter, Handbook, TocNode, provisional
from peeragogy_tui.core.handbook.fallback import FALLBACK_LANG

__all__ = ["ChapterTree"]

LAZY_FROM = 400
"""Handbooks with at least this many chapters get a lazily built tree."""
EAGER_NODES = provisional.EAGER_NODES
"""About how many nodes a lazy tree builds (and expands) before its first frame (a provisional handbook reads as many)."""
CHUNK = provisional.CHUNK
"""Siblings built at a time in a lazy tree, as the list is scrolled to."""

NodeKey = tuple[str, ...]
"""A node across two versions of the tree: ``("chapter", id)``, else the titles on the way to it."""


class ChapterTree(Tree[Chapter | None]):
    """Shows a handbook's tree; posts :class:`OpenChapter` when one is chosen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, tooltip="Next entry (as j in the reader)"),
        Binding("k", "cursor_up", "Up", show=False, tooltip="Previous entry (as k in the reader)"),
    ]
    """j / k move as they do in the reader (the arrow keys still work)."""

    COMPONENT_CLASSES = Tree.COMPONENT_CLASSES | {
        "chapter-tree--broken",
        "chapter-tree--part",
        "chapter-tree--draft",
    }

    DEFAULT_CSS = """
    ChapterTree { overflow-x: hidden; }
    ChapterTree > .chapter-tree--broken { color: $text-error; }
    ChapterTree > .chapter-tree--part { text-style: bold; color: $text-muted; }
    ChapterTree > .chapter-tree--draft { text-style: italic; color: $text-muted; }
    """

    class OpenChapter(Message):
        """The user chose a chapter in the tree."""

        def __init__(self, chapter_id: str) -> None:
            self.chapter_id = chapter_id
            super().__init__()

    def __init__(self, handbook: Handbook, *, id: str | None = None) -> None:
        # A Text, not a str: Tree reads a str label as markup, which loads Rich's emoji table (never shown: no root).
        super().__init__(Text("Contents"), id=id)
        self.handbook = handbook
        self.show_root = False
        self.guide_depth = 2
        self.lazy = len(handbook.chapters) >= LAZY_FROM
        """Nodes are built as they are expanded or scrolled to (large handbooks)."""
        self._chapter_nodes: dict[str, TreeNode[Chapter | None]] = {}
        self._unbuilt: dict[int, list[TocNode]] = {}
        """Tree node id -> the contents nodes of its children, for a branch not expanded yet."""
        self._more: dict[int, tuple[TreeNode[Chapter | None], list[TocNode]]] = {}
        """Tree node id -> (the node, its children still to build after the first chunks)."""
        self._toc_paths: dict[str, list[TocNode]] | None = None
        self._tree_node_of: dict[int, TreeNode[Chapter | None]] = {}
        """``id()`` of a contents node -> the tree node built from it."""
        self._styles: tuple[Style, Style, Style] | None = None
        self.built = 0
        """How many nodes are built."""

    def on_mount(self) -> None:
        self._fill()

    def show_handbook(self, handbook: Handbook) -> None:
        """Show ``handbook``'s tree instead (live reload, the real handbook after a provisional one).

        What was expanded stays expanded, and the highlighted node stays the
        highlighted node on the same screen line, so the tree does not jump
        under the reader's cursor (nodes above it that changed shift the rest).
        """
        expanded, collapsed, cursor, row = self._view_state()
        self.handbook = handbook
        self.clear()
        self.lazy = len(handbook.chapters) >= LAZY_FROM
        self._chapter_nodes, self._unbuilt, self._more = {}, {}, {}
        self._tree_node_of, self._toc_paths, self.built = {}, None, 0
        self._fill()
        self._restore_view(expanded, collapsed, cursor, row)

    def _key(self, node: TreeNode[Chapter | None]) -> NodeKey:
        if node.data is not None:
            return ("chapter", node.data.id)
        titles = []
        above: TreeNode[Chapter | None] | None = node
        while above is not None and above is not self.root:
            titles.append(str(above.label))
            above = above.parent
        return tuple(reversed(titles))

    def _built_nodes(self) -> list[TreeNode[Chapter | None]]:
        found: list[TreeNode[Chapter | None]] = []
        queue = list(self.root.children)
        while queue:
            node = queue.pop()
            found.append(node)
            queue.extend(node.children)
        return found

    def _view_state(self) -> tuple[set[NodeKey], set[NodeKey], NodeKey | None, int]:
        """The keys of the expanded and the collapsed branches, the cursor's node and its line on screen."""
        expanded: set[NodeKey] = set()
        collapsed: set[NodeKey] = set()
        for node in self._built_nodes():
            if node.allow_expand:
                (expanded if node.is_expanded else collapsed).add(self._key(node))
        cursor = self.cursor_node
        if cursor is None or cursor is self.root:
            return expanded, collapsed, None, 0
        return expanded, collapsed, self._key(cursor), self.cursor_line - round(self.scroll_y)

    def _restore_view(self, expanded: set[NodeKey], collapsed: set[NodeKey], cursor: NodeKey | None, row: int) -> None:
        queue = list(self.root.children)
        while queue:
            node = queue.pop(0)
            if not node.allow_expand:
                continue
            key = self._key(node)
            if key in expanded:
                self._build_branch(node)
                node.expand()
            elif key in collapsed:
                node.collapse()
            if node.is_expanded:
                queue[:0] = list(node.children)
        target = self._find(cursor)
        if target is None:
            return
        _ = self._tree_lines  # the lines of the nodes just built and expanded
        self.move_cursor(target)
        self.scroll_to(y=max(0, target.line - row), animate=False, immediate=True)

    def _find(self, key: NodeKey | None) -> TreeNode[Chapter | None] | None:
        if key is None:
            return None
        if key[0] == "chapter" and len(key) == 2:
            found = self._node_for(key[1])
            if found is not None:
                return found
        return next((node for node in self._built_nodes() if self._key(node) == key), None)

    def _fill(self) -> None:
        if not self.lazy:
            self._add(self.root, self.handbook.tree, expand=True)
            return
        self._add(self.root, self.handbook.tree, expand=False)
        self._expand_eagerly()

    # ----------------------------------------------------------------- building

    def _label(self, node: TocNode) -> Text:
        if self._styles is None:
            self._styles = (
                self.get_component_rich_style("chapter-tree--part", partial=True),
                self.get_component_rich_style("chapter-tree--broken", partial=True),
                self.get_component_rich_style("chapter-tree--draft", partial=True),
            )
        part, broken, draft = self._styles
        if node.kind in ("draft", "external", "separator"):
            # Shown where the contents put them, but there is nothing to open.
            if node.kind == "separator":
                return Text("────", style=draft)
            return Text(node.title + (" ↗" if node.kind == "external" else ""), style=draft)
        if node.chapter is None:
            return Text(node.title, style=part)
        if node.chapter.problem is not None:
            return Text.assemble(("✗ ", broken), (node.title, broken))
        return Text(node.title)

    def _add(self, parent: TreeNode[Chapter | None], nodes: list[TocNode], *, expand: bool) -> None:
        """Add ``nodes`` under ``parent``: all of them (eager), or the first :data:`CHUNK` (lazy)."""
        batch = nodes if not self.lazy else nodes[:CHUNK]
        for node in batch:
            if node.children:
                branch = parent.add(self._label(node), data=node.chapter, expand=expand)
                if self.lazy:
                    self._unbuilt[branch.id] = node.children
                else:
                    self._add(branch, node.children, expand=expand)
            else:
                branch = parent.add_leaf(self._label(node), data=node.chapter)
            self.built += 1
            self._tree_node_of[id(node)] = branch
            if node.chapter is not None:
                self._chapter_nodes[node.chapter.id] = branch
        rest = nodes[len(batch) :]
        if rest:
            self._more[parent.id] = (parent, rest)
        else:
            self._more.pop(parent.id, None)

    def _build_branch(self, node: TreeNode[Chapter | None]) -> None:
        """Build the children of a lazy branch (no-op once built)."""
        children = self._unbuilt.pop(node.id, None)
        if children is not None:
            self._add(node, children, expand=False)

    def _build_more(self, node: TreeNode[Chapter | None]) -> None:
        """Build the next chunk of ``node``'s children."""
        pending = self._more.get(node.id)
        if pending is not None:
            self._add(pending[0], pending[1], expand=False)

    def _expand_eagerly(self) -> None:
        """Expand and build branches in reading order until about :data:`EAGER_NODES` are built."""
        queue = list(self.root.children)
        while queue and self.built < EAGER_NODES:
            node = queue.pop(0)
            if node.id in self._unbuilt:
                self._build_branch(node)
                node.expand()
                queue[:0] = list(node.children)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Chapter | None]) -> None:
        self._build_branch(event.node)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._build_near_view()

    def watch_cursor_line(self, previous_line: int, line: int) -> None:
        super().watch_cursor_line(previous_line, line)
        self._build_near_view()

    def _build_near_view(self) -> None:
        """Build the next chunk of any list whose last built node is on screen or near it."""
        if not getattr(self, "_more", None):  # also called by Tree.__init__, before ours
            return
        bottom = round(self.scroll_y) + self.size.height + CHUNK // 4
        for parent, _rest in list(self._more.values()):
            last = parent.children[-1] if parent.children else None
            if last is not None and 0 <= last.line <= bottom:
                self._build_more(parent)

    # ----------------------------------------------------------------- fitting

    def render_label(self, node: TreeNode[Chapter | None], base_style: Style, style: Style) -> Text:
        """The label, cut with "…" to the width left beside its guides (a fallback marker kept whole)."""
        label = super().render_label(node, base_style, style)
        room = self._label_room(node)
        if room <= 0 or label.cell_len <= room:
            return label
        chapter = node.data
        marker = f" ({FALLBACK_LANG})"
        if chapter is not None and chapter.fallback and label.plain.endswith(marker) and room > len(marker) + 1:
            head = label[: len(label) - len(marker)]
            head.truncate(room - len(marker), overflow="ellipsis")
            head.append_text(label[len(label) - len(marker) :])
            return head
        label.truncate(room, overflow="ellipsis")
        return label

    def _label_room(self, node: TreeNode[Chapter | None]) -> int:
        """Cells left for ``node``'s label on its line, or 0 before the tree has a width."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return 0
        depth = 0
        parent = node.parent
        while parent is not None and parent is not self.root:
            depth += 1
            parent = parent.parent
        if self.show_root:
            depth += 0 if node is self.root else 1
        return max(1, width - depth * self.guide_depth)

    # ----------------------------------------------------------------- selecting

    def _path_to(self, chapter_id: str) -> list[TocNode]:
        if self._toc_paths is None:
            paths: dict[str, list[TocNode]] = {}

            def walk(nodes: list[TocNode], above: list[TocNode]) -> None:
                for node in nodes:
                    here = [*above, node]
                    if node.chapter is not None:
                        paths.setdefault(node.chapter.id, here)
                    if node.children:
                        walk(node.children, here)

            walk(self.handbook.tree, [])
            self._toc_paths = paths
        return self._toc_paths.get(chapter_id, [])

    def _node_for(self, chapter_id: str) -> TreeNode[Chapter | None] | None:
        """The node of ``chapter_id``, building (and expanding) the way to it if needed."""
        node = self._chapter_nodes.get(chapter_id)
        if node is not None or not self.lazy:
            return node
        parent = self.root
        for toc in self._path_to(chapter_id):
            self._build_branch(parent)
            if parent is not self.root and not parent.is_expanded:
                parent.expand()
            found = self._child_for(parent, toc)
            if found is None:
                return None
            parent = found
        return self._chapter_nodes.get(chapter_id)

    def _child_for(self, parent: TreeNode[Chapter | None], toc: TocNode) -> TreeNode[Chapter | None] | None:
        """The child of ``parent`` made from ``toc``, building more chunks until it is there."""
        while id(toc) not in self._tree_node_of:
            if parent.id not in self._more:
                return None
            self._build_more(parent)
        return self._tree_node_of[id(toc)]

    def cursor_is_free_or_on(self, chapter_id: str) -> bool:
        """True when the cursor is on no node or on ``chapter_id``'s: moving it to a chapter moves nothing the reader chose."""
        node = self.cursor_node
        return node is None or node is self.root or (node.data is not None and node.data.id == chapter_id)

    def select_chapter(self, chapter_id: str) -> None:
        """Move the cursor to ``chapter_id`` without opening it again."""
        node = self._node_for(chapter_id)
        if node is not None:
            if node.line < 0:
                _ = self._tree_lines  # nodes just built get their lines now (Textual lays them out lazily)
            self.move_cursor(node)
            self.scroll_to_node(node, animate=False)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Chapter | None]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.OpenChapter(event.node.data.id))
