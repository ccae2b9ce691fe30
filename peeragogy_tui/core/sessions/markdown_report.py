"""The session report as Markdown (CommonMark with GitHub tables).

Every piece of untrusted text goes through :func:`md_text` or
:func:`md_cell`, which backslash-escape what would change its meaning: a
name like ``[x](javascript:alert(1))`` stays literal text, not a link, and
``a | b`` in a table cell does not split the cell. Private entries never get
here: :func:`~.report.build_report` has already left them out.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from peeragogy_tui.core.sessions.models import SessionState
from peeragogy_tui.core.sessions.report import Report, ReportEntry, build_report

__all__ = ["md_cell", "md_text", "render_markdown", "render_report_markdown"]

_ALWAYS = re.compile(r"([\\`*_\[\]<>|#&~$])")
"""Characters escaped wherever they are: emphasis, code, links, HTML, tables, headings, entities, math."""
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")
"""At the start of a line: list markers, setext underlines, ordered lists."""


def _escape_line(line: str) -> str:
    line = _ALWAYS.sub(r"\\\1", line.strip())
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", line)


def md_text(text: str, indent: str = "") -> str:
    """Escaped text; its line breaks become hard breaks, continued with ``indent``.

    Leading and trailing spaces of each line and blank lines are dropped (they
    would make code blocks or end the paragraph).
    """
    lines = [_escape_line(line) for line in text.replace("\t", " ").splitlines()]
    lines = [line for line in lines if line]
    return ("\\\n" + indent).join(lines) if lines else "\\-"


def md_cell(text: str) -> str:
    """Escaped text on one line, for a table cell."""
    return md_text(" ".join(text.split())) if text.strip() else "-"


def _entry_line(entry: ReportEntry, *, show_owner: bool) -> str:
    text = md_text(entry.text, "  ")
    who = f"**{md_text(entry.who)}**: " if entry.who else ""
    owner = ""
    if show_owner:
        owner = f" (owner: {md_text(entry.owner)})" if entry.owner else " (no owner yet)"
    return f"- {who}{text}{owner}"


def render_markdown(report: Report) -> str:
    """The Markdown text of a built report."""
    out: list[str] = [f"# {md_text(report.title)}", ""]
    out.append(f"- Exercise: {md_text(report.exercise_title)} ({md_text(report.exercise_id)})")
    out.append(f"- Date: {report.date} ({report.timezone})")
    out.append(f"- Status: {report.status}")
    out += ["", "## Participants", ""]
    out += [f"- {md_text(name)}" for name in report.participants] or ["No participants listed."]
    out += ["", f"## Agenda (times in {report.timezone})", ""]
    out.append("| # | Step | Planned | Actual | Started | Ended | Notes |")
    out.append("|---:|---|---:|---:|---|---|---|")
    for row in report.agenda:
        notes = ", ".join([row.status, *row.notes])
        out.append(
            f"| {row.number} | {md_cell(row.title)} | {row.planned} | {row.actual} |"
            f" {row.started} | {row.ended} | {notes} |"
        )
    out += ["", "## Harvest", ""]
    if not report.sections:
        out += ["Nothing was recorded.", ""]
    for section in report.sections:
        out += [f"### {section.number}. {md_text(section.prompt)}", ""]
        if section.groups:
            out += ["Groups:", ""]
            out += [
                f"{number}. {', '.join(md_text(name) for name in group)}"
                for number, group in enumerate(section.groups, start=1)
            ]
            out.append("")
        for label, entries in (
            ("Notes", section.notes),
            ("Questions", section.questions),
            ("Actions", section.actions),
        ):
            if entries:
                out += [f"{label}:", ""]
                out += [_entry_line(entry, show_owner=label == "Actions") for entry in entries]
                out.append("")
    out += ["## Actions", ""]
    if not report.actions:
        out.append("No actions were recorded.")
    out += [
        f"- {md_text(entry.text, '  ')} (owner: {md_text(entry.owner) if entry.owner else 'none yet'};"
        f" step: {md_text(prompt)})"
        for entry, prompt in report.actions
    ]
    out.append("")
    return "\n".join(out)


def render_report_markdown(
    state: SessionState, *, now: datetime | None = None, tz: tzinfo | None = None
) -> str:
    """A shareable Markdown report of a session; private entries are never included.

    ``now`` counts a running session's current step up to that moment; ``tz``
    sets the time zone of clock times (default: local, named with its offset).
    """
    return render_markdown(build_report(state, now=now, tz=tz))
