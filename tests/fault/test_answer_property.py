"""Property: any text answer survives store -> JSON export unchanged, and displays safely."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.store import display_value, open_store

NASTY = st.sampled_from(
    [
        "\x1b",
        "[",
        "]",
        "31m",
        "\x9b",
        "\x9d",
        "\x07",
        "\x1b\\",
        "\r",
        "\n",
        "\t",
        "\x00",
        "\x7f",
        "[bold]",
        "[/]",
        "[@click=app.quit]",
        "é",
        "🎉",
        "\u202e",
        "\ufeff",
        "\\",
        '"',
    ]
)
TEXT = st.one_of(st.text(), st.lists(NASTY | st.text(max_size=3), max_size=30).map("".join))
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_any_text_survives_the_store_and_displays_safely() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "answers.sqlite3")
        run_id = store.start_run("prop", "Property")
        counter = iter(range(1_000_000))

        @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(text=TEXT)
        def check(text: str) -> None:
            key = f"k{next(counter)}"
            store.save_answer(run_id, key, text, step_index=0, prompt=text)
            exported = json.loads(store.export_json())
            steps = {step["key"]: step for step in exported["runs"][0]["steps"]}
            assert steps[key]["answer"] == text
            assert steps[key]["prompt"] == text
            assert store.get_run(run_id).answer_map()[key] == text
            shown = display_value(text)
            assert UNSAFE.search(shown) is None, repr(shown)
            assert UNSAFE.search(strip_control(text)) is None

        try:
            check()
        finally:
            store.close()
