"""The real app in a real terminal, opened on one exercise, for the exit-signal fault tests.

Usage: python _exercise_child.py EXERCISE_ID PIDFILE

Writes its pid to PIDFILE, then runs the app (bundled handbook and exercises)
and opens EXERCISE_ID. The periodic draft save is switched off (one hour), so
only the signal handlers can save what was typed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from peeragogy_tui.core.exercises import load_exercises
from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui import app as app_module
from peeragogy_tui.tui.screens import exercise_run


def main() -> None:
    exercise_id, pidfile = sys.argv[1], Path(sys.argv[2])
    exercise_run.DRAFT_SECONDS = 3600.0
    app = app_module.create_app(
        load_handbook(bundled_handbook_dir()),
        exercises=load_exercises(bundled_exercises_dir()),
        start="convening",
        restore=False,
    )

    async def open_exercise(pilot) -> None:
        pilot.app.open_exercise(exercise_id)

    pidfile.write_text(str(os.getpid()), encoding="utf-8")
    code = app.run(auto_pilot=open_exercise)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
