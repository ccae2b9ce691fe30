"""How the parts of a session read on screen: Rich ``Text`` built from untrusted names and notes.

Everything here strips control sequences and never parses markup, so a
participant called ``[@click=app.quit]Hal`` shows exactly that.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.sessions import format_clock
from peeragogy_tui.core.sessions import step_title as step_label

if TYPE_CHECKING:
    from peeragogy_tui.core.sessions import HarvestEntry, SessionState

__all__ = ["agenda_text", "clean", "entry_line", "groups_text", "step_label", "unwrap"]

_KIND_MARK = {"note": "•", "question": "?", "action": "→"}


def clean(text: str | None) -> str:
    """Untrusted text, safe to draw."""
    return strip_control(text or "")


def unwrap(text: str) -> str:
    """Join hard-wrapped lines into paragraphs (blank lines stay paragraph breaks)."""
    paragraphs = [" ".join(line.strip() for line in block.splitlines()) for block in text.strip().split("\n\n")]
    return "\n\n".join(paragraphs)


def entry_line(entry: HarvestEntry, *, show_private: bool, step: str | None = None, votes: int = 0) -> Text:
    """One harvest entry: the step it came from (if given), its mark (• ? →), words, who, +1s, a private marker."""
    line = Text()
    if step:
        line.append(f"{clean(step)} · ", style="dim")
    line.append(f"{_KIND_MARK.get(entry.kind, '•')} ", style="bold")
    line.append(clean(entry.text))
    who = [part for part in (clean(entry.participant), clean(entry.group)) if part]
    if entry.kind == "action" and entry.owner:
        who.append("owner: " + clean(entry.owner))
    if who:
        line.append(f"  ({', '.join(who)})", style="dim")
    if votes:
        line.append(f"  +{votes}", style="bold")
    if show_private and entry.private:
        line.append("  [private]", style="bold reverse")
    return line


def agenda_text(state: SessionState, now: datetime) -> Text:
    """Every step: ✓ done, – skipped, ▶ current, ○ to come; planned minutes, and the time a finished step took."""
    lines = []
    for step in state.steps:
        current = step.index == state.current_index and not state.finished
        mark = "▶" if current else ("–" if step.skipped else ("✓" if step.ended_at else "○"))
        planned = f"{step.planned_seconds // 60}′" if step.planned_seconds else ""
        took = f" {format_clock(step.active_time(now))}" if step.ended_at and not current else ""
        line = Text(f"{mark} ", style="bold" if current else "")
        line.append(step_label(step.step_key, step.index), style="bold reverse" if current else ("dim" if step.skipped else ""))
        line.append(f" {planned}{took}".rstrip(), style="dim")
        lines.append(line)
    return Text("\n").join(lines)


def groups_text(state: SessionState) -> Text:
    """The groups of the current step, numbered; or just the people when there are no groups."""
    groups = state.groups_for(state.current_index)
    if groups:
        rows = [Text("Groups", style="bold")]
        for number, group in enumerate(groups, 1):
            rows.append(Text.assemble((f"{number}: ", "bold"), ", ".join(clean(name) for name in group)))
        return Text("\n").join(rows)
    if state.participants:
        return Text.assemble(("People: ", "bold"), ", ".join(clean(name) for name in state.participants))
    return Text()
