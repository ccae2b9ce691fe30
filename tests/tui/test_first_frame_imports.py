"""Start-up stays lean: nothing slow is imported or written before the first frame.

The first frame is Textual's ``Ready``. Until then the reader needs Textual
and our own code; pydantic (exercises), SQLite (answers, search), YAML (simple
frontmatter is read without it, other blocks come from the frontmatter cache
once seen) and markdown-it (when the document cache holds the chapter shown
first) are for later, and so is saving the reading position (a
write and an fsync). Each probe quits like a user (``q``), which saves the
position and the document to show first next time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from peeragogy_tui.paths import bundled_handbook_dir

REPO = Path(__file__).resolve().parents[2]

LATER = ("pydantic", "sqlite3", "yaml", "frontmatter", "markdown_it")
"""Modules that must not be imported before the first frame of the bundled handbook."""

WARM_LATER = (
    "peeragogy_tui.tui.widgets.presenter_header",  # made when presenter mode first turns on
    "textual.widgets._digits",
    "rich._emoji_codes",  # a str label given to Tree is read as markup
    "concurrent.futures.thread",  # the save thread starts with the first save
    "html.entities",  # entities are decoded only when a chapter or a title is parsed
)
"""Not imported before the first frame of a second start either (the chapter shown from the
document cache, the tree from its snapshot): each one was start-up time with nothing to do."""

PROBE = """
import json, os, sys, time
started = time.time_ns()
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import PeeragogyApp, create_app

seen = {}

async def on_ready(self):
    seen["modules"] = sorted(({*sys.modules} | {name.split(".")[0] for name in sys.modules}) & set(sys.argv[1].split(",")))
    seen["lines"] = len(self.main_screen.document_view.lines)
    home = os.environ["PEERAGOGY_HOME"]
    paths = [os.path.join(d, f) for d, _, fs in os.walk(home) for f in fs]
    seen["written"] = sorted(os.path.relpath(p, home) for p in paths if os.stat(p).st_mtime_ns >= started)
    await self.action_quit()

PeeragogyApp.on_ready = on_ready
app = create_app(load_handbook(bundled_handbook_dir()), exercises_dir=bundled_exercises_dir(), restore=False)
app.run(headless=True, size=(100, 30))
print(json.dumps(seen))
"""


def first_frame_modules(home: Path) -> dict[str, object]:
    """What the app had imported at its first frame, of :data:`LATER` and :data:`WARM_LATER` (packages or modules)."""
    env = dict(os.environ, PEERAGOGY_HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(LATER + WARM_LATER)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_first_frame_needs_no_pydantic_sqlite_yaml_or_parser_and_writes_no_position(tmp_path: Path) -> None:
    cold = first_frame_modules(tmp_path / "home")
    assert cold["lines"], "the first frame shows the chapter"
    cold_later = [name for name in cold["modules"] if name in LATER]
    assert cold_later == ["markdown_it"], "a first start parses the chapter; simple frontmatter needs no YAML"
    warm = first_frame_modules(tmp_path / "home")
    assert warm["lines"]
    assert warm["modules"] == [], f"imported before the first frame: {warm['modules']}"
    assert cold["written"] == [], "simple frontmatter leaves the frontmatter cache nothing to write"
    assert warm["written"] == [], "nothing is written before the first frame of an unchanged handbook"


COMMAND_PROBE = """
import json, sys
from peeragogy_tui.tui.app import PeeragogyApp

seen = {}
later = set(sys.argv[1].split(","))

async def on_ready(self):
    seen["modules"] = sorted(({*sys.modules} | {name.split(".")[0] for name in sys.modules}) & later)
    seen["lines"] = len(self.main_screen.document_view.lines)
    seen["root"] = str(self.main_screen.handbook.root)
    seen["lang"] = self.main_screen.handbook.lang
    from peeragogy_tui.paths import data_dir
    seen["data_dir"] = str(data_dir())
    await self.action_quit()

