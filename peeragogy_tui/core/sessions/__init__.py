"""Facilitated group sessions: agenda, timers, groups, harvest, and the report.

A session runs a group exercise with a facilitator: the steps become a timed
agenda (:mod:`.countdown`), participants are split into groups that change
between rounds (:mod:`.grouping`), and each step's harvest (notes, questions,
actions, some private) is recorded. Sessions live in the answers SQLite file
(:mod:`.store`), so a second process can follow one live (:mod:`.live`) and a
crashed one resumes where it stopped. :mod:`.report` turns a session into a
shareable Markdown or HTML report that never contains private entries.

Pure domain code: it never imports textual.
"""

from __future__ import annotations

from peeragogy_tui.core.sessions.countdown import Countdown, format_clock
from peeragogy_tui.core.sessions.fit import require_group_exercise, size_warning
from peeragogy_tui.core.sessions.grouping import (
    group_sizes,
    repeated_pairs,
    split_into_groups,
    table_names,
)
from peeragogy_tui.core.sessions.html_report import render_report_html
from peeragogy_tui.core.sessions.live import POLL_SECONDS, SessionWatcher
from peeragogy_tui.core.sessions.markdown_report import render_report_markdown
from peeragogy_tui.core.sessions.models import (
    ENTRY_KINDS,
    AgendaItem,
    Clock,
    EntryKind,
    HarvestEntry,
    SessionState,
    SessionStatus,
    SessionSummary,
    StepRecord,
    agenda_for,
    clean_participants,
    step_title,
)
from peeragogy_tui.core.sessions.report import Report, build_report
from peeragogy_tui.core.sessions.store import SessionStore, open_session_store

__all__ = [
    "ENTRY_KINDS",
    "POLL_SECONDS",
    "AgendaItem",
    "Clock",
    "Countdown",
    "EntryKind",
    "HarvestEntry",
    "Report",
    "SessionState",
    "SessionStatus",
    "SessionStore",
    "SessionSummary",
    "SessionWatcher",
    "StepRecord",
    "agenda_for",
    "build_report",
    "clean_participants",
    "format_clock",
    "group_sizes",
    "open_session_store",
    "render_report_html",
    "render_report_markdown",
    "repeated_pairs",
    "require_group_exercise",
    "size_warning",
    "split_into_groups",
    "step_title",
    "table_names",
]
