"""Snapshots: an incident's Runbook tab mid-run (a completed step's outputs, a sleep's
progress), the Runbooks area, and its check dialog with a typed document and its problems, at
80x24 and 120x40 on a fake clock. Update with
``pytest tests/tui/test_runbook_snapshots.py --snapshot-update`` after checking."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Collapsible, TextArea

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.incidents.runbook_pane import RunbookPane
from cockpit.settings import CockpitSettings
from core import open_core
from core.clock import FakeClock
from tests.tui.helpers import press_binding, settle

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SIZES = [(80, 24), (120, 40)]
RUNBOOK = """\
schemaVersion: '0.3'
description: Fail the database over to its replica
parameters:
  Cluster: {type: String, default: orders-db}
mainSteps:
  - name: Choose
    action: aws:branch
    inputs:
      Choices:
        - {NextStep: Triage, Variable: '{{ Cluster }}', StartsWith: orders}
      Default: Triage
  - name: Triage
    action: aws:pause
    description: Check replication lag for {{ Cluster }} on the dashboard.
  - name: Cooldown
    action: aws:sleep
    inputs: {Duration: PT10M}
  - name: Failover
    action: aws:approve
    inputs:
      Approvers: [local-admin]
      Message: Promote the replica?
"""
BAD = "schemaVersion: '0.3'\nmainSteps:\n  - name: wait\n    action: aws:sleep\n    inputs: {Duration: soon}\n  - name: wait\n    action: aws:runShellScript\n"


async def _seed(workspace: Path) -> None:
    clock = FakeClock(NOW)
    async with open_core(workspace, clock=clock) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        await client.call("CreateRunbook", {"name": "db-failover", "content": RUNBOOK})
        await client.call("CreateRunbook", {"name": "critical-incident", "fromTemplate": "critical-incident"})
        plan = await client.call("CreateResponsePlan", {
            "name": "db", "incidentTemplate": {"title": "Orders DB primary down", "impact": 1},
            "actions": [{"ssmAutomation": {"documentName": "db-failover", "roleArn": "arn:aws:iam::111122223333:role/rb"}}],
        })
        arn = (await client.call("StartIncident", {"responsePlanArn": plan["arn"]}))["incidentRecordArn"]
        execution = (await client.call("ListRunbookExecutions", {"incidentRecordArn": arn}))["executions"][0]
        await clock.advance(minutes=3)
        await client.call("SignalRunbookStep", {"executionId": execution["executionId"], "stepName": "Triage", "signal": "Resume"})
        await clock.advance(minutes=4)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    asyncio.run(_seed(path))
    return path


async def runbook_tab(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await press_binding(pilot, "tab-4")
    pane = pilot.app.screen.query_one(RunbookPane)
    pane.query_one("#runbook-step-Choose", Collapsible).collapsed = False  # a completed step folded open
    await settle(pilot)


async def runbooks_area(pilot: Pilot) -> None:
    await settle(pilot)
    pilot.app.go_to_area("runbooks")
    await settle(pilot)


async def check_dialog(pilot: Pilot) -> None:
    await runbooks_area(pilot)
    await press_binding(pilot, "runbook-validate")
    pilot.app.screen.query_one(TextArea).text = BAD
    await press_binding(pilot, "validate-check")


SCENES = {"runbook-tab": runbook_tab, "runbooks": runbooks_area, "check-dialog": check_dialog}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", list(SCENES))
def test_runbook_screens(snap_compare, workspace: Path, settings: CockpitSettings, scene: str,
                         size: tuple[int, int]) -> None:
    clock = FakeClock(datetime(2026, 3, 2, 9, 7, tzinfo=UTC))
    app = build_app(partial(embedded_client, workspace, clock), settings, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=SCENES[scene])
