"""Shared fixtures. Tests never touch real user data: PEERAGOGY_HOME is a temp dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from peeragogy_tui import paths

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data dir at a fresh temp dir for every test."""
    home = tmp_path / "home"
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(home))
    monkeypatch.setenv("NO_COLOR", "")
    monkeypatch.delenv("NO_COLOR")
    paths.set_data_dir_override(None)
    yield home
    paths.set_data_dir_override(None)
