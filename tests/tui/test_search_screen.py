"""Pilot tests: `/` searches as you type, Enter opens at the match, n/N step, ctrl+f finds in the chapter."""

from __future__ import annotations

from pathlib import Path

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.tui.screens.main import MainScreen
from peeragogy_tui.tui.screens.search import SearchScreen

SIZE = (100, 30)


def handbook_with_token(root: Path) -> Path:
    """Three chapters; only 'Far' has the planted token, three times, far down the page."""
    (root / "one.md").write_text(
        "---\ntitle: Near\norder: 1\n---\n# Near\n\n" + "\n\n".join(f"Plain paragraph {i}." for i in range(40)),
        encoding="utf-8",
    )
    far = [f"Filler paragraph {i} about groups." for i in range(80)]
    far[30] = "Here the zanzibarite token appears for the first time."
    far[55] = "A second zanzibarite sighting, [@click=app.quit] not markup."
    far[70] = "And a third: Zanzibarite, capitalised."
    (root / "two.md").write_text(
        "---\ntitle: Far\norder: 2\n---\n# Far\n\n" + "\n\n".join(far), encoding="utf-8"
    )
    (root / "three.md").write_text("---\ntitle: Third\norder: 3\n---\n# Third\n\nGroups again.\n", encoding="utf-8")
    return root


async def wait_for_results(pilot, screen: SearchScreen, minimum: int = 1) -> None:
    """Wait for the results of what the box holds now, not of a half-typed earlier query.

    Under load the debounce can fire between two keys, and "quo*" may find a chapter
    before "quokkaesque" is complete: counting any results would read the wrong list.
    """
    from peeragogy_tui.tui.screens.search import as_you_type

    for _ in range(250):
        await pilot.pause(0.02)
        if screen.shown_query == as_you_type(screen.query_text) and screen.result_count >= minimum:
            return
    raise AssertionError(f"no search results arrived (status: {screen.query_one('#search-status').render()})")


async def test_slash_enter_and_n_step_through_matches(tmp_path: Path, make_app) -> None:
    app = make_app(load_handbook(handbook_with_token(tmp_path)), restore=False)
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.chapter is not None and main.chapter.title == "Near"

        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"zanzibar*")
        await wait_for_results(pilot, screen)
        assert screen.result_count == 1  # only 'Far' has it
        await pilot.press("enter")
        await pilot.pause()

        assert app.screen is main
        assert main.chapter.title == "Far"
        view = main.document_view
        assert len(view.matches) == 3
        assert view.current_match == 0
        first_line = view.matches[0].line
        top = round(view.scroll_y)
        assert top <= first_line < top + view.scrollable_content_region.height, "opened scrolled to the match"
        assert top > 0, "the match is far down, so the view moved"

        await pilot.press("n")
        assert view.current_match == 1
        second = view.matches[1].line
        top = round(view.scroll_y)
        assert top <= second < top + view.scrollable_content_region.height
        await pilot.press("n", "n")
        assert view.current_match == 0, "n wraps around after the last match"
        await pilot.press("N")
        assert view.current_match == 2, "N goes backwards and wraps"

        # The matched line shows the literal text: '[@click=app.quit]' is never markup.
        lines = [line.plain for line in view.lines]
        assert any("[@click=app.quit]" in line for line in lines)

        await pilot.press("escape")
        assert view.search_query is None and view.matches == []


async def test_status_line_counts_matches(tmp_path: Path, make_app) -> None:
    app = make_app(load_handbook(handbook_with_token(tmp_path)), restore=False)
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        main.open_chapter("two")
        main.show_matches("zanzibarite", 1)
        await pilot.pause()
        status = app.screen.query_one("#chapter-status")
        text = " ".join(segment.text for segment in status.render_line(0))  # type: ignore[attr-defined]
        assert "match 2/3" in text


async def test_ctrl_f_finds_in_this_chapter_only(tmp_path: Path, make_app) -> None:
    app = make_app(load_handbook(handbook_with_token(tmp_path)), restore=False)
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        main.open_chapter("two")
        await pilot.pause()
        await pilot.press("ctrl+f")
        screen = app.screen
        assert isinstance(screen, SearchScreen) and screen.scope == "chapter"
        await pilot.press(*"groups")
        await wait_for_results(pilot, screen)
        assert screen.result_count == 77  # 80 filler lines minus the three token lines; not 'Third'
        # The first ↓ moves from the box into the list (on the first line); two more reach the third.
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        view = main.document_view
        assert main.chapter.id == "two"
        assert view.current_match == 2
        line = view.matches[2].line
        assert "groups" in view.lines[line].plain.lower()
        top = round(view.scroll_y)
        assert top <= line < top + view.scrollable_content_region.height


