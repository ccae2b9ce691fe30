"""What a session report says, before it becomes Markdown or HTML.

:func:`build_report` is the one place that decides what may be shared: it
drops every private harvest entry first, so neither renderer ever sees one
(not its text, participant, group or owner). Both renderers
(:mod:`.markdown_report`, :mod:`.html_report`) format the same
:class:`Report`, so the two formats always say the same thing.

Untrusted text (names, notes, prompts) has terminal control characters
stripped here; each renderer then escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.sessions.models import HarvestEntry, SessionState, StepRecord, step_title
from peeragogy_tui.core.sessions.rows import parse_time

__all__ = [
    "AgendaRow",
    "Report",
    "ReportEntry",
    "StepSection",
    "build_report",
    "format_duration",
]


def clean(text: str | None) -> str:
    """Untrusted text made safe to display: control sequences removed."""
    return strip_control(text or "")


def format_duration(seconds: float) -> str:
    """``42`` -> ``"42 s"``; ``610`` -> ``"10 min"``; ``5400`` -> ``"1 h 30 min"``."""
    if seconds < 59.5:
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


@dataclass(frozen=True)
class ReportEntry:
    """A shareable harvest entry, its text already cleaned."""

    kind: str
    text: str
    participant: str
    group: str
    owner: str

    @property
    def who(self) -> str:
        """The participant, else the group, else ``""``."""
        return self.participant or self.group


@dataclass(frozen=True)
class AgendaRow:
    """One line of the agenda table: what was planned and what happened."""

    number: int
    title: str
    """The step's short title (``Round 1``), for the agenda's Step column."""
    prompt: str
    planned: str
    """``"10 min"``, or ``"-"`` for an untimed step."""
    actual: str
    """How long the step was on screen, or ``"-"`` if it never was."""
    started: str
    ended: str
    status: str
    """``done``, ``skipped``, ``in progress`` or ``not reached``."""
    notes: tuple[str, ...]
    """``"+1 min added"``, ``"paused 2 min"``, ``"3 min over"``..."""


@dataclass(frozen=True)
class StepSection:
    """The harvest of one step, private entries left out."""

    number: int
    prompt: str
    groups: tuple[tuple[str, ...], ...]
    """Groups made at this step (empty if none were)."""
    notes: tuple[ReportEntry, ...]
    questions: tuple[ReportEntry, ...]
    actions: tuple[ReportEntry, ...]

    @property
    def empty(self) -> bool:
        """Nothing to show for this step."""
        return not (self.groups or self.notes or self.questions or self.actions)


@dataclass(frozen=True)
class Report:
    """Everything a shared session report shows."""

    title: str
    exercise_title: str
    exercise_id: str
    date: str
    status: str
    timezone: str
    participants: tuple[str, ...]
    agenda: tuple[AgendaRow, ...]
    sections: tuple[StepSection, ...]
    actions: tuple[tuple[ReportEntry, str], ...]
    """Every shareable action with the prompt of its step."""


def _local(text: str | None, zone: tzinfo | None) -> datetime | None:
    moment = parse_time(text)
    return moment.astimezone(zone) if moment else None


def _clock(text: str | None, zone: tzinfo | None) -> str:
    moment = _local(text, zone)
    return moment.strftime("%H:%M") if moment else "-"


def _agenda_row(
    step: StepRecord, *, current: bool, running: bool, now: datetime | None, zone: tzinfo | None
) -> AgendaRow:
    live = current and running
    ended = parse_time(step.ended_at)
    until = now if live else ended
    countdown = step.countdown
    notes: list[str] = []
    if countdown.adjust_seconds:
        change = format_duration(abs(countdown.adjust_seconds))
        notes.append(f"+{change} added" if countdown.adjust_seconds > 0 else f"{change} removed")
    if until is not None and countdown.started_at is not None:
        paused = countdown.paused_total(until)
        if paused >= 1:
            notes.append(f"paused {format_duration(paused)}")
        over = countdown.overtime(until)
        if over >= 1:
            notes.append(f"{format_duration(over)} over")
    if not step.reached:
        status, actual = "not reached", "-"
    else:
        status = "skipped" if step.skipped else "in progress" if live else "done"
        seconds = step.active_time(now if live else None)
        actual = "-" if live and now is None else format_duration(seconds)
    return AgendaRow(
        number=step.index + 1,
        title=clean(step_title(step.step_key, step.index)),
        prompt=clean(step.prompt),
        planned=format_duration(step.planned_seconds) if step.planned_seconds else "-",
        actual=actual,
        started=_clock(step.started_at, zone),
        ended="-" if live else _clock(step.ended_at, zone),
        status=status,
        notes=tuple(notes),
    )


def _entry(entry: HarvestEntry) -> ReportEntry:
    return ReportEntry(
        kind=entry.kind,
        text=clean(entry.text),
        participant=clean(entry.participant),
        group=clean(entry.group),
        owner=clean(entry.owner),
    )


def _section(
    number: int, prompt: str, groups: list[list[str]], entries: list[HarvestEntry]
) -> StepSection:
    shared = [_entry(entry) for entry in entries if not entry.private]
    return StepSection(
        number=number,
        prompt=clean(prompt),
        groups=tuple(tuple(clean(name) for name in group) for group in groups),
        notes=tuple(e for e in shared if e.kind == "note"),
        questions=tuple(e for e in shared if e.kind == "question"),
        actions=tuple(e for e in shared if e.kind == "action"),
    )


def _zone_label(zone: tzinfo | None, at: datetime) -> str:
    """``CEST, UTC+02:00``: the zone's name (when it has one) and always its offset."""
    local = at.astimezone(zone)
    offset = local.strftime("%z") or "+0000"
    utc = f"UTC{offset[:3]}:{offset[3:]}"
    name = local.tzname()
    return utc if not name or name.startswith(("UTC", "GMT+", "GMT-")) or name == utc else f"{name}, {utc}"


