"""Snapshot of a timeline event opened in full (the demo's first incident, its newest custom
note), at 80x24 and 120x40."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.screenshots import DEMO_NOW
from core import FakeClock
from tests.tui.helpers import press_binding, settle
from widgets.key_table import KeyTable


async def _open_note(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await press_binding(pilot, "tab-3")
    detail = pilot.app.screen
    note = [e for e in detail.events if e["eventType"] == "Custom Event"][-1]
    table = detail.query_one("#timeline-table", KeyTable)
    table.move_cursor(row=table.get_row_index(note["eventId"]))
    await press_binding(pilot, "view-timeline-event")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_timeline_event_view(snap_compare, demo_workspace: Path, settings, size):
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=_open_note)