async def test_answers_show_as_their_own_group(tmp_path: Path, make_app) -> None:
    from peeragogy_tui.core.exercises import load_exercises
    from peeragogy_tui.core.store import open_store
    from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir

    exercises = load_exercises(bundled_exercises_dir(), "en")
    exercise = exercises.get("reflect-convening")
    assert exercise is not None
    with open_store() as store:
        run_id = store.start_run(exercise.id, exercise.title)
        store.save_answer(
            run_id, exercise.key(0), "My quokkaesque study group met on Tuesdays.", step_index=0,
            prompt=exercise.steps[0].prompt,
        )
    app = make_app(load_handbook(bundled_handbook_dir()), exercises_dir=bundled_exercises_dir(), restore=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        screen = app.screen
        await pilot.press(*"quokkaesque")
        await wait_for_results(pilot, screen)
        prompts = [str(screen.query_one("#search-results").get_option_at_index(i).prompt) for i in range(2)]
        assert prompts[0].startswith("Your answers · 1")
        assert "quokkaesque" in prompts[1]


def test_half_typed_last_word_is_a_prefix() -> None:
    from peeragogy_tui.tui.screens.search import as_you_type

    assert as_you_type("peer lear") == "peer lear*"
    assert as_you_type("peer learning ") == "peer learning "  # a finished word stays whole
    assert as_you_type('"peer lear') == '"peer lear'  # inside an open phrase: leave it alone
    assert as_you_type('"peer learning"') == '"peer learning"'
    assert as_you_type("facilit*") == "facilit*"
    assert as_you_type("cats OR") == "cats OR"
    assert as_you_type("") == ""


async def test_typing_half_a_word_already_finds_it(tmp_path: Path, make_app) -> None:
    app = make_app(load_handbook(handbook_with_token(tmp_path)), restore=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        screen = app.screen
        await pilot.press(*"zanzi")
        await wait_for_results(pilot, screen)
        assert screen.result_count == 1


def many_chapters(root: Path, count: int = 200) -> Path:
    for number in range(count):
        (root / f"c{number:03d}.md").write_text(
            f"---\ntitle: Chapter {number}\norder: {number}\n---\n# Chapter {number}\n\nA quokka, number {number}.\n",
            encoding="utf-8",
        )
    return root


async def test_escape_and_q_act_at_once_while_a_query_runs(tmp_path: Path, make_app) -> None:
    import time

    app = make_app(load_handbook(many_chapters(tmp_path)), restore=False)
    async with app.run_test(size=SIZE) as pilot:
        index = app.search_index()
        index.conn.set_progress_handler(lambda: time.sleep(0.05) or 0, 10)  # any query now takes minutes
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"quokka")
        for _ in range(250):
            await pilot.pause(0.02)
            if index._querying:
                break
        assert index._querying, "the slow query is running"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        for _ in range(100):
            await pilot.pause(0.02)
            if not index._querying:
                break
        assert not index._querying, "Esc stopped the query instead of waiting for it"
        index.conn.set_progress_handler(None, 0)
        await pilot.press("q")
    assert app.return_code == 0


async def test_first_search_during_the_first_build_shows_progress_then_results(
    tmp_path: Path, make_app, monkeypatch
) -> None:
    import threading

    import peeragogy_tui.core.search as search_package
    from textual.widgets import ProgressBar

    real = search_package.index_for
    halfway = threading.Event()
    release = threading.Event()

    def held_build(*args, progress=None, **kwargs):  # type: ignore[no-untyped-def]
        def report(done: int, total: int) -> None:
            progress(done, total)
            if 0 < done < total and not release.is_set():
                halfway.set()
                release.wait(30)

        return real(*args, progress=report, **kwargs)

    monkeypatch.setattr(search_package, "index_for", held_build)
    app = make_app(load_handbook(many_chapters(tmp_path)), restore=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"quokka")
        # The build is held at 64 files; wait until the screen has shown that (its timer may first
        # show "0 of 200 files", reported before the hold): the condition asserted below, not "any files".
        for _ in range(750):
            await pilot.pause(0.02)
            if halfway.is_set() and "64 of 200 files" in str(screen.query_one("#search-status").render()):
                break
        status = str(screen.query_one("#search-status").render())
        assert "Building the search index" in status and "64 of 200 files" in status, status
        bar = screen.query_one(ProgressBar)
        assert bar.display and bar.total == 200 and bar.progress == 64
        release.set()
        await wait_for_results(pilot, screen, minimum=50)
        assert not bar.display
        assert screen.result_count == 50
