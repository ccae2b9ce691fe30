"""The session report as one self-contained HTML file.

It opens offline in any browser: inline CSS in one ``<style>`` block, no
scripts, no links to fonts, images or anything else outside the file. Every
piece of untrusted text is HTML-escaped (after its control characters were
stripped), so a note like ``<script>`` shows as text. Light and dark follow
the reader's system setting, and it prints cleanly. Private entries never get
here: :func:`~.report.build_report` has already left them out.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from html import escape

from peeragogy_tui.core.sessions.models import SessionState
from peeragogy_tui.core.sessions.report import Report, ReportEntry, build_report

__all__ = ["render_html", "render_report_html"]

_STYLE = """
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #ffffff; --muted: #5f6368;
  --line: #d0d4d9; --accent: #2a6f4e; --stripe: #f3f5f7; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8eaed; --bg: #16181b; --muted: #a0a6ad; --line: #3a3f45;
    --accent: #7fcfa6; --stripe: #1f2226; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
h1 { margin: 0 0 .5rem; font-size: 1.8rem; }
h2 { margin-top: 2.2rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; }
h3 { margin-top: 1.6rem; }
.meta { color: var(--muted); margin: 0; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.who { font-weight: 600; }
.owner, .step { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--stripe); }
td.num { text-align: right; white-space: nowrap; }
ul, ol { padding-left: 1.4rem; }
li { margin: .2rem 0; }
.label { font-weight: 600; margin: .8rem 0 .2rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .9rem; }
@media print {
  :root { --fg: #000; --bg: #fff; --muted: #444; --line: #999; --accent: #000; --stripe: #eee; }
  main { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; }
  tr, li { break-inside: avoid; }
}
"""


def _t(text: str) -> str:
    return escape(text, quote=True)


def _text(text: str) -> str:
    return f'<span class="text">{_t(text)}</span>'


def _entry(entry: ReportEntry, *, show_owner: bool) -> str:
    who = f'<span class="who">{_t(entry.who)}</span>: ' if entry.who else ""
    owner = ""
    if show_owner:
        owner = (
            f' <span class="owner">(owner: {_t(entry.owner)})</span>'
            if entry.owner
            else ' <span class="owner">(no owner yet)</span>'
        )
    return f"<li>{who}{_text(entry.text)}{owner}</li>"


def _agenda(report: Report) -> list[str]:
    out = [
        "<table>",
        (
            "<thead><tr><th>#</th><th>Step</th><th>Planned</th><th>Actual</th>"
            "<th>Started</th><th>Ended</th><th>Notes</th></tr></thead>"
        ),
        "<tbody>",
    ]
    for row in report.agenda:
        notes = ", ".join([row.status, *row.notes])
        out.append(
            f'<tr><td class="num">{row.number}</td><td>{_t(row.title)}</td>'
            f'<td class="num">{_t(row.planned)}</td><td class="num">{_t(row.actual)}</td>'
            f"<td>{_t(row.started)}</td><td>{_t(row.ended)}</td><td>{_t(notes)}</td></tr>"
        )
    out += ["</tbody>", "</table>"]
    return out


def _harvest(report: Report) -> list[str]:
    out: list[str] = []
    if not report.sections:
        out.append("<p>Nothing was recorded.</p>")
    for section in report.sections:
        out.append(f"<section><h3>{section.number}. {_t(section.prompt)}</h3>")
        if section.groups:
            out.append('<p class="label">Groups</p><ol>')
            out += [f"<li>{_t(', '.join(group))}</li>" for group in section.groups]
            out.append("</ol>")
        for label, entries in (
            ("Notes", section.notes),
            ("Questions", section.questions),
            ("Actions", section.actions),
        ):
            if entries:
                out.append(f'<p class="label">{label}</p><ul>')
                out += [_entry(entry, show_owner=label == "Actions") for entry in entries]
                out.append("</ul>")
        out.append("</section>")
    return out


def _actions(report: Report) -> list[str]:
    if not report.actions:
        return ["<p>No actions were recorded.</p>"]
    out = [
        "<table>",
        "<thead><tr><th>Action</th><th>Owner</th><th>Step</th></tr></thead>",
        "<tbody>",
    ]
    out += [
        f"<tr><td>{_text(entry.text)}</td><td>{_t(entry.owner) if entry.owner else '-'}</td>"
        f'<td class="step">{_t(prompt)}</td></tr>'
        for entry, prompt in report.actions
    ]
    out += ["</tbody>", "</table>"]
    return out


def render_html(report: Report) -> str:
    """The HTML document of a built report."""
    people = [f"<li>{_t(name)}</li>" for name in report.participants]
    out = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        f"<title>{_t(report.title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_t(report.title)}</h1>",
        f'<p class="meta">Exercise: {_t(report.exercise_title)} ({_t(report.exercise_id)})</p>',
        (
            f'<p class="meta">Date: {_t(report.date)} ({_t(report.timezone)}) · '
            f"Status: {_t(report.status)}</p>"
        ),
        "<h2>Participants</h2>",
        *(["<ul>", *people, "</ul>"] if people else ["<p>No participants listed.</p>"]),
        f"<h2>Agenda <small>(times in {_t(report.timezone)})</small></h2>",
        *_agenda(report),
        "<h2>Harvest</h2>",
        *_harvest(report),
        "<h2>Actions</h2>",
        *_actions(report),
        "<footer>Made with peeragogy. Entries marked private are not part of this report.</footer>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)


def render_report_html(
    state: SessionState, *, now: datetime | None = None, tz: tzinfo | None = None
) -> str:
    """A shareable, self-contained HTML report of a session; private entries are never included.

    ``now`` counts a running session's current step up to that moment; ``tz``
    sets the time zone of clock times (default: local, named with its offset).
    """
    return render_html(build_report(state, now=now, tz=tz))
