"""Session reports: private entries never appear; untrusted text stays text; HTML is self-contained."""

from __future__ import annotations

import re
from datetime import UTC, timedelta, timezone

import pytest

from markdown_it import MarkdownIt
from session_support import FakeClock, exercise

from peeragogy_tui.core.exercises import Exercise
from peeragogy_tui.core.sessions import (
    SessionState,
    SessionStore,
    build_report,
    render_report_html,
    render_report_markdown,
)

PUBLIC = "PUBLICTOKEN7q"
SECRET = "SECRETTOKEN9z"
EVIL_LINK = "[x](javascript:alert(1))"


def _cafe(sessions: SessionStore, clock: FakeClock) -> int:
    """A finished café: timings with overtime, a pause, a skip, public and private harvest."""
    sid = sessions.create(
        exercise("knowledge-cafe"),
        participants=["Ann", "Bo", "Cy", "Di", EVIL_LINK, "Ed | Eva"],
        group_size=3,
        seed=4,
    )
    sessions.start_timer(sid)
    clock.tick(minutes=12)
    sessions.advance(sid)
    sessions.add_entry(
        sid, step_key="round-1", kind="note", text=f"{PUBLIC} listen more", participant="Ann"
    )
    sessions.add_entry(
        sid, step_key="round-1", kind="note", text="tables mixed well", group="Table 2"
    )
    for kind in ("note", "question", "action"):
        sessions.add_entry(
            sid,
            step_key="round-1",
            kind=kind,
            text=f"{SECRET} {kind} text",
            participant=f"{SECRET}-participant",
            group=f"{SECRET}-group",
            owner=f"{SECRET}-owner",
            private=True,
        )
    clock.tick(minutes=5)
    sessions.pause(sid)
    clock.tick(minutes=3)
    sessions.resume(sid)
    clock.tick(minutes=15)
    sessions.advance(sid)
    clock.tick(minutes=20)
    sessions.skip(sid)
    sessions.add_entry(
        sid, step_key="round-3", kind="question", text="What next?", participant="Bo"
    )
    sessions.add_entry(sid, step_key="follow-up", kind="action", text="Book a room", owner="Cy")
    sessions.add_entry(sid, step_key="follow-up", kind="action", text="Share notes")
    flipped = sessions.add_entry(
        sid, step_key="insights", kind="note", text=f"{SECRET} later hidden"
    )
    sessions.update_entry(flipped, private=True)
    clock.tick(minutes=10)
    sessions.finish(sid)
    return sid


def _both(state: SessionState) -> dict[str, str]:
    return {"md": render_report_markdown(state), "html": render_report_html(state)}


def test_private_entries_never_appear(sessions: SessionStore, clock: FakeClock) -> None:
    state = sessions.load(_cafe(sessions, clock))
    assert sum(entry.private for entry in state.entries) == 4
    for name, text in _both(state).items():
        assert PUBLIC in text, name
        assert "Book a room" in text and "What next?" in text, name
        assert SECRET not in text, f"a private entry leaked into the {name} report"


def test_the_report_model_holds_no_private_entry(sessions: SessionStore, clock: FakeClock) -> None:
    report = build_report(sessions.load(_cafe(sessions, clock)))
    assert SECRET not in repr(report)
    assert [entry.text for entry, _ in report.actions] == ["Book a room", "Share notes"]


def test_markdown_has_the_agenda_with_actual_timings(
    sessions: SessionStore, clock: FakeClock
) -> None:
    text = render_report_markdown(sessions.load(_cafe(sessions, clock)))
    rows = [line for line in text.splitlines() if re.match(r"^\| \d", line)]
    assert len(rows) == 8
    assert rows[0].startswith("| 1 | Welcome | "), "the Step column holds the step's title, not its prompt"
    assert rows[1].startswith("| 2 | Round 1 | ")
    assert "| 10 min | 12 min | 09:00 | 09:12 | done, 2 min over |" in rows[0]
    assert "| 20 min | 23 min | 09:12 | 09:35 | done, paused 3 min |" in rows[1]
    assert "| 20 min | 20 min | 09:35 | 09:55 | skipped |" in rows[2]
    assert "| 15 min | 10 min | 09:55 | 10:05 | done |" in rows[3]
    assert rows[4].endswith("| - | - | - | not reached |")
    assert "## Participants" in text and "- Ann" in text
    assert "- Book a room (owner: Cy; step: Who wants" in text
    assert "- Share notes (owner: none yet;" in text
    assert "- **Ann**: PUBLICTOKEN7q listen more" in text
    assert "- **Table 2**: tables mixed well" in text


