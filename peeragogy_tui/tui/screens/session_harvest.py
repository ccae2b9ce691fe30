"""Harvest keys of the session screen: record entries, answer a text step, mark private, delete.

A mixin of :class:`~peeragogy_tui.tui.screens.session.SessionScreen`, kept apart
so each file stays small; it uses the screen's store, state and ``_change``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.widgets import OptionList

from peeragogy_tui.tui.session_text import step_label

if TYPE_CHECKING:
    from peeragogy_tui.core.sessions import SessionState, SessionStore
    from peeragogy_tui.tui.dialogs.harvest_entry import HarvestDraft

__all__ = ["HarvestKeys"]


class HarvestKeys:
    """``h`` record, ``Enter`` answer a text step, ``p`` private, ``x`` delete."""

    store: SessionStore
    session_id: int
    state: SessionState | None
    _entry_ids: list[int]
    app: Any
    notify: Callable[..., None]
    query_one: Callable[..., Any]
    _change: Callable[[str, Callable[[], object]], bool]
    facilitator_view: bool

    def action_harvest(self) -> None:
        if self.state is None:
            return
        from peeragogy_tui.tui.dialogs.harvest_entry import HarvestDialog

        current = self.state.current
        if current.kind == "text":
            self.action_answer()
            return
        kind = "question" if "question" in current.step_key else ("action" if "action" in current.step_key else "note")
        dialog = HarvestDialog(step_label(current.step_key, current.index), kind=kind)
        self.app.push_screen(dialog, lambda draft: self._save_entry(current.step_key, draft))

    def action_answer(self) -> None:
        """On a text step: write the group's answers, one per line, each saved as an entry."""
        if self.state is None:
            return
        current = self.state.current
        if current.kind != "text":
            self.notify("This step does not ask for written answers; h records a note.", timeout=3)
            return
        from peeragogy_tui.tui.dialogs.harvest_entry import HarvestDialog

        kind = "question" if "question" in current.step_key else ("action" if "action" in current.step_key else "note")
        label = f"{step_label(current.step_key, current.index)} · answers, one per line"
        dialog = HarvestDialog(label, kind=kind)
        self.app.push_screen(dialog, lambda draft: self._save_entry(current.step_key, draft, one_per_line=True))

    def _save_entry(self, step_key: str, draft: HarvestDraft | None, *, one_per_line: bool = False) -> None:
        if draft is None:
            return
        texts = [line for line in draft.text.split("\n") if line.strip()] if one_per_line else [draft.text]

        def save() -> None:
            for text in texts:
                self.store.add_entry(
                    self.session_id,
                    step_key=step_key,
                    kind=draft.kind,
                    text=text,
                    participant=draft.participant,
                    group=draft.group,
                    owner=draft.owner,
                    private=draft.private,
                )

        if self._change("save the entry", save):
            count = f"{len(texts)} entries" if len(texts) > 1 else "Saved"
            self.notify(f"{count} (private)." if draft.private else f"{count}.", timeout=2)

    def _selected_entry(self) -> int | None:
        if not self.facilitator_view:
            self.notify("Entries are edited in the facilitator view (v).", timeout=2)
            return None
        index = self.query_one("#entries", OptionList).highlighted
        if index is None or index >= len(self._entry_ids):
            self.notify("No entry selected.", timeout=2)
            return None
        return self._entry_ids[index]

    def action_toggle_private(self) -> None:
        entry_id = self._selected_entry()
        if entry_id is None or self.state is None:
            return
        entry = next(entry for entry in self.state.entries if entry.id == entry_id)
        self._change("change the entry", lambda: self.store.update_entry(entry_id, private=not entry.private))

    def action_delete_entry(self) -> None:
        entry_id = self._selected_entry()
        if entry_id is None:
            return
        from peeragogy_tui.tui.dialogs import ConfirmDialog

        def answer(yes: bool | None) -> None:
            if yes:
                self._change("delete the entry", lambda: self.store.delete_entry(entry_id))

        self.app.push_screen(ConfirmDialog("Delete this harvest entry?", "This cannot be undone."), answer)
