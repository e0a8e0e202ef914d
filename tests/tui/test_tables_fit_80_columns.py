"""No preparation table scrolls sideways at 80 columns (issue 8, item 11): on the demo
workspace, with long cells added (an intake payload of many alerts, a window holding every
plan, a user with two keys, long outbox subjects), each area's table is no wider than its
screen; the column that takes what the others leave ends its text in "…"."""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path

import pytest
from textual.widgets import DataTable

from cockpit.build import build_app
from cockpit.demo_areas import INTEGRATION
from cockpit.factory import embedded_client
from cockpit.integrations.log_screen import IntakeLogScreen
from cockpit.screenshots import DEMO_NOW
from core import open_core
from core.clock import FakeClock
from core.intake.normalize import normalize
from core.ops.intake import Received, receive
from core.ops.integrations import find_integration
from tests.intake import payloads
from tests.tui.helpers import drawn, settle

AREAS = ["contacts", "plans", "schedules", "responseplans", "runbooks", "outbox", "audit", "users",
         "integrations", "heartbeats", "maintenance"]


async def _long_cells(workspace: Path) -> None:
    async with open_core(workspace, clock=FakeClock(DEMO_NOW)) as core:
        client = core.client()
        (made,) = (await client.call("ListIntegrations", {}))["integrations"]
        integration = await find_integration(core, made["integrationId"])
        body = payloads.alertmanager(group="DiskAlmostFullOnTheAnalyticsReplica", alerts=6)
        await receive(core, Received(integration, "alert", body,
                                     normalize(integration.type, integration.options, body, core.clock.now())))
        plans = (await client.call("ListResponsePlans", {}))["responsePlanSummaries"]
        await client.call("CreateMaintenanceWindow", {
            "name": "network-maintenance", "timeZone": "UTC", "start": "2026-03-03T01:00",
            "end": "2026-03-03T05:00", "recurrence": "FREQ=WEEKLY;BYDAY=SA",
            "targets": [p["arn"] for p in plans]})
        (user, *_) = (await client.call("ListUsers", {}))["users"]
        await client.call("CreateAccessKey", {"userName": user["userName"]})


@pytest.fixture
def long_cells(demo_workspace: Path) -> Path:
    asyncio.run(_long_cells(demo_workspace))
    return demo_workspace


def _too_wide(app) -> list[str]:
    return [f"{type(app.screen).__name__} #{t.id}: {t.virtual_size.width} > {t.scrollable_content_region.width}"
            for t in app.screen.query(DataTable)
            if t.display and t.virtual_size.width > t.scrollable_content_region.width]


async def test_no_preparation_table_scrolls_sideways_at_80_columns(long_cells: Path, settings) -> None:
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, long_cells, clock), settings, clock=clock)
    wide: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for area in AREAS:
            app.go_to_area(area)
            await settle(pilot)
            assert app.screen.query_one("#prep-table", DataTable).row_count, area  # each has rows to measure
            wide += _too_wide(app)
        app.go_to_area("integrations")
        await settle(pilot)
        assert app.screen.selected is not None and INTEGRATION in str(app.screen.table.get_row_at(0))
        app.screen.action_log()
        await settle(pilot)
        assert isinstance(app.screen, IntakeLogScreen) and app.screen.table.row_count == 2
        wide += _too_wide(app)
        outcome = str(app.screen.table.get_row_at(0)[-1])
        assert len(outcome) > 40  # longer than the room the other columns leave: cut to fit, with "…"
        assert any(line.endswith("…") for line in drawn(app.screen.table).splitlines())
    assert wide == []
