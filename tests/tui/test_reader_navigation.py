"""Pilot tests: reading, chapters, history, links, outline, tree, resume."""

from __future__ import annotations

from pathlib import Path

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.reading_state import load_position
from peeragogy_tui.tui.dialogs import ConfirmDialog, PickList
from peeragogy_tui.tui.screens.help import HelpScreen
from peeragogy_tui.tui.widgets.chapter_tree import ChapterTree


SIZE = (100, 30)


def write_chapter(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def small_handbook(root: Path) -> Path:
    write_chapter(
        root,
        "one.md",
        "---\ntitle: One\norder: 1\npermalink: /chapters/en/one/\n---\n# One\n\n"
        "Go to [two](two.md), to [its end](two.md#the-end), to [three](/chapters/en/three/), "
        "or [the web](https://example.org).\n\n" + "\n\n".join(f"Paragraph {i} of one." for i in range(60)),
    )
    write_chapter(
        root,
        "two.md",
        "---\ntitle: Two\norder: 2\n---\n# Two\n\n"
        + "\n\n".join(f"Paragraph {i} of two." for i in range(60))
        + "\n\n## The end\n\nLast words.\n",
    )
    write_chapter(root, "three.md", "---\ntitle: Three\norder: 3\npermalink: /chapters/en/three/\n---\n# Three\n\nHi.\n")
    return root


async def test_opens_first_chapter_and_steps_through_chapters(bundled, make_app):
    app = make_app(bundled, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        assert screen.chapter is bundled.chapters[0]
        await pilot.press("right_square_bracket")
        assert screen.chapter is bundled.chapters[1]
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.chapter is bundled.chapters[3]
        await pilot.press("left_square_bracket")
        assert screen.chapter is bundled.chapters[2]


async def test_reading_keys_scroll(bundled, make_app):
    app = make_app(bundled, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        assert view.scroll_y == 0
        await pilot.press("j", "j")
        assert view.scroll_y == 2
        await pilot.press("k")
        assert view.scroll_y == 1
        await pilot.press("space")
        assert view.scroll_y > 20
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y > 0
        await pilot.press("g")
        assert view.scroll_y == 0


async def test_links_history_back_and_forward(tmp_path, make_app):
    handbook = load_handbook(small_handbook(tmp_path / "book"))
    app = make_app(handbook, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        screen.follow_link("two.md#the-end")
        await pilot.pause()
        assert screen.chapter.id == "two"
        view = screen.document_view
        assert view.scroll_y == view.layout_result.anchors["the-end"] or view.scroll_y == view.max_scroll_y
        screen.follow_link("/chapters/en/three/")
        await pilot.pause()
        assert screen.chapter.id == "three"
        await pilot.press("H")
        assert screen.chapter.id == "two"
        await pilot.press("H")
        assert screen.chapter.id == "one"
        await pilot.press("L")
        assert screen.chapter.id == "two"
        await pilot.press("L")
        assert screen.chapter.id == "three"


async def test_clicking_a_link_follows_it(tmp_path, make_app):
    handbook = load_handbook(small_handbook(tmp_path / "book"))
    app = make_app(handbook, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        line = next(i for i, text in enumerate(view.lines) if "two" in text.plain and "Go to" in text.plain)
        column = view.lines[line].plain.index("two")
        margin = view._laid_out_for[1]
        await pilot.click(view, offset=(margin + column, line))
        await pilot.pause()
        assert app.main_screen.chapter.id == "two"


async def test_external_link_asks_first_and_never_opens_on_no(tmp_path, make_app, monkeypatch):
    handbook = load_handbook(small_handbook(tmp_path / "book"))
    app = make_app(handbook, restore=False)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=SIZE) as pilot:
        app.main_screen.follow_link("https://example.org")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert opened == []
        app.main_screen.follow_link("https://example.org")
        await pilot.pause()
        await pilot.press("y")
        assert opened == ["https://example.org"]


async def test_links_picker_lists_and_follows(tmp_path, make_app):
    handbook = load_handbook(small_handbook(tmp_path / "book"))
    app = make_app(handbook, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        assert isinstance(app.screen, PickList)
        await pilot.press("enter")
        await pilot.pause()
        assert app.main_screen.chapter.id == "two"


async def test_outline_jumps_to_heading(tmp_path, make_app):
    handbook = load_handbook(small_handbook(tmp_path / "book"))
    app = make_app(handbook, start="two", restore=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, PickList)
        await pilot.press("down", "enter")
        await pilot.pause()
        view = app.main_screen.document_view
        assert view.scroll_y == min(view.layout_result.anchors["the-end"], view.max_scroll_y)
        assert view.scroll_y > 0


async def test_tree_toggle_gives_reader_full_width(bundled, make_app):
    app = make_app(bundled, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        narrow = view.size.width
        await pilot.press("t")
        await pilot.pause()
        assert not app.main_screen.query_one(ChapterTree).display
        assert view.size.width > narrow
        await pilot.press("t")
        await pilot.pause()
        assert view.size.width == narrow


async def test_tree_selection_opens_chapter(bundled, make_app):
    app = make_app(bundled, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        tree = app.main_screen.query_one(ChapterTree)
        tree.focus()
        target = bundled.chapters[4]
        tree.select_chapter(target.id)
        await pilot.press("enter")
        await pilot.pause()
        assert app.main_screen.chapter is target


async def test_help_lists_every_reader_key(bundled, make_app):
    app = make_app(bundled, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = "".join(str(cell) for column in app.screen._table().columns for cell in column._cells)
        for text in ("Next chapter", "Back through history", "Headings of this chapter", "Scroll down a page"):
            assert text in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_palette_jumps_to_chapter_by_fuzzy_title(bundled, make_app):
    app = make_app(bundled, restore=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"know cafe")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.main_screen.chapter.id == "conversational-leadership"


async def test_resume_reopens_chapter_and_position(bundled, make_app):
    app = make_app(bundled)
    async with app.run_test(size=SIZE) as pilot:
        app.main_screen.open_chapter("patterns")
        await pilot.press("space", "space")
        block = app.main_screen.document_view.top_block
        assert block > 0
        await pilot.press("q")
    saved = load_position(bundled.root, bundled.lang)
    assert saved is not None and saved.chapter_id == "patterns" and saved.block == block
    again = make_app(load_handbook(bundled.root.parent))
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.main_screen.chapter.id == "patterns"
        assert again.main_screen.document_view.top_block == block


async def test_untrusted_text_is_shown_literally(tmp_path, make_app):
    root = tmp_path / "book"
    write_chapter(root, "evil.md", "# Evil [bold]x[/]\n\n[@click=app.quit]click me[/] and \x1b[31mred\x1b[0m \x1b]8;;http://x\x07osc\x1b]8;;\x07 \x9b31m c1\n")
    app = make_app(load_handbook(root), restore=False)
    async with app.run_test(size=SIZE) as pilot:
        view = app.main_screen.document_view
        text = "\n".join(line.plain for line in view.lines)
        assert "[@click=app.quit]click me[/]" in text
        assert "Evil [bold]x[/]" in text
        assert "\x1b" not in text and "\x9b" not in text
        await pilot.click(view, offset=(view._laid_out_for[1] + 3, 3))
        await pilot.pause()
        assert app.is_running
        rendered = "".join(segment.text for y in range(5) for segment in view.render_line(y))
        assert "\x1b" not in rendered


async def test_broken_chapter_shows_file_line_and_problem(tmp_path, make_app):
    root = tmp_path / "book"
    write_chapter(root, "a.md", "---\ntitle: Fine\norder: 1\n---\n# Fine\n")
    write_chapter(root, "b.md", "---\ntitle: [unclosed\norder: 2\n---\n# Broken body\n\nStill readable.\n")
    handbook = load_handbook(root)
    app = make_app(handbook, start="b", restore=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = "\n".join(line.plain for line in app.main_screen.document_view.lines)
        assert "b.md:" in text and "invalid YAML" in text
        assert "Still readable." in text
        tree = app.main_screen.query_one(ChapterTree)
        labels = [str(node.label) for node in tree.root.children]
        assert any(label.startswith("✗") for label in labels)
