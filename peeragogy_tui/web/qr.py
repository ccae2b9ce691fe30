"""The join link as a QR code made of half blocks, two modules per character cell.

segno builds the code; we draw it as plain lines of ``▀ ▄ █`` and spaces so
the terminal layer can show it as text (dark modules are the characters'
foreground). A quiet zone of two modules keeps phones happy.
"""

from __future__ import annotations

import segno

__all__ = ["qr_lines"]

_CELL = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_lines(url: str, *, border: int = 2) -> list[str]:
    """Lines of half blocks for ``url`` (a dark module is drawn, a light one is a space)."""
    rows = [[bool(module) for module in row] for row in segno.make(url, error="m").matrix_iter(border=border)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    return ["".join(_CELL[(top, bottom)] for top, bottom in zip(rows[i], rows[i + 1], strict=True))
            for i in range(0, len(rows), 2)]
