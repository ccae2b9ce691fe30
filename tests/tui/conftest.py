"""Fixtures for driving the app with Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest

from peeragogy_tui.core.handbook import Handbook, load_handbook
from peeragogy_tui.paths import bundled_handbook_dir
from peeragogy_tui.tui.app import PeeragogyApp, create_app


@pytest.fixture
def bundled() -> Handbook:
    return load_handbook(bundled_handbook_dir())


@pytest.fixture
def make_app():
    """Build an app on a handbook; cursor blink off so frames are stable."""

    def factory(handbook: Handbook, **kwargs) -> PeeragogyApp:
        app = create_app(handbook, **kwargs)
        return app

    return factory

