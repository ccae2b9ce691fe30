"""The import-linter contracts in pyproject.toml hold (and are really checked), and the core
loads without textual or any web library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_the_import_contracts_are_kept() -> None:
    pytest.importorskip("importlinter", reason="import-linter (in the test extra) is not installed")
    code = (
        "import sys; from importlinter.cli import lint_imports; "
        "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in (
        "The core never imports textual KEPT",
        "The core never imports the web layer or web libraries KEPT",
        "The web layer never imports textual or the terminal UI KEPT",
    ):
        assert contract in result.stdout, result.stdout


def test_the_core_and_the_web_layer_load_without_the_libraries_they_must_not_use() -> None:
    code = (
        "import sys, importlib; "
        "[importlib.import_module(m) for m in ('peeragogy_tui.core.sessions', "
        "'peeragogy_tui.core.sessions.participation', 'peeragogy_tui.core.sessions.participant_view')]; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'starlette', 'uvicorn', 'segno')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    pytest.importorskip("starlette", reason="the web extra is not installed")
    code = (
        "import sys; import peeragogy_tui.web.app, peeragogy_tui.web.server, peeragogy_tui.web.qr; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual' or m.startswith('peeragogy_tui.tui')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
