"""The README's screenshots are the current, reviewed snapshots (``python docs/screenshots.py`` refreshes them)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def load_screenshots():
    spec = importlib.util.spec_from_file_location("docs_screenshots", REPO / "docs" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCREENSHOTS = load_screenshots()


@pytest.mark.parametrize("name", sorted(SCREENSHOTS.SCREENSHOTS))
def test_each_screenshot_is_its_snapshot(name: str) -> None:
    source = SCREENSHOTS.SNAPSHOTS / SCREENSHOTS.SCREENSHOTS[name]
    assert source.is_file(), f"the snapshot {source} is gone: point docs/screenshots.py at its successor"
    shot = REPO / "docs" / name
    assert shot.is_file() and shot.read_bytes() == source.read_bytes(), (
        f"docs/{name} is older than its snapshot: run python docs/screenshots.py"
    )


def test_the_readme_shows_only_screenshots_that_are_kept_current() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\(docs/([^)]+\.svg)\)", readme))
    assert shown, "the README shows its screenshots"
    assert shown <= set(SCREENSHOTS.SCREENSHOTS), shown - set(SCREENSHOTS.SCREENSHOTS)
