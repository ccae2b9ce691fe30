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
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):  # the locale picks the handbook language:
        monkeypatch.delenv(name, raising=False)  # tests read English unless they ask otherwise
    monkeypatch.setenv("LANG", "C.UTF-8")
    paths.set_data_dir_override(None)
    yield home
    paths.set_data_dir_override(None)


@pytest.fixture
def pretend_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let in-process tests open the app through the launcher, which refuses without a terminal.

    Under pytest (and Typer's ``CliRunner``) stdin and stdout are not terminals, so
    ``launch.require_terminal`` would stop every entry point with exit code 2.
    """
    from peeragogy_tui import launch

    monkeypatch.setattr(launch, "stdio_is_terminal", lambda: (True, True))
