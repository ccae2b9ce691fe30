"""``peeragogy`` with no arguments opens the reader without loading the CLI: same app, same errors."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import peeragogy_tui.tui.app as tui_app
from peeragogy_tui import __version__, cli, launch
from peeragogy_tui.core import handbook as handbook_module
from peeragogy_tui.core.handbook.watch import HandbookSource
from peeragogy_tui.errors import PeeragogyError

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("pretend_terminal")  # the launcher refuses without a terminal


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, str, Path | None, dict[str, object]]]:
    """(handbook root, language, exercises dir, other create_app options) of every reader opened."""
    calls: list[tuple[Path, str, Path | None, dict[str, object]]] = []

    class FakeApp:
        return_code = 0  # as textual.app.App after a clean exit

        def run(self) -> None:
            pass

    def fake_create_app(handbook, *, exercises_dir=None, live_reload=None, **options):  # type: ignore[no-untyped-def]
        # The reader always watches the folder it was opened on (live reload).
        assert isinstance(live_reload, HandbookSource) and live_reload.load().root == handbook.root
        calls.append((handbook.root, handbook.lang, exercises_dir, options))
        return FakeApp()

    monkeypatch.setattr(tui_app, "create_app", fake_create_app)
    yield calls
    gc.enable()  # the real app turns the collector back on after its first frame


def test_bare_command_opens_the_reader_as_the_typer_path_does(opened, monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(cli.app, [])
    assert result.exit_code == 0, result.output
    monkeypatch.setattr(sys, "argv", ["peeragogy"])
    launch.main()
    assert len(opened) == 2
    assert opened[0] == opened[1]
    root, _lang, exercises_dir, options = opened[1]
    assert root.name == "en" and exercises_dir is not None and options == {"present": False}


def test_bare_command_does_not_load_the_cli() -> None:
    import subprocess

    code = "import sys, peeragogy_tui.launch; print(sorted(m for m in ('typer', 'peeragogy_tui.cli', 'textual') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_reader_options_open_the_reader_as_the_typer_path_does(
    opened, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    book = tmp_path / "book"
    (book / "es").mkdir(parents=True)
    (book / "es" / "a.md").write_text("# A\n", encoding="utf-8")
    args = ["--handbook", str(book), "--lang=es", "--exercises", str(tmp_path / "ex"), "--present"]
    result = runner.invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    monkeypatch.setattr(sys, "argv", ["peeragogy", *args])
    launch.main()  # no SystemExit: Typer never ran
    assert len(opened) == 2 and opened[0] == opened[1]
    ((root, lang, exercises_dir, options),) = opened[1:]
    assert root == book / "es" and lang == "es" and exercises_dir == tmp_path / "ex" and options == {"present": True}


def test_reader_options_data_dir_moves_user_data(opened, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from peeragogy_tui import paths

    monkeypatch.setattr(sys, "argv", ["peeragogy", "--data-dir", str(tmp_path / "data")])
    try:
        launch.main()
        assert paths.data_dir() == tmp_path / "data"
    finally:
        paths.set_data_dir_override(None)
    assert len(opened) == 1


@pytest.mark.parametrize(
    ("args", "options"),
    [
        ([], {"present": False}),
        (["--present"], {"present": True}),
        (["--handbook", "b", "--handbook=c"], {"present": False, "handbook_dir": Path("c")}),
        (["--lang", "fr", "--data-dir", "d"], {"present": False, "lang": "fr", "data_dir": Path("d")}),
        (["toc"], None),
        (["--handbook", "b", "toc"], None),
        (["--help"], None),
        (["--version"], None),
        (["--handbook"], None),
        (["--handbook", "--lang", "fr"], None),
        (["--present=yes"], None),
        (["--nonsense"], None),
        (["-h"], None),
    ],
)
def test_reader_options_or_the_full_cli(args: list[str], options: dict[str, object] | None) -> None:
    """Only the reader's own options skip Typer; everything else (and every error) is the CLI's."""
    assert launch.reader_options(args) == options


def test_reader_option_errors_are_reported_like_the_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "argv", ["peeragogy", "--handbook", str(tmp_path / "missing")])
    assert _exit_code() == 2
    err = capsys.readouterr().err
    assert err.startswith("peeragogy: error:") and "missing" in err and "Traceback" not in err


def test_version_goes_through_typer(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["peeragogy", "--version"])
    with pytest.raises(SystemExit) as exit_info:
        launch.main()
    assert exit_info.value.code in (0, None)
    assert capsys.readouterr().out.strip() == f"peeragogy {__version__}"


def _fail_loading(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    def load(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(handbook_module, "load_handbook", load)
    monkeypatch.setattr(sys, "argv", ["peeragogy"])


def _exit_code() -> object:
    try:
        with pytest.raises(SystemExit) as exit_info:
            launch.main()
    finally:
        gc.enable()
    return exit_info.value.code


def test_bare_command_reports_errors_like_the_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fail_loading(monkeypatch, PeeragogyError("handbook directory not found", path=Path("/nowhere"), hint="check the path"))
    assert _exit_code() == 2
    err = capsys.readouterr().err
    assert err.startswith("peeragogy: error: ") and "/nowhere" in err and "check the path" in err
    assert "Traceback" not in err


def test_bare_command_logs_an_unexpected_crash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], private_home: Path
) -> None:
    _fail_loading(monkeypatch, RuntimeError("boom"))
    assert _exit_code() == 2
    err = capsys.readouterr().err
    log = private_home / "crash.log"
    assert "unexpected error (RuntimeError)" in err and str(log) in err and "Traceback" not in err
    assert "boom" not in err, "the error's own text may quote user data: only crash.log has it"
    assert "RuntimeError: boom" in log.read_text(encoding="utf-8")
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_bare_command_interrupted_while_loading(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fail_loading(monkeypatch, KeyboardInterrupt())
    assert _exit_code() == 1
    err = capsys.readouterr().err
    assert err.strip() == "Aborted!"


def test_typer_path_errors_unchanged(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["--handbook", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "peeragogy: error:" in result.output and "Traceback" not in result.output
