"""The command palette has a provider per area, and its commands do what the keys do."""

from __future__ import annotations

from cockpit.build import AREAS, PALETTE
from cockpit.contacts.editor import PrepContactEditor
from cockpit.contacts.screen import ContactsScreen
from tests.tui_prep.conftest import settle


def test_every_area_has_a_provider():
    covered = {p.area.mode for p in PALETTE if hasattr(p, "area")}
    assert covered == {a.mode for a in AREAS} - {"incidents"}  # incidents: IncidentCommands


async def test_palette_runs_an_area_action(ready, make_app):
    client, _ = ready
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Contacts: New")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen_stack[-2], ContactsScreen)
        assert isinstance(app.screen, PrepContactEditor)
