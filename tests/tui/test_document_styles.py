"""The reader draws every line in its role's style, including lines that are all one style."""

from __future__ import annotations

from pathlib import Path

from peeragogy_tui.core.handbook import load_handbook


async def test_rules_and_table_borders_keep_their_style(tmp_path: Path, make_app) -> None:
    (tmp_path / "one.md").write_text(
        "# Title\n\nText.\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8"
    )
    app = make_app(load_handbook(tmp_path), restore=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.document_view
        plain = [line.plain for line in view.lines]
        rule = next(i for i, text in enumerate(plain) if text.strip() and set(text.strip()) == {"─"})
        border = next(i for i, text in enumerate(plain) if text.lstrip().startswith(("┌", "╭", "┏")))
        expected = {
            rule: view.get_component_rich_style("document--rule", partial=True).color,
            border: view.get_component_rich_style("document--table-border", partial=True).color,
        }
        foreground = view.rich_style.color
        assert None not in expected.values() and foreground not in expected.values()
        for index in (rule, border):
            top = round(view.scroll_y)
            strip = view.render_line(index - top)
            drawn = [segment for segment in strip if segment.text.strip()]
            assert drawn, plain[index]
            assert all(segment.style and segment.style.color == expected[index] for segment in drawn), (index, drawn)
