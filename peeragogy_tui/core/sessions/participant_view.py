"""What one browser participant may see of a session, as plain JSON-ready data.

This is the only thing the web layer sends to a participant, so the rule
lives here, in one place: **no private entry and no facilitator note**
(per step or for the session) ever goes into it, whoever asks. Text is passed through as
typed (control characters stripped); the page puts it in the DOM with
``textContent``, never as HTML.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.sessions.models import SessionState, step_title

__all__ = ["clock_view", "participant_view"]


def clock_view(state: SessionState, now: datetime) -> dict[str, Any]:
    """The current step's countdown: a state word and the seconds left at ``now``."""
    countdown = state.current.countdown
    if state.finished:
        phase = "finished"
    elif not countdown.is_timed():
        phase = "untimed"
    elif countdown.started_at is None:
        phase = "ready"
    elif countdown.remaining(now) <= 0:
        phase = "over"
    elif countdown.is_paused():
        phase = "paused"
    else:
        phase = "running"
    return {
        "phase": phase,
        "remaining": round(countdown.remaining(now), 1) if countdown.is_timed() else None,
        "planned": countdown.duration(),
        "ticking": phase in ("running", "over"),
    }


def _group_of(state: SessionState, name: str) -> dict[str, Any] | None:
    for number, group in enumerate(state.groups_for(state.current_index), 1):
        if name in group:
            return {"number": number, "people": [strip_control(person) for person in group]}
    return None


def participant_view(state: SessionState, name: str, now: datetime) -> dict[str, Any]:
    """Everything participant ``name`` sees: step, countdown, their group, the shared harvest."""
    current = state.current
    titles = {step.step_key: step_title(step.step_key, step.index) for step in state.steps}
    harvest = [
        {
            "id": entry.id,
            "kind": entry.kind,
            "text": strip_control(entry.text),
            "by": strip_control(entry.participant or ""),
            "owner": strip_control(entry.owner or "") if entry.kind == "action" else "",
            "step": titles.get(entry.step_key, ""),
            "votes": state.vote_count(entry.id),
            "voted": name in state.votes.get(entry.id, ()),
        }
        for entry in reversed(state.entries)
        if not entry.private
    ]
    return {
        "revision": state.revision,
        "title": strip_control(state.title),
        "status": state.status,
        "step": {
            "number": current.index + 1,
            "count": len(state.steps),
            "title": titles[current.step_key],
            "prompt": strip_control(current.prompt),
            "hint": strip_control(current.hint or ""),
            "kind": current.kind,
            "asks_answers": current.kind == "text",
        },
        "clock": clock_view(state, now),
        "you": {"name": strip_control(name), "group": _group_of(state, name)},
        "joined": len(state.members),
        "harvest": harvest,
    }
