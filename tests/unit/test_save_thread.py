"""The save thread runs saves in order, off the caller's thread, and drain() waits for them."""

from __future__ import annotations

import threading

from peeragogy_tui.tui.save_thread import SaveThread


def test_saves_run_in_the_order_asked_on_another_thread_and_drain_waits_for_all() -> None:
    crashes: list[BaseException] = []
    saves = SaveThread(on_crash=crashes.append)
    release = threading.Event()
    done: list[tuple[int, int]] = []

    def save(number: int) -> None:
        if number == 0:
            release.wait(5)  # the first save is slow: the others queue behind it
        done.append((number, threading.get_ident()))

    for number in range(5):
        saves.submit(lambda number=number: save(number))
    assert done == [], "submit returns at once"
    release.set()
    saves.drain()
    assert [number for number, _ in done] == [0, 1, 2, 3, 4]
    assert {thread for _, thread in done} != {threading.get_ident()}
    assert len({thread for _, thread in done}) == 1
    assert crashes == []
    saves.close()


def test_a_save_that_raises_is_reported_and_the_next_save_still_runs() -> None:
    crashes: list[BaseException] = []
    saves = SaveThread(on_crash=crashes.append)
    after: list[str] = []

    def broken() -> None:
        raise ValueError("a bug in a save")

    saves.submit(broken)
    saves.submit(lambda: after.append("ran"))
    saves.drain()
    assert [type(error) for error in crashes] == [ValueError]
    assert after == ["ran"]
    saves.close()


def test_close_runs_what_is_waiting_and_a_later_save_starts_a_new_thread() -> None:
    saves = SaveThread(on_crash=lambda error: None)
    ran: list[int] = []
    saves.submit(lambda: ran.append(1))
    saves.close()
    assert ran == [1]
    saves.submit(lambda: ran.append(2))
    saves.drain()
    assert ran == [1, 2]
    saves.close()


def test_drain_with_nothing_submitted_returns() -> None:
    SaveThread(on_crash=lambda error: None).drain()
