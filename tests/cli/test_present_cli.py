"""``peeragogy --present`` opens the reader in presenter mode (and only then)."""

from __future__ import annotations

import gc

import pytest
from typer.testing import CliRunner

import peeragogy_tui.tui.app as tui_app
from peeragogy_tui.cli import app

runner = CliRunner()


@pytest.fixture
def built(monkeypatch, pretend_terminal) -> list[dict]:
    """The keyword arguments create_app was called with, instead of running the app."""
    calls: list[dict] = []

    class FakeApp:
        return_code = 0  # as textual.app.App after a clean exit

        def run(self) -> None:
            pass

    def fake_create_app(handbook, **options):
        calls.append(options)
        return FakeApp()

    monkeypatch.setattr(tui_app, "create_app", fake_create_app)
    yield calls
    gc.enable()  # the real app turns the collector back on after its first frame


@pytest.mark.parametrize(("arguments", "presenting"), [(["--present"], True), ([], False)])
def test_present_option_reaches_the_app(built, arguments, presenting) -> None:
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert len(built) == 1
    assert built[0]["present"] is presenting


def test_present_is_in_the_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert "--present" in result.output
