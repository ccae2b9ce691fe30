"""Snapshot: a Spanish chapter, with the English chapters not translated yet marked "(en)" in the tree."""

from __future__ import annotations

from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import create_app


def test_spanish_chapter_with_english_fallbacks_in_the_tree(snap_compare):
    app = create_app(
        load_handbook(bundled_handbook_dir(), "es"),
        exercises=load_exercises(bundled_exercises_dir(), "es"),
        start="convening",
        restore=False,
    )
    assert snap_compare(app, terminal_size=(110, 32))
