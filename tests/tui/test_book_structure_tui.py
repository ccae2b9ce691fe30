"""Pilot tests: real handbooks in the reader (issue 9): first chapter, drafts, local URLs, .html links."""

from __future__ import annotations

from pathlib import Path

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.tui.dialogs import ConfirmDialog
from peeragogy_tui.tui.widgets.chapter_tree import ChapterTree

SIZE = (100, 30)
BOOKS = Path(__file__).resolve().parent.parent / "fixtures" / "books"


def _messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(notification.message) for notification in app._notifications]


async def test_an_mdbook_opens_on_its_prefix_chapter_and_drafts_do_not_open(make_app):
    handbook = load_handbook(BOOKS / "mdbook", cache=False)
    app = make_app(handbook, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        assert screen.chapter.id == "preface"
        tree = screen.query_one(ChapterTree)
        labels = {}

        def visit(node) -> None:  # type: ignore[no-untyped-def]
            for child in node.children:
                labels[str(child.label.plain)] = child
                visit(child)

        visit(tree.root)
        assert "────" in labels and "Draft chapter" in labels and "Upstream ↗" in labels
        tree.select_node(labels["Draft chapter"])
        await pilot.pause()
        assert screen.chapter.id == "preface", "a draft has no file to open"
        tree.select_node(labels["Setext page"])
        await pilot.pause()
        assert screen.chapter.id == "setext"


async def test_repository_urls_of_this_folder_open_the_local_chapter(make_app):
    handbook = load_handbook(BOOKS / "gitbook" / "en-md", cache=False)
    app = make_app(handbook, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        assert screen.chapter.id == "foreword"
        screen.follow_link("https://github.com/example-org/example-handbook/blob/main/en-md/roles.md")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog), "never 'open in browser?' for a local chapter"
        assert screen.chapter.id == "roles"


async def test_mdbook_html_links_open_chapters_and_outside_links_warn(make_app):
    handbook = load_handbook(BOOKS / "mdbook", cache=False)
    app = make_app(handbook, start="links", restore=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        screen.follow_link("guide/index.html")
        await pilot.pause()
        assert screen.chapter.id == "guide/README"
        screen.follow_link("../setext.html")
        await pilot.pause()
        assert screen.chapter.id == "setext"
        screen.follow_link("../std/index.html")
        await pilot.pause()
        assert screen.chapter.id == "setext"
        assert any("outside the handbook" in message for message in _messages(app))


async def test_a_broken_link_with_markup_characters_is_shown_as_written(tmp_path: Path, make_app):
    (tmp_path / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    app = make_app(load_handbook(tmp_path, cache=False), restore=False)
    async with app.run_test(size=SIZE) as pilot:
        app.main_screen.follow_link("nowhere[/b][red].md")
        await pilot.pause()
        shown = [n for n in app._notifications if "nowhere" in str(n.message)]
        assert [str(n.message) for n in shown] == ["Broken link: nowhere[/b][red].md"]
        assert not shown[0].markup, "a link's text is never read as markup"


async def test_f_lists_links_by_text_and_html_anchors_are_targets(make_app):
    from peeragogy_tui.tui.dialogs import PickList
    from textual.widgets import OptionList

    handbook = load_handbook(BOOKS / "mdbook", cache=False)
    app = make_app(handbook, start="links", restore=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await pilot.press("f")
        assert isinstance(app.screen, PickList)
        options = app.screen.query_one(OptionList)
        rows = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert rows[:4] == [
            "the preface  →  preface.html",
            "the guide  →  guide/index.html",
            "install  →  guide/install.html#installing",
            "an HTML link  →  setext.md#setext-title",
        ]
        assert len(rows) == len(set(rows)), "one row per distinct target"


async def test_raw_html_anchors_are_link_targets_in_the_pane(tmp_path: Path, make_app):
    filler = "\n\n".join(f"Paragraph {i}." for i in range(40))
    (tmp_path / "a.md").write_text(
        f"# A\n\n{filler}\n\n<a id=\"raw\"></a>\n\nAfter the raw anchor.\n\n{filler}\n\n"
        f"<h3 id=\"custom\">Custom</h3>\n\n{filler}\n\n<a name=\"old\">Old style</a>\n\n{filler}\n",
        encoding="utf-8",
    )
    (tmp_path / "b.md").write_text("# B\n\n[to raw](a.md#raw)\n", encoding="utf-8")
    app = make_app(load_handbook(tmp_path, cache=False), restore=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        view = screen.document_view
        for anchor, first_words in (("custom", "Custom"), ("raw", "After the raw anchor."), ("old", "Old style")):
            screen.follow_link(f"#{anchor}")
            await pilot.pause()
            assert view.lines[round(view.scroll_y)].plain.strip() == first_words
        screen.open_chapter("b")
        await pilot.pause()
        screen.follow_link("a.md#raw")
        await pilot.pause()
        assert screen.chapter.id == "a"
        assert view.lines[round(view.scroll_y)].plain.strip() == "After the raw anchor."
        assert not any("No heading" in message for message in _messages(app))


async def test_clicking_an_html_link_follows_it(make_app):
    handbook = load_handbook(BOOKS / "mdbook", cache=False)
    app = make_app(handbook, start="links", restore=False)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        line = next(i for i, text in enumerate(view.lines) if "an HTML link" in text.plain)
        column = view.lines[line].plain.index("an HTML link")
        margin = view._laid_out_for[1]
        await pilot.click(view, offset=(margin + column + 1, line - round(view.scroll_y)))
        await pilot.pause()
        assert app.main_screen.chapter.id == "setext"
