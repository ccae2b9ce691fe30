"""The real ``peeragogy`` reader whose reading-position write never finishes, for test_terminal_gone.

Usage: python _stuck_save_child.py MARKER [peeragogy arguments...]

``reading.json`` is written on the save thread; here that write touches MARKER
and then waits for ever, as a write to a stalled disk would. A SIGTERM must
still end the process, and the old ``reading.json`` must be left as it was.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

from peeragogy_tui import launch
from peeragogy_tui.core import reading_state


def main() -> None:
    marker = Path(sys.argv[1])

    def stalled_write(path: Path, payload: Any, **_: Any) -> None:
        marker.write_text(str(path), encoding="utf-8")
        threading.Event().wait()

    reading_state.write_private_file = stalled_write  # type: ignore[assignment]
    sys.argv = ["peeragogy", *sys.argv[2:]]
    sys.exit(launch.main())


if __name__ == "__main__":
    main()
