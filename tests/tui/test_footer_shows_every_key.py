"""At 120x40, where there is room, the footer shows every key a screen binds to be shown,
the ones a focused table would bind first too (a table's enter selects the row the screen then
opens). Pilot, on the seeded demo."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from textual.actions import parse as parse_action
from textual.binding import Binding
from textual.widgets._footer import FooterKey

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.screenshots import DEMO_NOW
from core.clock import FakeClock
from tests.tui.helpers import press_binding, settle

PLACES = {  # how to get there, and a key the footer left out before
    "resolved": ("incidents", ["next-tab"], ("enter", "Open")),
    "runbooks": ("runbooks", [], ("enter", "Show")),
    "schedules": ("schedules", [], ("x", "Drop override")),
    "templates": ("incidents", ["next-tab", "next-tab", "analysis-templates"], ("d", "Delete")),
}


def own_keys(screen) -> set[tuple[str, str]]:
    """The keys the screen declares to be shown that it does not refuse right now."""
    keys = set()
    for key, binding in screen._bindings:
        _, action, parameters = parse_action(binding.action)
        if isinstance(binding, Binding) and binding.show and screen.check_action(action, parameters) is not False:
            keys.add((key, binding.description))
    return keys


@pytest.mark.parametrize("place", list(PLACES))
async def test_the_footer_shows_each_key_of_the_screen(demo_workspace: Path, settings, place: str) -> None:
    mode, presses, missing_before = PLACES[place]
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.go_to_area(mode)
        await settle(pilot)
        for binding_id in presses:
            await press_binding(pilot, binding_id)
        screen = app.screen
        footer = {(key.key, key.description) for key in screen.query(FooterKey)}
        assert missing_before in footer, (type(screen).__name__, sorted(footer))
        assert own_keys(screen) <= footer, sorted(own_keys(screen) - footer)
