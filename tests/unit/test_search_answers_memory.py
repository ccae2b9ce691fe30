"""The answers search reads the answer store again only when the store's files changed.

Reading every saved answer (and checking the store) before each query cost
10 ms with 200 answers and 80 ms with 2,000, on every key typed in the
search screen. What it finds must not change: a new answer is found and a
deleted one is gone at the very next search, however soon it comes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from peeragogy_tui.core.search import answers
from peeragogy_tui.core.search.answers import AnswerSearch
from peeragogy_tui.core.store import DB_NAME, open_store

HOUR_AGO = time.time() - 3600


def save(text: str) -> int:
    with open_store() as store:
        run = store.start_run("knowledge-cafe", "Host a Knowledge Café")
        store.save_answer(run, "insight", text, step_index=0, prompt="Your insight?")
    return run


def age_store_files(home: Path) -> None:
    """Make the store's files look written an hour ago (as after any quiet while)."""
    for name in (DB_NAME, f"{DB_NAME}-wal"):
        if (home / name).exists():
            os.utime(home / name, (HOUR_AGO, HOUR_AGO))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every time the store's answers are read."""
    seen: list[Path] = []
    real = answers._answer_rows

    def counted(store_path: Path) -> list[answers.Row]:
        seen.append(store_path)
        return real(store_path)

    monkeypatch.setattr(answers, "_answer_rows", counted)
    return seen


def test_an_unchanged_store_is_read_once(private_home: Path, reads: list[Path]) -> None:
    run = save("tardigrades are tough")
    age_store_files(private_home)
    search = AnswerSearch()
    assert [hit.run_id for hit in search.search("tardigrades")] == [run]
    assert [hit.run_id for hit in search.search("tardigrade*")] == [run]
    assert [hit.run_id for hit in search.search("tough")] == [run]
    assert len(reads) == 1


def test_a_new_answer_is_found_at_the_next_search(private_home: Path, reads: list[Path]) -> None:
    first = save("tardigrades are tough")
    age_store_files(private_home)
    search = AnswerSearch()
    assert [hit.run_id for hit in search.search("tardigrades")] == [first]
    second = save("more tardigrades")
    assert sorted(hit.run_id for hit in search.search("tardigrades")) == sorted([first, second])
    assert len(reads) == 2


def test_a_deleted_answer_is_gone_at_the_next_search_however_soon(private_home: Path) -> None:
    run = save("tardigrades are tough")
    search = AnswerSearch()
    assert [hit.run_id for hit in search.search("tardigrades")] == [run]
    with open_store() as store:
        store.delete_run(run)
    assert search.search("tardigrades").hits == []
    assert search.search("tardigrades").note == "no saved answers yet"


def test_a_deleted_answer_is_gone_even_when_the_store_was_quiet_before(private_home: Path) -> None:
    run = save("tardigrades are tough")
    keep = save("a second answer")
    age_store_files(private_home)
    search = AnswerSearch()
    assert [hit.run_id for hit in search.search("tardigrades")] == [run]
    with open_store() as store:
        store.delete_run(run)
    assert search.search("tardigrades").hits == []
    assert [hit.run_id for hit in search.search("second")] == [keep]


def test_a_deleted_copy_of_the_answers_is_rebuilt_from_the_store(private_home: Path, reads: list[Path]) -> None:
    run = save("tardigrades are tough")
    age_store_files(private_home)
    search = AnswerSearch()
    assert [hit.run_id for hit in search.search("tardigrades")] == [run]
    for copy in (private_home / "search").glob("answers.sqlite3*"):
        copy.unlink()
    assert [hit.run_id for hit in search.search("tardigrades")] == [run]
    assert len(reads) == 2


def test_the_index_keeps_one_answer_search(private_home: Path, tmp_path: Path, reads: list[Path]) -> None:
    from peeragogy_tui.core.search import index_for

    book = tmp_path / "book"
    book.mkdir()
    (book / "a.md").write_text("---\ntitle: A\n---\n# A\n\nokapi\n", encoding="utf-8")
    run = save("tardigrades are tough")
    age_store_files(private_home)
    with index_for(book, include_exercises=False) as index:
        assert [hit.run_id for hit in index.search_answers("tardigrades")] == [run]
        assert [hit.run_id for hit in index.search_answers("tough")] == [run]
    assert len(reads) == 1