def build_report(
    state: SessionState, *, now: datetime | None = None, tz: tzinfo | None = None
) -> Report:
    """The shareable content of a session (never its private entries).

    Args:
        state: The session.
        now: For a running session: counts the current step's time up to ``now``
            (without it, that step's time shows as ``-``).
        tz: The time zone for clock times (default: this machine's local zone); the
            report names it with its offset (``CEST, UTC+02:00``).
    """
    zone = tz  # None: local time, with the rules (summer time) in force at each moment
    public = [entry for entry in state.entries if not entry.private]
    running = state.status == "running"
    agenda = tuple(
        _agenda_row(
            step, current=step.index == state.current_index, running=running, now=now, zone=zone
        )
        for step in state.steps
    )
    keys = {step.step_key for step in state.steps}
    sections = [
        _section(
            step.index + 1,
            step.prompt,
            state.groups.get(step.index, []),
            [entry for entry in public if entry.step_key == step.step_key],
        )
        for step in state.steps
    ]
    strays = [entry for entry in public if entry.step_key not in keys]
    if strays:
        sections.append(_section(len(state.steps) + 1, "Other entries", [], strays))
    prompts = {step.step_key: clean(step.prompt) for step in state.steps}
    actions = tuple(
        (_entry(entry), prompts.get(entry.step_key, "Other entries"))
        for entry in public
        if entry.kind == "action"
    )
    created = parse_time(state.created_at) or datetime.now(UTC)
    return Report(
        title=clean(state.title),
        exercise_title=clean(state.exercise_title),
        exercise_id=clean(state.exercise_id),
        date=created.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        status=state.status,
        timezone=_zone_label(zone, created),
        participants=tuple(clean(name) for name in state.participants),
        agenda=agenda,
        sections=tuple(section for section in sections if not section.empty),
        actions=actions,
    )
