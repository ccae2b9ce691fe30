"""The chapter tree on the left: parts, chapters, and broken files marked."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from peeragogy_tui.core.handbook import Chapter, Handbook, TocNode

__all__ = ["ChapterTree"]


class ChapterTree(Tree[Chapter | None]):
    """Shows a handbook's tree; posts :class:`OpenChapter` when one is chosen."""

    COMPONENT_CLASSES = Tree.COMPONENT_CLASSES | {
        "chapter-tree--broken",
        "chapter-tree--part",
        "chapter-tree--draft",
    }

    DEFAULT_CSS = """
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
        super().__init__("Contents", id=id)
        self.handbook = handbook
        self.show_root = False
        self.guide_depth = 2
        self._chapter_nodes: dict[str, TreeNode[Chapter | None]] = {}

    def on_mount(self) -> None:
        self._add(self.root, self.handbook.tree)
        self.root.expand_all()

    def show_handbook(self, handbook: Handbook) -> None:
        """Show ``handbook``'s tree instead (live reload); the caller puts the cursor back."""
        self.handbook = handbook
        self.clear()
        self._chapter_nodes = {}
        self._add(self.root, handbook.tree)
        self.root.expand_all()

    def _label(self, node: TocNode) -> Text:
        if node.kind in ("draft", "external", "separator"):
            # Shown where the contents put them, but there is nothing to open.
            style = self.get_component_rich_style("chapter-tree--draft", partial=True)
            if node.kind == "separator":
                return Text("────", style=style)
            return Text(node.title + (" ↗" if node.kind == "external" else ""), style=style)
        if node.chapter is None:
            return Text(node.title, style=self.get_component_rich_style("chapter-tree--part", partial=True))
        if node.chapter.problem is not None:
            broken = self.get_component_rich_style("chapter-tree--broken", partial=True)
            return Text.assemble(("✗ ", broken), (node.title, broken))
        return Text(node.title)

    def _add(self, parent: TreeNode[Chapter | None], nodes: list[TocNode]) -> None:
        for node in nodes:
            if node.children:
                branch = parent.add(self._label(node), data=node.chapter, expand=True)
                self._add(branch, node.children)
            else:
                branch = parent.add_leaf(self._label(node), data=node.chapter)
            if node.chapter is not None:
                self._chapter_nodes[node.chapter.id] = branch

    def select_chapter(self, chapter_id: str) -> None:
        """Move the cursor to ``chapter_id`` without opening it again."""
        node = self._chapter_nodes.get(chapter_id)
        if node is not None:
            self.move_cursor(node)
            self.scroll_to_node(node, animate=False)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Chapter | None]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.OpenChapter(event.node.data.id))
