"""Under a dialog, which shows the screen behind it dimmed, that screen stays as it was: its
footer keeps its own keys (no `esc Back` that belongs to the dialog on top) and its tiles'
durations keep counting. Pilot, on the seeded demo at 120x40."""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path

from rich.console import Console
from textual.widgets._footer import FooterKey

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.incidents.list_screen import IncidentListScreen
from cockpit.screenshots import DEMO_NOW
from core.clock import FakeClock
from tests.tui.helpers import press_binding, settle
from widgets.incident_tile import IncidentTile


def on_screen(app) -> str:
    """The terminal's text as the user sees it: the top screen over what shows through it."""
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), record=True,
                      legacy_windows=False, color_system=None)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def footer_keys(screen) -> list[tuple[str, str]]:
    return [(key.key, key.description) for key in screen.query(FooterKey)]


async def test_the_screen_behind_a_dialog_keeps_its_footer_and_its_live_durations(demo_workspace: Path,
                                                                                   settings) -> None:
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        behind = app.screen
        assert isinstance(behind, IncidentListScreen)
        keys = footer_keys(behind)
        assert ("escape", "Back") not in keys
        tile = behind.query(IncidentTile).first()
        await press_binding(pilot, "help")
        assert app.screen is not behind and app.screen.is_modal
        assert footer_keys(behind) == keys

        await pilot.press("escape")
        await settle(pilot)
        await press_binding(pilot, "command-line")  # a one-line dialog: the tiles show above it
        assert app.screen is not behind and app.screen.is_modal
        before = tile.details_text()
        assert before in on_screen(app)
        await clock.advance(minutes=3)
        assert tile.details_text() != before
        tile.automatic_refresh()  # what its one-second auto_refresh runs
        await settle(pilot)
        assert tile.details_text() in on_screen(app) and before not in on_screen(app)
