"""Fixtures for the session unit tests: a fake clock and a session store on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from session_support import FakeClock

from peeragogy_tui.core.sessions import SessionStore, open_session_store


@pytest.fixture
def clock() -> FakeClock:
    """Starts at ``session_support.T0`` and moves only when ticked."""
    return FakeClock()


@pytest.fixture
def sessions(private_home: Path, clock: FakeClock) -> Iterator[SessionStore]:
    """A session store in the private test home, on the fake clock."""
    with open_session_store(clock=clock) as opened:
        yield opened
