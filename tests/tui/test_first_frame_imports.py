"""Start-up stays lean: nothing slow is imported or written before the first frame.

The first frame is Textual's ``Ready``. Until then the reader needs Textual,
markdown-it and our own code; pydantic (exercises), SQLite (answers, search)
and YAML (frontmatter, with a warm cache) are for later, and so is saving the
reading position (a write and an fsync).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

LATER = ("pydantic", "sqlite3", "yaml", "frontmatter")
"""Modules that must not be imported before the first frame of the bundled handbook."""

PROBE = """
import json, os, sys
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import PeeragogyApp, create_app

seen = {}

def on_ready(self):
    seen["modules"] = sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[1].split(",")))
    seen["lines"] = len(self.main_screen.document_view.lines)
    home = os.environ["PEERAGOGY_HOME"]
    seen["files"] = sorted(os.path.relpath(os.path.join(d, f), home) for d, _, fs in os.walk(home) for f in fs)
    self.exit()

PeeragogyApp.on_ready = on_ready
app = create_app(load_handbook(bundled_handbook_dir()), exercises_dir=bundled_exercises_dir(), restore=False)
app.run(headless=True, size=(100, 30))
print(json.dumps(seen))
"""


def first_frame_modules(home: Path) -> dict[str, object]:
    env = dict(os.environ, PEERAGOGY_HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(LATER)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_first_frame_needs_no_pydantic_sqlite_or_yaml_and_writes_no_position(tmp_path: Path) -> None:
    cold = first_frame_modules(tmp_path / "home")
    assert cold["lines"], "the first frame shows the chapter"
    assert cold["modules"] == ["yaml"], "a first start parses frontmatter (and fills the cache)"
    warm = first_frame_modules(tmp_path / "home")
    assert warm["lines"]
    assert warm["modules"] == [], f"imported before the first frame: {warm['modules']}"
    for run in (cold, warm):
        assert [name.split("/")[0] for name in run["files"]] == ["cache"], run["files"]


COMMAND_PROBE = """
import json, sys
from peeragogy_tui.tui.app import PeeragogyApp

seen = {}
later = set(sys.argv[1].split(","))

def on_ready(self):
    seen["modules"] = sorted({name.split(".")[0] for name in sys.modules} & later)
    seen["lines"] = len(self.main_screen.document_view.lines)
    self.exit()

run = PeeragogyApp.run
PeeragogyApp.on_ready = on_ready
PeeragogyApp.run = lambda self, *args, **kwargs: run(self, headless=True, size=(100, 30))
sys.argv = ["peeragogy"]
from peeragogy_tui.launch import main
main()
print(json.dumps(seen))
"""


def test_the_peeragogy_command_reaches_its_first_frame_without_the_cli(tmp_path: Path) -> None:
    """Typer coerces option values with pydantic: ``peeragogy`` alone must not go through Typer."""
    env = dict(os.environ, PEERAGOGY_HOME=str(tmp_path / "home"))
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", COMMAND_PROBE, ",".join((*LATER, "typer"))],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["lines"]
    assert seen["modules"] == [], f"imported before the first frame: {seen['modules']}"
