"""Reading the answers file without writing it (what a full disk leaves possible)."""

from __future__ import annotations

from pathlib import Path

import pytest

from peeragogy_tui.core.store import open_store
from peeragogy_tui.core.store.read_only import open_store_read_only
from peeragogy_tui.errors import PeeragogyError


def test_reads_runs_and_refuses_writes_without_touching_the_file(tmp_path: Path) -> None:
    path = tmp_path / "answers.sqlite3"
    with open_store(path) as store:
        run_id = store.start_run("x", "X")
        store.save_answer(run_id, "a", "hello", step_index=0, prompt="P", current_step=1)
        store.save_draft(run_id, "b", "half")
    before = path.read_bytes()
    with open_store_read_only(path) as reader:
        run = reader.unfinished_run("x")
        assert run is not None and run.current_step == 1 and run.answer_map() == {"a": "hello"}
        assert reader.get_draft(run_id, "b") == "half"
        with pytest.raises(PeeragogyError):
            reader.save_draft(run_id, "b", "more")
    assert path.read_bytes() == before


def test_a_missing_or_foreign_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PeeragogyError, match="no answers database"):
        open_store_read_only(tmp_path / "answers.sqlite3")
    foreign = tmp_path / "other.sqlite3"
    import sqlite3

    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(PeeragogyError, match="not a peeragogy"):
        open_store_read_only(foreign)
