"""The same Pilot workflows against a LocalClient and a RemoteClient (the cockpit attached to
the core's HTTP server on 127.0.0.1): the screens cannot tell which one they have."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from textual.widgets import Input

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.incidents.list_screen import IncidentListScreen
from cockpit.incidents.start_incident import StartIncidentModal
from cockpit.shell.confirm import ConfirmModal
from core.model import events as ev
from tests.support.served import served_core
from tests.tui.events import EventWatch
from tests.tui.helpers import press_binding, settle
from widgets.flash_line import FlashLine
from widgets.incident_tile import IncidentTile


@pytest.fixture(params=["local", "remote"])
async def ui_client(request, core) -> AsyncIterator:
    """What the cockpit holds: the core's LocalClient, or a RemoteClient to its server."""
    async with served_core(core) as served:
        await core.client().call("CreateResponsePlan", {
            "name": "api", "incidentTemplate": {"title": "API is down", "impact": 2}})
        if request.param == "local":
            yield core.client()
            return
        remote = served.remote("admin")
        try:
            yield remote
        finally:
            await remote.aclose()


def tiles(app) -> dict[str, IncidentTile]:
    return {t.arn: t for t in app.screen.query(IncidentTile)}


async def _plan(core) -> str:
    return (await core.client().call("ListResponsePlans", {}))["responsePlanSummaries"][0]["arn"]


async def test_start_an_incident_from_the_ui(ui_client, core, clock, settings) -> None:
    app = build_app(ui_client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        watch = EventWatch(app)
        await settle(pilot)
        assert isinstance(app.screen, IncidentListScreen) and tiles(app) == {}
        await press_binding(pilot, "start-incident")
        assert isinstance(app.screen, StartIncidentModal)
        app.screen.query_one("#title", Input).value = "Checkout is down"
        await press_binding(pilot, "form-submit")
        await watch.until(lambda e: e.type == ev.INCIDENT_STARTED)
        await settle(pilot)
        assert [t.incident_title for t in tiles(app).values()] == ["Checkout is down"]
        assert "started" in app.screen.query_one(FlashLine).message.lower()
    records = (await core.client().call("ListIncidentRecords", {}))["incidentRecordSummaries"]
    assert [r["title"] for r in records] == ["Checkout is down"]


async def test_a_change_made_elsewhere_appears_live(ui_client, core, clock, settings) -> None:
    app = build_app(ui_client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        watch = EventWatch(app)
        await settle(pilot)
        out = await core.client().call("StartIncident", {"responsePlanArn": await _plan(core), "title": "From intake"})
        arn = out["incidentRecordArn"]
        await watch.until(lambda e: e.type == ev.INCIDENT_STARTED and e.resource_arn == arn)
        await settle(pilot)
        assert tiles(app)[arn].incident_title == "From intake"


async def test_resolve_from_the_detail_screen(ui_client, core, clock, settings) -> None:
    arn = (await core.client().call("StartIncident", {"responsePlanArn": await _plan(core)}))["incidentRecordArn"]
    app = build_app(ui_client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        watch = EventWatch(app)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, IncidentDetailScreen) and detail.arn == arn
        assert detail.record["creationTime"].tzinfo is not None  # a datetime, from either client
        await press_binding(pilot, "resolve-incident")
        assert isinstance(app.screen, ConfirmModal)
        await press_binding(pilot, "confirm-yes")
        await watch.until(lambda e: e.type == ev.INCIDENT_RESOLVED or (
            e.type == ev.INCIDENT_UPDATED and e.resource_arn == arn))
        await settle(pilot)
        assert detail.record["status"] == "RESOLVED"
    record = (await core.client().call("GetIncidentRecord", {"arn": arn}))["incidentRecord"]
    assert record["status"] == "RESOLVED"