run = PeeragogyApp.run
PeeragogyApp.on_ready = on_ready
PeeragogyApp.run = lambda self, *args, **kwargs: run(self, headless=True, size=(100, 30))
sys.argv = ["peeragogy", *json.loads(sys.argv[2])]
import peeragogy_tui.launch as launch_module
launch_module.stdio_is_terminal = lambda: (True, True)  # output is a pipe here; the app runs headless
from peeragogy_tui.launch import main
main()
print(json.dumps(seen))
"""


CLI_LAYER = (*LATER, "typer", "click")
"""Before the first frame of ``peeragogy`` with only reader options: none of these either."""


def command_first_frame(home: Path, args: list[str], starts: int = 2) -> dict[str, object]:
    """What the last of ``starts`` runs of ``peeragogy ARGS`` had imported at its first frame (the second is warm).

    Checked against :data:`CLI_LAYER`, and against :data:`WARM_LATER` too when a run before it left the caches.
    """
    env = dict(os.environ, PEERAGOGY_HOME=str(home))
    later = CLI_LAYER + WARM_LATER if starts > 1 else CLI_LAYER
    for _ in range(starts):
        done = subprocess.run(
            [sys.executable, "-c", COMMAND_PROBE, ",".join(later), json.dumps(args)],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_peeragogy_command_reaches_its_first_frame_without_the_cli(tmp_path: Path) -> None:
    """Typer coerces option values with pydantic: ``peeragogy`` alone must not go through Typer."""
    seen = command_first_frame(tmp_path / "home", [])
    assert seen["lines"]
    assert seen["modules"] == [], f"imported before the first frame: {seen['modules']}"


@pytest.mark.parametrize(
    "args",
    [
        ["--handbook", "{book}"],
        ["--handbook", "{book}", "--lang", "es"],
        ["--data-dir", "{data}"],
        ["--handbook={book}", "--lang=es", "--data-dir={data}"],
    ],
    ids=["handbook", "handbook-lang", "data-dir", "all-with-equals"],
)
def test_reader_options_reach_the_first_frame_without_the_cli(tmp_path: Path, args: list[str]) -> None:
    """``--handbook``, ``--lang`` and ``--data-dir`` open the reader without Typer, pydantic, YAML or markdown-it."""
    book = tmp_path / "book"
    shutil.copytree(bundled_handbook_dir(), book)
    data = tmp_path / "data"
    args = [arg.format(book=book, data=data) for arg in args]
    seen = command_first_frame(tmp_path / "home", args)
    assert seen["lines"]
    assert seen["modules"] == [], f"imported before the first frame: {seen['modules']}"
    uses_book = any(str(book) in arg for arg in args)
    lang = "es" if any(arg == "es" or arg.endswith("=es") for arg in args) else "en"
    assert seen["lang"] == lang
    assert seen["root"] == str((book if uses_book else bundled_handbook_dir()) / lang)
    uses_data = any(str(data) in arg for arg in args)
    assert seen["data_dir"] == str(data if uses_data else tmp_path / "home")
    if uses_data:
        assert (data / "cache").is_dir() and not (tmp_path / "home").exists(), "user data goes to --data-dir only"


@pytest.mark.parametrize("args", [[], ["--handbook", "{book}"], ["--handbook", "{book}", "--lang", "es"]],
                         ids=["bundled", "handbook", "handbook-lang"])
def test_a_first_start_needs_no_yaml_for_simple_frontmatter(tmp_path: Path, args: list[str]) -> None:
    """No caches at all (a new data dir): the chapter is parsed (markdown-it), its frontmatter read without YAML."""
    book = tmp_path / "book"
    shutil.copytree(bundled_handbook_dir(), book)
    seen = command_first_frame(tmp_path / "home", [arg.format(book=book) for arg in args], starts=1)
    assert seen["lines"]
    assert seen["modules"] == ["markdown_it"], f"imported before the first frame: {seen['modules']}"
