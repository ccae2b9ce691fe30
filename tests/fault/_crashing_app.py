"""A child process for test_no_traceback: the real app or CLI with one forced, unexpected error.

Usage: python _crashing_app.py tui|headless|cli

The error is raised in a frame whose locals hold a row of "answers" and whose
message quotes it, so a traceback with locals, or the message, would show
``SECRET-ROW-CONTENTS`` on screen.
"""

from __future__ import annotations

import sys

SECRET = "SECRET-ROW-CONTENTS"


def _explode() -> None:
    row = {"value_json": SECRET}
    raise RuntimeError(f"could not decode {row}")


def main() -> None:
    mode = sys.argv[1]
    if mode == "cli":
        from peeragogy_tui.core.store.answers import AnswerStore

        AnswerStore.runs = lambda self, exercise_id=None: _explode()  # type: ignore[method-assign]
        from peeragogy_tui.cli import app

        sys.argv = ["peeragogy", "answers", "list"]
        app()
        return
    from peeragogy_tui.tui.app import PeeragogyApp

    original = PeeragogyApp.on_ready

    def on_ready(self: PeeragogyApp) -> None:
        original(self)
        self.set_timer(0.3, _explode)

    PeeragogyApp.on_ready = on_ready  # type: ignore[method-assign]
    if mode == "headless":
        from peeragogy_tui.core.handbook import load_handbook
        from peeragogy_tui.paths import bundled_handbook_dir
        from peeragogy_tui.tui.app import create_app

        app = create_app(load_handbook(bundled_handbook_dir()))
        app.run(headless=True, size=(80, 24))
        sys.exit(app.return_code)
    from peeragogy_tui.launch import main as launch

    sys.argv = ["peeragogy"]
    launch()


if __name__ == "__main__":
    main()
