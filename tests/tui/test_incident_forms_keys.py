"""Every button and key of every incident dialog can be pressed without crashing the app
(issue 8 item 3): start, edit, summary, timeline event, related item and metric, engage,
resolve's confirmation, help and the command line. The real app on a real core, fake time."""

from __future__ import annotations

import pytest
from textual.binding import Binding
from textual.widgets import Button

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from tests.support.contacts import personal_contact
from tests.tui.helpers import press_binding, settle

# (detail tab, or None for the incident list; the binding that opens the dialog)
DIALOGS = [
    (None, "start-incident"),
    ("tab-1", "edit-incident"),
    ("tab-1", "edit-summary"),
    ("tab-1", "resolve-incident"),
    ("tab-3", "add-timeline-event"),
    ("tab-2", "add-metric"),
    ("tab-6", "add-related-item"),
    ("tab-5", "engagement-start"),
    ("tab-1", "help"),
    ("tab-1", "command-line"),
]


async def open_dialog(pilot, client, plan: str, tab: str | None, opener: str):
    """A fresh incident each time (resolving one leaves nothing to resolve), and the dialog open."""
    app = pilot.app
    arn = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    while len(app.screen_stack) > 1:
        app.pop_screen()
    await settle(pilot)
    if tab is not None:
        app.push_screen(IncidentDetailScreen(arn))
        await settle(pilot)
        await press_binding(pilot, tab)
    before = app.screen
    await press_binding(pilot, opener)
    assert app.screen is not before, (opener, app.last_flash)
    return app.screen


@pytest.mark.parametrize(("tab", "opener"), DIALOGS, ids=[d[1] for d in DIALOGS])
async def test_every_button_and_key_of_every_incident_dialog(ready, clock, settings, tab, opener) -> None:
    client, plan = ready
    await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_dialog(pilot, client, plan, tab, opener)
        binding_ids = sorted({b.id for cls in type(dialog).__mro__ for b in cls.__dict__.get("BINDINGS", [])
                              if isinstance(b, Binding) and b.id})
        button_ids = [b.id for b in dialog.query(Button) if b.id]
        assert binding_ids or button_ids
        for binding_id in binding_ids:
            dialog = await open_dialog(pilot, client, plan, tab, opener)
            if any(a.binding.id == binding_id for a in app.screen.active_bindings.values()):
                await press_binding(pilot, binding_id)  # a crash fails the test here
            assert app.return_code is None
        for button_id in button_ids:
            dialog = await open_dialog(pilot, client, plan, tab, opener)
            await pilot.click(f"#{button_id}")
            await settle(pilot)
            assert app.return_code is None
