"""The footer rebuilds its keys only when they change (the stock one rebuilt on every focus change)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button
from textual.widgets._footer import FooterKey

from peeragogy_tui.tui.widgets.key_footer import KeyFooter


class FooterApp(App[None]):
    BINDINGS = [Binding("x", "extra", "Extra"), Binding("y", "other", "Other")]  # noqa: RUF012 - Textual reads it

    def __init__(self) -> None:
        super().__init__()
        self.extra_allowed = True
        self.rebuilds = 0

    def compose(self) -> ComposeResult:
        yield Button("One", id="one")
        yield Button("Two", id="two")
        yield CountingFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "extra":
            return self.extra_allowed
        return True

    def action_extra(self) -> None:
        pass

    def action_other(self) -> None:
        pass


class CountingFooter(KeyFooter):
    async def recompose(self) -> None:
        self.app.rebuilds += 1  # type: ignore[attr-defined]
        await super().recompose()


def shown(app: App[None]) -> dict[str, bool]:
    return {key.key: not key.disabled for key in app.screen.query(FooterKey)}


async def test_same_keys_are_not_rebuilt_and_changed_keys_are() -> None:
    app = FooterApp()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        assert shown(app) == {"x": True, "y": True, "ctrl+p": True}
        assert app.rebuilds == 1
        for _ in range(3):  # focus moves and binding refreshes that change nothing
            await pilot.press("tab")
            app.screen.refresh_bindings()
            await pilot.pause()
        assert app.rebuilds == 1
        app.extra_allowed = False  # "x" is no longer allowed: that is a change
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert app.rebuilds == 2
        assert shown(app) == {"y": True, "ctrl+p": True}  # check_action False: the key is hidden
