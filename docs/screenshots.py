"""The README's terminal screenshots are copies of reviewed snapshot tests.

Each SVG in ``docs/`` named below is the exact file that a snapshot test in
``tests/tui/__snapshots__/`` compares the app against (those are drawn by
Textual's own screenshot export, reviewed before every ``--snapshot-update``).
So a screenshot is never older than the screen it shows:
``tests/unit/test_docs_screenshots.py`` fails when one differs, and

    python docs/screenshots.py

copies them again after the snapshots were updated.
"""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SNAPSHOTS = REPO / "tests" / "tui" / "__snapshots__"

SCREENSHOTS: dict[str, str] = {
    "main-screen.svg": "test_snapshots/test_main_screen[size1].svg",
    "spanish-with-fallbacks.svg": "test_language_snapshots/test_spanish_chapter_with_english_fallbacks_in_the_tree.svg",
    "exercise-step-80x24.svg": "test_exercise_snapshots/TestExerciseScreenSmallNoColour.test_later_step.svg",
    "progress-80x24.svg": "test_bookmarks_progress/test_progress_view_snapshot_80x24_without_colour.svg",
    "wide-table-80x24.svg": "test_wide_table/test_wide_table_at_80_columns.svg",
    "session-shared.svg": "test_session_snapshots/test_shared_view_at_100x30.svg",
    "session-facilitator.svg": "test_session_snapshots/test_facilitator_view.svg",
}
"""``docs/`` file name -> the snapshot it copies (relative to ``tests/tui/__snapshots__``)."""


def main() -> None:
    for name, source in SCREENSHOTS.items():
        shutil.copyfile(SNAPSHOTS / source, REPO / "docs" / name)
        print(f"docs/{name} <- {source}")


if __name__ == "__main__":
    main()
