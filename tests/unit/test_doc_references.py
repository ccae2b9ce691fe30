"""Docs name files and modules that exist: a move (core/search → core/handbook) leaves no stale name."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "peeragogy_tui"
DOCS = [REPO / "README.md", REPO / "benchmarks" / "README.md", *sorted((REPO / "docs").glob("*.md"))]

MODULE_ROLE = re.compile(r":mod:`[~!]?([\w.]+)`")
QUOTED_PATH = re.compile(r"`((?:[\w.-]+/)+[\w.-]+\.(?:py|md|tcss))`")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def absolute(reference: str, path: Path) -> str:
    """``reference`` as Sphinx reads it in ``path``: a leading dot is the module's own package."""
    if not reference.startswith("."):
        return reference
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    return package + reference


def test_every_mod_reference_in_a_docstring_is_a_module() -> None:
    stale = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for reference in MODULE_ROLE.findall(path.read_text(encoding="utf-8")):
            name = absolute(reference, path)
            if importlib.util.find_spec(name) is None:
                stale.append(f"{path.relative_to(REPO)}: {reference} ({name})")
    assert stale == []


def test_every_quoted_path_in_the_docs_is_a_file() -> None:
    """A quoted path into one of our folders (``core/…``, ``tests/…``); examples (``OUTDIR/…``) are not."""
    stale = []
    roots = (REPO, PACKAGE)
    for doc in DOCS:
        for quoted in QUOTED_PATH.findall(doc.read_text(encoding="utf-8")):
            ours = [root for root in roots if (root / quoted.partition("/")[0]).is_dir()]
            if ours and not any((root / quoted).is_file() for root in ours):
                stale.append(f"{doc.relative_to(REPO)}: {quoted}")
    assert stale == []
