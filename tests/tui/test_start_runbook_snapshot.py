"""Snapshot: the Runbook tab's start dialog (S) over an incident with no runbook, at 80x24 on a
fake clock. Update with ``pytest tests/tui/test_start_runbook_snapshot.py --snapshot-update``
after checking."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from textual.pilot import Pilot

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.settings import CockpitSettings
from core import open_core
from core.clock import FakeClock
from tests.tui.helpers import press_binding, settle

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def _seed(workspace: Path) -> None:
    async with open_core(workspace, clock=FakeClock(NOW)) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        await client.call("CreateRunbook", {"name": "critical-incident", "fromTemplate": "critical-incident"})
        await client.call("CreateRunbook", {"name": "db-failover", "content": (
            "schemaVersion: '0.3'\nmainSteps:\n  - name: Promote\n    action: aws:pause\n")})
        plan = await client.call("CreateResponsePlan", {
            "name": "db", "incidentTemplate": {"title": "Orders DB primary down", "impact": 1}})
        await client.call("StartIncident", {"responsePlanArn": plan["arn"]})


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    asyncio.run(_seed(path))
    return path


async def start_dialog(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await press_binding(pilot, "tab-4")
    await press_binding(pilot, "runbook-start")


def test_start_runbook_dialog(snap_compare, workspace: Path, settings: CockpitSettings) -> None:
    clock = FakeClock(datetime(2026, 3, 2, 9, 5, tzinfo=UTC))
    app = build_app(partial(embedded_client, workspace, clock), settings, clock=clock)
    assert snap_compare(app, terminal_size=(80, 24), run_before=start_dialog)
