"""``peeragogy`` with no arguments opens the reader without Typer parsing: same settings, same errors."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import peeragogy_tui.tui.app as tui_app
from peeragogy_tui import cli
from peeragogy_tui.cli._common import Settings
from peeragogy_tui.errors import PeeragogyError

runner = CliRunner()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Settings, dict[str, object]]]:
    """(settings, create_app options) of every reader that would have opened."""
    calls: list[tuple[Settings, dict[str, object]]] = []
    seen: list[Settings] = []
    original = cli._open_tui

    def spy(settings: Settings, **options: object) -> None:
        seen.append(settings)
        original(settings, **options)

    class FakeApp:
        def run(self) -> None:
            pass

    def fake_create_app(handbook: object, **options: object) -> FakeApp:
        calls.append((seen[-1], options))
        return FakeApp()

    monkeypatch.setattr(cli, "_open_tui", spy)
    monkeypatch.setattr(tui_app, "create_app", fake_create_app)
    yield calls
    gc.enable()  # the real app turns the collector back on after its first frame


def test_bare_command_opens_the_reader_as_the_typer_path_does(
    opened: list[tuple[Settings, dict[str, object]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = runner.invoke(cli.app, [])
    assert result.exit_code == 0, result.output
    monkeypatch.setattr(sys, "argv", ["peeragogy"])
    cli.main()
    assert len(opened) == 2
    (typer_settings, typer_options), (fast_settings, fast_options) = opened
    assert fast_settings == typer_settings == Settings()
    assert fast_options == typer_options


def test_arguments_still_go_through_typer(
    opened: list[tuple[Settings, dict[str, object]]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    book = tmp_path / "book"
    book.mkdir()
    (book / "a.md").write_text("# A\n", encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["peeragogy", "--handbook", str(book), "--present"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code in (0, None)
    ((settings, options),) = opened
    assert settings.handbook_dir == book and settings.present is True
    assert options["present"] is True


def test_bare_command_reports_errors_like_the_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(self: Settings) -> None:
        raise PeeragogyError("handbook directory not found", path=Path("/nowhere"), hint="check the path")

    monkeypatch.setattr(Settings, "load_handbook", broken)
    monkeypatch.setattr(sys, "argv", ["peeragogy"])
    try:
        with pytest.raises(SystemExit) as exit_info:
            cli.main()
    finally:
        gc.enable()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("peeragogy: error: ") and "/nowhere" in err and "check the path" in err
    assert "Traceback" not in err


def test_bare_command_logs_an_unexpected_crash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], private_home: Path
) -> None:
    def crash(self: Settings) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(Settings, "load_handbook", crash)
    monkeypatch.setattr(sys, "argv", ["peeragogy"])
    try:
        with pytest.raises(SystemExit) as exit_info:
            cli.main()
    finally:
        gc.enable()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "unexpected error: RuntimeError: boom" in err and "Traceback" not in err
    assert "RuntimeError: boom" in (private_home / "crash.log").read_text(encoding="utf-8")
