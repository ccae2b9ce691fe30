"""Peeragogy: a terminal handbook and exercise runner for peer learning.

The package is split by layer: ``core`` is pure (it never imports textual),
``cli`` is a thin Typer layer over it, and ``tui`` holds the Textual app.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
