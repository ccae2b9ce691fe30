"""Where the reader was: the last chapter and position, per handbook.

Stored as ``reading.json`` in the data dir, keyed by the handbook's identity
(:func:`~peeragogy_tui.core.handbook.identity.handbook_key`), so a new
virtualenv or an upgrade keeps the place. It is written atomically with mode
0600. A damaged file is set aside and reading starts fresh: losing a bookmark
is a nuisance, not data loss, but we still keep the old file for inspection.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from peeragogy_tui.core.handbook.identity import handbook_key
from peeragogy_tui.paths import data_dir, ensure_data_dir, write_private_file

__all__ = ["ReadingPosition", "load_position", "save_position"]

_FILE = "reading.json"


@dataclass(frozen=True)
class ReadingPosition:
    """The chapter and top-level block (and line, as a fallback) last shown."""

    chapter_id: str
    block: int = 0
    line: int = 0
    row: int | None = None
    """When ``block`` is a table: the row of it at the top (a 1,000-row table is one block)."""


def _old_key(handbook_root: Path, lang: str) -> str:
    """The key before 0.2: the folder's path, which changes with every virtualenv for the bundled book."""
    try:
        return f"{handbook_root.resolve()}#{lang}"
    except (OSError, RuntimeError):
        return ""


def _read_all() -> dict[str, dict[str, object]]:
    path = data_dir() / _FILE
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        try:
            path.rename(path.with_name(f"{_FILE}.damaged-{int(time.time())}"))
        except OSError:
            pass
        return {}
    return data if isinstance(data, dict) else {}


def load_position(handbook_root: Path, lang: str) -> ReadingPosition | None:
    """The saved position for this handbook, if any."""
    everything = _read_all()
    entry = everything.get(handbook_key(handbook_root, lang)) or everything.get(_old_key(handbook_root, lang))
    if not isinstance(entry, dict) or not isinstance(entry.get("chapter"), str):
        return None
    block = entry.get("block", 0)
    line = entry.get("line", 0)
    row = entry.get("row")
    return ReadingPosition(
        entry["chapter"],  # type: ignore[arg-type]
        block if isinstance(block, int) else 0,
        line if isinstance(line, int) else 0,
        row if isinstance(row, int) and not isinstance(row, bool) and row >= 0 else None,
    )


def save_position(handbook_root: Path, lang: str, position: ReadingPosition) -> None:
    """Remember ``position`` for this handbook (raises PeeragogyError if it cannot)."""
    everything = _read_all()
    everything.pop(_old_key(handbook_root, lang), None)
    everything[handbook_key(handbook_root, lang)] = {
        "chapter": position.chapter_id,
        "block": position.block,
        "line": position.line,
        **({"row": position.row} if position.row is not None else {}),
        "saved": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    ensure_data_dir()
    write_private_file(data_dir() / _FILE, json.dumps(everything, ensure_ascii=False, indent=1))
