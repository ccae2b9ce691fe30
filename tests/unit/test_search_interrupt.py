"""A running query can be stopped from another thread, and a first build reports its progress."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from peeragogy_tui.core.search import SearchInterrupted, index_for


def book(root: Path, chapters: int = 150) -> Path:
    root.mkdir()
    for number in range(chapters):
        (root / f"c{number:03d}.md").write_text(f"# Chapter {number}\n\nCommon words, quokka {number}.\n")
    return root


def slow(index) -> None:  # type: ignore[no-untyped-def]
    """Make every statement crawl (a sleep every few VM steps), as a query in a huge index would."""
    index.conn.set_progress_handler(lambda: time.sleep(0.002) or 0, 10)


def test_interrupt_stops_a_running_query_and_the_next_one_runs(tmp_path: Path) -> None:
    index = index_for(book(tmp_path / "book"), include_exercises=False)
    try:
        slow(index)
        outcome: list[object] = []
        started = threading.Event()

        def query() -> None:
            started.set()
            try:
                outcome.append(index.search("quokka"))
            except SearchInterrupted as stopped:
                outcome.append(stopped)

        thread = threading.Thread(target=query)
        thread.start()
        started.wait()
        while not index._querying and thread.is_alive():
            time.sleep(0.001)
        index.interrupt()
        thread.join(timeout=30)
        assert not thread.is_alive(), "the query ended when interrupted"
        assert len(outcome) == 1 and isinstance(outcome[0], SearchInterrupted)
        index.conn.set_progress_handler(None, 0)
        assert len(index.search("quokka", limit=200)) == 150, "an interrupt does not stop the next query"
    finally:
        index.close()


def test_interrupt_with_no_query_running_changes_nothing(tmp_path: Path) -> None:
    with index_for(book(tmp_path / "book", 5), include_exercises=False) as index:
        index.interrupt()
        assert len(index.search("quokka")) == 5


def test_close_interrupts_a_running_query(tmp_path: Path) -> None:
    index = index_for(book(tmp_path / "book"), include_exercises=False)
    slow(index)
    errors: list[BaseException] = []

    def query() -> None:
        try:
            index.search("quokka")
        except BaseException as error:  # noqa: BLE001 - the test reports it
            errors.append(error)

    thread = threading.Thread(target=query)
    thread.start()
    while not index._querying and thread.is_alive():
        time.sleep(0.001)
    index.close()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert [type(error) for error in errors] in ([SearchInterrupted], [])


def test_a_first_build_reports_files_done_and_in_all(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with index_for(book(tmp_path / "book", 200), include_exercises=False, progress=lambda d, t: seen.append((d, t))):
        pass
    assert seen[0] == (0, 200) and seen[-1] == (200, 200)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert len(seen) >= 4, "more than a start and an end"
    again: list[tuple[int, int]] = []
    with index_for(tmp_path / "book", include_exercises=False, progress=lambda d, t: again.append((d, t))):
        pass
    assert again == [], "an existing index is not built again"


@pytest.mark.parametrize("query", ["quokka", "chapter*", '"common words"'])
def test_queries_work_without_interrupts(tmp_path: Path, query: str) -> None:
    with index_for(book(tmp_path / "book", 10), include_exercises=False) as index:
        assert len(index.search(query)) == 10


def test_an_interrupt_before_the_query_starts_is_not_lost(tmp_path: Path) -> None:
    # The search screen decides to search (takes a ticket) on the UI thread; its worker thread
    # starts the query a moment later. An Esc in between must stop that query, not be forgotten.
    with index_for(book(tmp_path / "book", 5), include_exercises=False) as index:
        decided = index.ticket()
        index.interrupt()  # Esc, before the worker got to the query
        with pytest.raises(SearchInterrupted):
            index.search("quokka", ticket=decided)
        assert len(index.search("quokka", ticket=index.ticket())) == 5, "a query decided after it runs"
        assert len(index.search("quokka")) == 5
