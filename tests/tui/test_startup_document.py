"""Reopening the reader shows the cached first document exactly as a fresh parse, and edits win."""

from __future__ import annotations

from pathlib import Path

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.render import blocks

SIZE = (100, 30)

TEXT = (
    "---\ntitle: One\n---\n# One\n\nSome *text* with a [link](two.md) and `code`.\n\n"
    "> A quote\n\n1. first\n2. second\n\n| a | b |\n|---|---|\n| *c* | [d](two.md) |\n\n"
    + "\n\n".join(f"Paragraph {i}." for i in range(40))
)


def write_book(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "one.md").write_text(TEXT, encoding="utf-8")
    (root / "two.md").write_text("---\ntitle: Two\n---\n# Two\n\nHi.\n", encoding="utf-8")
    return root


async def shown(make_app, root: Path, *, scroll: bool = False) -> list[str]:
    """The laid-out lines of the chapter the reader opens with; quits with ``q`` as a user would."""
    app = make_app(load_handbook(root))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = [line.plain for line in app.main_screen.document_view.lines]
        spans = [list(line.spans) for line in app.main_screen.document_view.lines]
        await pilot.press("q")
    return [f"{line} {span}" for line, span in zip(lines, spans)]


async def test_reopening_shows_the_cached_document_as_parsed(tmp_path: Path, make_app, monkeypatch) -> None:
    root = write_book(tmp_path / "book")
    first = await shown(make_app, root)
    parses: list[str] = []
    original = blocks._parse_document

    def counting(markdown: str):  # type: ignore[no-untyped-def]
        parses.append(markdown)
        return original(markdown)

    monkeypatch.setattr(blocks, "_parse_document", counting)
    again = await shown(make_app, root)
    assert parses == [], "the first chapter came from the document cache"
    assert again == first

    (root / "one.md").write_text(TEXT.replace("Some *text*", "Edited *text*"), encoding="utf-8")
    edited = await shown(make_app, root)
    assert len(parses) == 1, "an edited chapter is parsed again"
    assert any(line.startswith("Edited text") for line in edited)
