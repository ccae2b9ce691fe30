"""The participant page in a real browser (Playwright driving Debian's chromium).

Join, post, see the entry; see a change made elsewhere arrive by itself; survive a server
restart without a reload. A screenshot goes to ``docs/participant-page.png`` when that file
is missing or ``PEERAGOGY_SCREENSHOTS=1`` is set (so a normal run leaves the tree clean).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason="the web extra is not installed: pip install '.[web]'")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (in the test extra) is not installed")

from web_support import SECRET, served_session  # noqa: E402

from peeragogy_tui.core.sessions import open_session_store  # noqa: E402
from peeragogy_tui.web.server import start_server  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "participant-page.png"
TRICKY = "Bring snacks <b>bold</b> <img src=x onerror=alert(1)>"


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no browser: {CHROMIUM} is missing (apt-get install chromium; .ci/run does it)")
    with sync_api.sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        except Exception as error:  # noqa: BLE001 - any launch failure means "no browser here"
            pytest.skip(f"chromium would not start: {str(error).splitlines()[0]}")
        try:
            yield launched
        finally:
            launched.close()


def _add_entry(session_id: int, text: str) -> None:
    with open_session_store() as store:  # another connection, as the facilitator's terminal has
        store.add_entry(session_id, step_key="welcome", kind="question", text=text)


def test_join_post_see_it_live_and_reconnect_after_a_restart(browser) -> None:
    served = served_session(people=["Ana", "Ben", "Chi"], group_size=None)
    running = start_server(served.path, served.session_id, port=0)
    try:
        page = browser.new_page(viewport={"width": 420, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: errors.append("a dialog opened: " + dialog.message))
        page.goto(running.join_url(served.code))
        page.get_by_label("Your name").fill("Ana")
        page.get_by_role("button", name="Join").click()
        page.locator("#live").wait_for(state="visible")
        assert page.locator("#you").text_content().startswith("You are Ana")
        assert page.url == running.base_url + "/", "the code leaves the address bar"

        page.get_by_label("Your note").fill(TRICKY)
        page.get_by_role("button", name="Add").click()
        entry = page.locator("#harvest li", has_text="Bring snacks")
        entry.wait_for()
        assert TRICKY in entry.text_content()
        assert page.locator("#harvest b, #harvest img").count() == 0, "typed text never becomes markup"

        _add_entry(served.session_id, "Arrives by itself?")
        page.locator("#harvest li", has_text="Arrives by itself?").wait_for(timeout=5000)
        question = page.locator("#harvest li", has_text="Arrives by itself?")
        question.get_by_role("button").click()
        question.get_by_role("button", name="Take back your +1: Arrives by itself?").wait_for(timeout=5000)

        port = running.port
        running.stop()
        page.wait_for_timeout(2500)  # the page finds the server gone and keeps trying, without errors
        running = start_server(served.path, served.session_id, port=port)  # session resume does this
        _add_entry(served.session_id, "After the restart")
        page.locator("#harvest li", has_text="After the restart").wait_for(timeout=15000)
        assert page.locator("#you").text_content().startswith("You are Ana"), "same identity, no reload"

        html = page.content()
        assert SECRET not in html
        assert errors == [], "no script error, even while the server was away"
        target = page.screenshot(full_page=True)
        if os.environ.get("PEERAGOGY_SCREENSHOTS") == "1" or not SCREENSHOT.exists():
            SCREENSHOT.parent.mkdir(exist_ok=True)
            SCREENSHOT.write_bytes(target)
    finally:
        running.stop()
