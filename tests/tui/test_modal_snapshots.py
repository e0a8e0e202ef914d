"""Every incident dialog with text typed into it, at 80x24, on the seeded demo workspace and a
fake clock: start, edit, summary, timeline event, related item, engage."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.screenshots import DEMO_NOW
from cockpit.settings import CockpitSettings
from core.clock import FakeClock
from tests.tui.helpers import press_binding, settle
from tests.tui.test_snapshots import details

# scene -> (detail tab to open first, or None for the incident list; binding; field; text)
DIALOGS = {
    "start-incident": (None, "start-incident", "#title", "Checkout is down"),
    "edit-incident": ("tab-1", "edit-incident", "#title", " (EU only)"),
    "edit-summary": ("tab-1", "edit-summary", "#summary", "Rolled back 4.2.1. "),
    "timeline-event": ("tab-3", "add-timeline-event", "#description", "Paged the DB team"),
    "related-item": ("tab-6", "add-related-item", "#item-title", "Runbook: failover"),
    "engage-form": ("tab-5", "engagement-start", "#subject", " now"),
}


@pytest.mark.parametrize("scene", list(DIALOGS))
def test_incident_dialog_with_text_typed(snap_compare, demo_workspace: Path, settings: CockpitSettings,
                                         scene: str) -> None:
    tab, opener, field, text = DIALOGS[scene]

    async def run_before(pilot) -> None:
        if tab is None:
            await settle(pilot)
        else:
            await details(pilot, tab)
        await press_binding(pilot, opener)
        pilot.app.screen.query_one(field).focus()
        await pilot.press("end", *text)
        await settle(pilot)

    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
