"""What a facilitated session is made of: its agenda, step records, harvest, snapshot.

All values are frozen dataclasses read from (or written to) the store; none
of them does I/O. Times are ISO 8601 strings in UTC, as stored; the
countdown of each step is a :class:`~.countdown.Countdown` holding aware
datetimes.

Participant names are kept byte-exact with two rules, applied by
:func:`clean_participants`: an empty (or whitespace-only) name is an error,
and a repeated name gets a number, ``"Sam"``, ``"Sam (2)"``, so every person
stays distinguishable in groups and in the report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from peeragogy_tui.core.sessions.countdown import Countdown
from peeragogy_tui.errors import PeeragogyError

__all__ = [
    "ENTRY_KINDS",
    "AgendaItem",
    "Clock",
    "EntryKind",
    "HarvestEntry",
    "SessionState",
    "SessionStatus",
    "SessionSummary",
    "StepRecord",
    "agenda_for",
    "clean_participants",
    "step_title",
]

Clock = Callable[[], datetime]
"""Returns "now" as an aware UTC datetime; tests inject a fake one."""
EntryKind = Literal["note", "question", "action"]
ENTRY_KINDS: tuple[str, ...] = ("note", "question", "action")
"""What a harvest entry can be, in the order the report lists them."""
SessionStatus = Literal["running", "finished"]


@dataclass(frozen=True)
class AgendaItem:
    """One step of the exercise as a session runs it."""

    index: int
    step_key: str
    prompt: str
    minutes: int | None
    """Planned minutes (any step type may have them; timer steps always do)."""
    kind: str
    """The step type: ``timer``, ``text``, ``scale``, ``choice`` or ``checklist``."""
    regroup: bool
    """People change groups (tables) before this step."""
    facilitator: str | None
    hint: str | None


def agenda_for(exercise: Any) -> list[AgendaItem]:
    """Every step of ``exercise`` in order, with its planned minutes."""
    return [
        AgendaItem(
            index=index,
            step_key=exercise.key(index),
            prompt=step.prompt,
            minutes=step.minutes,
            kind=step.type,
            regroup=bool(getattr(step, "regroup", False)),
            facilitator=step.facilitator,
            hint=step.hint,
        )
        for index, step in enumerate(exercise.steps)
    ]


def step_title(step_key: str, index: int) -> str:
    """A step's short title from its key: ``round-1`` → ``Round 1``; ``step-3`` → ``Step 3``."""
    if step_key.startswith("step-") and step_key[5:].isdigit():
        return f"Step {index + 1}"
    words = step_key.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else f"Step {index + 1}"


def clean_participants(names: Sequence[str]) -> list[str]:
    """Check names and number repeats (``Sam``, ``Sam (2)``); otherwise byte-exact.

    Raises:
        PeeragogyError: a name is empty or only whitespace.
    """
    result: list[str] = []
    taken: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not isinstance(name, str) or not name.strip():
            raise PeeragogyError(
                f"participant {position} has an empty name",
                hint="give every participant a name (or use table numbers: 'Table 1', ...)",
            )
        unique, number = name, 2
        while unique in taken:
            unique = f"{name} ({number})"
            number += 1
        taken.add(unique)
        result.append(unique)
    return result


@dataclass(frozen=True)
class HarvestEntry:
    """One thing the facilitator recorded during a step.

    ``private`` entries stay in the store for the facilitator but never appear
    in the shared report.
    """

    id: int
    session_id: int
    step_key: str
    kind: EntryKind
    text: str
    participant: str | None
    group: str | None
    owner: str | None
    """Who takes on an action (``None`` for notes and questions, or when nobody does yet)."""
    private: bool
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class StepRecord:
    """A step as it actually ran: its countdown and its real timings."""

    index: int
    step_key: str
    prompt: str
    planned_seconds: int
    countdown: Countdown
    started_at: str | None
    """First time the step was opened (``None``: never reached)."""
    ended_at: str | None
    """Last time the step was left (``None`` while current or never reached)."""
    skipped: bool
    kind: str = "text"
    regroup: bool = False
    facilitator: str | None = None
    hint: str | None = None
    opened_at: str | None = None
    """When the step last became current (set only while it is current)."""
    active_seconds: float = 0.0
    """Time the step was current, summed over visits, up to its last leaving."""

    @property
    def reached(self) -> bool:
        """The step was opened at least once."""
        return self.started_at is not None

    def active_time(self, now: datetime | None = None) -> float:
        """Seconds the step has been current, counting the visit under way up to ``now``."""
        if self.opened_at is None or now is None:
            return self.active_seconds
        opened = datetime.fromisoformat(self.opened_at)
        return self.active_seconds + max(0.0, (now - opened).total_seconds())


@dataclass(frozen=True)
class SessionSummary:
    """One line of ``peeragogy session list``."""

    id: int
    exercise_id: str
    exercise_title: str
    title: str
    status: SessionStatus
    created_at: str
    updated_at: str
    finished_at: str | None
    current_index: int
    current_step_key: str
    current_prompt: str
    step_count: int
    participant_count: int


@dataclass(frozen=True)
class SessionState:
    """One consistent snapshot of a session, read in one transaction."""

    id: int
    exercise_id: str
    exercise_title: str
    title: str
    status: SessionStatus
    created_at: str
    updated_at: str
    finished_at: str | None
    participants: list[str]
    group_size: int | None
    current_index: int
    steps: list[StepRecord]
    groups: dict[int, list[list[str]]]
    """Arrangements by the step index at which they were made."""
    entries: list[HarvestEntry]
    """Every entry, private ones included, in the order they were created."""
    revision: int
    facilitator_notes: str | None = None
    """Copied from the exercise at creation, so the session works without the file."""
    seed: int | None = field(default=None, compare=False)
    members: list[str] = field(default_factory=list)
    """Who joined from a browser (removed members left out), in the order they joined."""
    votes: dict[int, list[str]] = field(default_factory=dict)
    """Entry id -> the members who gave it a +1 (entries without votes left out)."""

    def vote_count(self, entry_id: int) -> int:
        """How many +1s an entry has."""
        return len(self.votes.get(entry_id, ()))

    @property
    def current(self) -> StepRecord:
        """The step the session is on."""
        return self.steps[self.current_index]

    @property
    def finished(self) -> bool:
        """The facilitator ended the session."""
        return self.status == "finished"

    def groups_for(self, index: int) -> list[list[str]]:
        """The latest arrangement made at or before step ``index`` (``[]`` if none)."""
        made = [at for at in self.groups if at <= index]
        return [list(group) for group in self.groups[max(made)]] if made else []

    def entries_for(self, step_key: str, *, include_private: bool = True) -> list[HarvestEntry]:
        """The entries of one step, oldest first."""
        return [
            entry
            for entry in self.entries
            if entry.step_key == step_key and (include_private or not entry.private)
        ]

    def public_entries(self) -> list[HarvestEntry]:
        """Every entry that may be shared (not private), oldest first."""
        return [entry for entry in self.entries if not entry.private]
