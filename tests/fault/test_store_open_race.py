"""Two processes opening a brand-new answers file at once: neither may call it foreign.

Seen under load in test_eight_writers_at_once: one process read the schema
version (0) before another committed the schema, then read the tables
(present) after it, and set a valid new file aside as "not a peeragogy
answers database". Here the other opener runs in a thread started exactly
between those reads and is given a second to commit.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from peeragogy_tui.core.store import open_store


def test_a_schema_created_between_the_identity_reads_is_not_foreign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "answers.sqlite3"
    real_connect = sqlite3.connect
    raced: list[bool] = []

    class RacedConnection(sqlite3.Connection):
        """Right after this connection reads the schema version, another one creates the schema."""

        def execute(self, sql, *args):
            cursor = super().execute(sql, *args)
            if sql == "PRAGMA user_version" and not raced:
                raced.append(True)
                rival.start()
                # Unlocked, the rival commits its schema now; a consistent read makes it wait for us.
                rival.join(timeout=1.0)
            return cursor

    def create_the_schema() -> None:  # the other process
        with open_store(path):
            pass

    rival = threading.Thread(target=create_the_schema)

    def connect(*args, **kwargs):
        if not raced:
            kwargs["factory"] = RacedConnection
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    with open_store(path) as store:
        run_id = store.start_run("x", "X")
    rival.join()
    assert raced, "the rival never ran"
    assert not list(tmp_path.glob("*.corrupt-*")), "a valid new file was set aside"
    with open_store(path) as store:
        assert store.get_run(run_id).exercise_id == "x"
