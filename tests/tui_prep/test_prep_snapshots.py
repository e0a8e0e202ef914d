"""Snapshots of each preparation screen at 80x24 and 120x40 on deterministic data (fake clock,
fixed codes)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.incidents.engagements_pane import EngagementsPane
from cockpit.shell.screen import CockpitScreen
from core import FakeClock
from tests.conftest import START
from tests.tui_prep.conftest import settings, settle

SIZES = [(80, 24), (120, 40)]
size_ids = {"ids": lambda s: f"{s[0]}x{s[1]}"}


@pytest.fixture(autouse=True)
def fixed_codes(monkeypatch):
    counter = iter(range(10**6))
    monkeypatch.setattr(secrets, "randbelow", lambda n: (123456 + next(counter)) % n)


class PaneHost(CockpitScreen):
    CRUMB = "Engagements"

    def __init__(self, incident: str) -> None:
        super().__init__()
        self.incident = incident

    def compose_body(self):
        yield EngagementsPane(self.incident, "API is down")


def snapshot_app(tmp_path: Path, mode: str, seed: bool = True, engagements: bool = False):
    clock = FakeClock(START)
    app = build_app(lambda: embedded_client(tmp_path / "ws", clock=clock), settings(), clock=clock)

    async def run_before(pilot) -> None:
        client = pilot.app.client
        await settle(pilot)  # the empty workspace opened the Get prepared wizard first
        if seed:
            pilot.app.flash("")  # its welcome is about the empty workspace this seeds
            from cockpit.demo_contacts import acknowledge_one, seed_contacts

            await client.call("CreateReplicationSet", {"regions": {"local": {}}})
            demo = await seed_contacts(client, clock.now())
            rp = await client.call("CreateResponsePlan", {
                "name": "api-outage", "displayName": "API outage",
                "incidentTemplate": {"title": "API is down", "impact": 2}, "engagements": [demo.plans["api-escalation"]]})
            await client.call("CreateResponsePlan", {
                "name": "db-latency", "incidentTemplate": {"title": "Database slow", "impact": 3},
                "engagements": [demo.plans["db-escalation"]]})
            if engagements:
                incident = (await client.call("StartIncident", {"responsePlanArn": rp["arn"]}))["incidentRecordArn"]
                await clock.advance(seconds=1)
                await acknowledge_one(client, incident)
                await clock.advance(minutes=1)
                await pilot.app.switch_mode("incidents")
                await settle(pilot)
                await pilot.app.push_screen(PaneHost(incident))
                await client.call("StartEngagement", {"ContactId": demo.plans["db-escalation"], "Sender": "demo",
                                                      "Subject": "help", "Content": "join", "IncidentId": incident})
                await clock.advance(seconds=1)
        if mode:
            pilot.app.switch_mode(mode)
        await settle(pilot)
        pilot.app.clear_notifications()
        if pilot.app.last_flash[1] in ("error", "warning") and (
                "not set up yet" in pilot.app.last_flash[0] or "no replication set" in pilot.app.last_flash[0]):
            pilot.app.flash("")  # the incident list's complaint from before the seed
        await settle(pilot)

    return app, run_before


@pytest.mark.parametrize("size", SIZES, **size_ids)
@pytest.mark.parametrize("mode", ["contacts", "plans", "schedules", "responseplans", "settings", "outbox"])
def test_prep_screen_snapshot(snap_compare, tmp_path, mode, size):
    app, run_before = snapshot_app(tmp_path, mode)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, **size_ids)
def test_wizard_snapshot_on_an_empty_workspace(snap_compare, tmp_path, size):
    app, run_before = snapshot_app(tmp_path, "prepare", seed=False)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, **size_ids)
def test_engagements_pane_snapshot(snap_compare, tmp_path, size):
    app, run_before = snapshot_app(tmp_path, "", engagements=True)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
