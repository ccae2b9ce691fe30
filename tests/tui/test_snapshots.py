"""Snapshot tests: the screens as a user sees them (review before --snapshot-update)."""

from __future__ import annotations

import pytest

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import create_app


def bundled_app():
    return create_app(
        load_handbook(bundled_handbook_dir()), exercises=load_exercises(bundled_exercises_dir()), restore=False
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_main_screen(snap_compare, size):
    assert snap_compare(bundled_app(), terminal_size=size)


def test_main_screen_tree_hidden(snap_compare):
    assert snap_compare(bundled_app(), press=["t"], terminal_size=(80, 24))


def test_help_screen(snap_compare):
    assert snap_compare(bundled_app(), press=["question_mark"], terminal_size=(100, 30))


def test_exercise_list(snap_compare):
    assert snap_compare(bundled_app(), press=["right_square_bracket"] * 3 + ["e", "a"], terminal_size=(100, 30))