def _markdown_html(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def test_untrusted_text_cannot_change_the_markdown(
    sessions: SessionStore, clock: FakeClock
) -> None:
    tricky = Exercise.model_validate(
        {
            "id": "tricky",
            "title": "T",
            "lang": "en",
            "chapters": ["x"],
            "kind": "group",
            "minutes": 10,
            "summary": "s",
            "steps": [
                {"type": "timer", "prompt": f"a | b {EVIL_LINK} *em* <b>x</b>", "minutes": 5},
                {"type": "text", "prompt": "<script>alert(1)</script> &amp; `code`"},
            ],
        }
    )
    sid = sessions.create(tricky, participants=[EVIL_LINK, "| pipe", "# heading"], title=EVIL_LINK)
    note = "first line\n# not a heading\n1. not a list\n- not an item\n    not code\n===\n"
    sessions.add_entry(sid, step_key="step-1", kind="note", text=note, participant="<img src=x>")
    sessions.add_entry(
        sid, step_key="step-1", kind="action", text="\x1b[31mred\x1b]8;;x\x07", owner="| o"
    )
    sessions.add_entry(sid, step_key="step-2", kind="note", text="so the step's section shows")
    text = render_report_markdown(sessions.load(sid))
    assert "\x1b" not in text and "\x07" not in text
    html = _markdown_html(text)
    assert "<a " not in html and "<script" not in html and "<img" not in html
    assert "<em>" not in html and "<code>" not in html
    assert "&amp;amp; `code`" in html, "an entity in the text stays literal"
    assert html.count("<h1>") == 1 and "<h1>[x](javascript:alert(1))</h1>" in html
    assert html.count("<h3>") == 2, "one per step with entries; a note line never becomes a heading"
    harvest = html.split("<h2>Harvest</h2>")[1].split("<h2>Actions</h2>")[0]
    assert "<ol" not in harvest and harvest.count("<ul>") == 3, "notes and actions only"
    assert "<pre>" not in html and "<hr" not in html
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    for row in body.split("</tr>")[:-1]:
        assert row.count("<td") == 7, row
    assert "<td>Step 1</td>" in body, "the agenda names the step by its title"
    heading = html.split("<h3>")[1].split("</h3>")[0]
    assert "a | b [x](javascript:alert(1)) *em* &lt;b&gt;x&lt;/b&gt;" in heading
    assert "first line<br />\n# not a heading<br />\n1. not a list" in html


def test_html_is_self_contained(sessions: SessionStore, clock: FakeClock) -> None:
    html = render_report_html(sessions.load(_cafe(sessions, clock)))
    lowered = html.lower()
    for forbidden in ("http", "src=", "href", "<script", "<img", "<link", "@import", "url("):
        assert forbidden not in lowered, forbidden
    assert '<meta charset="utf-8">' in html
    assert html.count("<style>") == 1 and "prefers-color-scheme: dark" in html
    assert "@media print" in html
    assert html.startswith("<!doctype html>") and html.rstrip().endswith("</html>")


def test_html_escapes_untrusted_text(sessions: SessionStore, clock: FakeClock) -> None:
    sid = _cafe(sessions, clock)
    sessions.add_entry(
        sid,
        step_key="insights",
        kind="note",
        text='<script>alert(1)</script> <img src=x onerror=y> "q" \x1b[2J',
        participant="<b>bold</b>",
    )
    html = render_report_html(sessions.load(sid))
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert re.search(r"<[^>]*\bsrc=", html) is None, "no tag ever loads anything"
    assert "\x1b" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=y&gt; &quot;q&quot;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "[x](javascript:alert(1))" in html, "names show as plain text"


def test_html_has_the_same_content_as_markdown(sessions: SessionStore, clock: FakeClock) -> None:
    html = render_report_html(sessions.load(_cafe(sessions, clock)))
    assert "<td>09:12</td><td>09:35</td><td>done, paused 3 min</td>" in html
    assert "Ed | Eva" in html
    assert '<span class="who">Ann</span>' in html
    assert "(owner: Cy)" in html and "(no owner yet)" in html
    assert html.count("<tr>") == 1 + 8 + 1 + 2, "agenda header + 8 steps, actions header + 2"


def test_a_running_session_shows_the_current_step_in_progress(
    sessions: SessionStore, clock: FakeClock
) -> None:
    sid = sessions.create(exercise("peer-coaching-circle"), participants=["Ann", "Bo"])
    sessions.start_timer(sid)
    clock.tick(minutes=12)
    state = sessions.load(sid)
    row = build_report(state, now=clock.now).agenda[0]
    assert (row.status, row.actual, row.ended, row.notes) == (
        "in progress",
        "12 min",
        "-",
        ("2 min over",),
    )
    assert build_report(state).agenda[0].actual == "-", "without now, the time so far is unknown"


def test_times_follow_the_given_time_zone(sessions: SessionStore, clock: FakeClock) -> None:
    state = sessions.load(_cafe(sessions, clock))
    report = build_report(state, tz=timezone(timedelta(hours=2)))
    assert report.agenda[0].started == "11:00"
    assert report.date == "2024-05-01 11:00"
    assert report.timezone == "UTC+02:00"
    assert build_report(state, tz=UTC).timezone == "UTC+00:00"


@pytest.fixture
def in_new_york(monkeypatch):
    """This process's local time zone is New York (EDT in May), for the length of a test."""
    import time

    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available on this platform")
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_reports_use_local_time_with_its_offset_by_default(
    sessions: SessionStore, clock: FakeClock, in_new_york
) -> None:
    state = sessions.load(_cafe(sessions, clock))
    report = build_report(state)
    assert report.timezone == "EDT, UTC-04:00"
    assert report.agenda[0].started == "05:00" and report.date == "2024-05-01 05:00"
    text = render_report_markdown(state)
    assert "(times in EDT, UTC-04:00)" in text and "| 05:00 | 05:12 |" in text


def test_an_empty_session_still_reports(sessions: SessionStore) -> None:
    sid = sessions.create(exercise("knowledge-cafe"), participants=[])
    text = render_report_markdown(sessions.load(sid))
    assert "No participants listed." in text and "Nothing was recorded." in text
    assert "No actions were recorded." in render_report_html(sessions.load(sid))
