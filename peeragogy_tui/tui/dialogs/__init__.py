"""Modal dialogs: pick one item from a list, confirm an action."""

from __future__ import annotations

from peeragogy_tui.tui.dialogs.confirm import ConfirmDialog
from peeragogy_tui.tui.dialogs.pick_list import PickList

__all__ = ["ConfirmDialog", "PickList"]
