"""`cockpit demo` opens no area empty: each lists what the demo seeded (Pilot, on the seeded
demo workspace), and the demo's people acknowledge their pages minutes after an incident starts."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from textual.widgets import DataTable

from cockpit.build import build_app
from cockpit.demo_areas import (
    ACTION_ITEM,
    ANALYSED,
    HEALTHY,
    INTEGRATION,
    MISSED,
    RUNBOOK,
    RUNBOOK_ON,
    WINDOW,
)
from cockpit.demo_contacts import USERS
from cockpit.factory import embedded_client
from cockpit.screenshots import DEMO_NOW
from core.clock import FakeClock
from tests.tui.helpers import settle


def shown(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


AREAS = {
    "runbooks": [RUNBOOK],
    "integrations": [INTEGRATION, "alertmanager"],
    "heartbeats": [HEALTHY, MISSED, "OK", "MISSED"],
    "maintenance": [WINDOW],
    "users": [*(name for name, *_ in USERS), "admin", "responder", "readonly", "disabled"],
}


@pytest.mark.parametrize("mode", list(AREAS))
async def test_each_area_lists_what_the_demo_seeded(demo_workspace: Path, settings, mode: str) -> None:
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.go_to_area(mode)
        await settle(pilot)
        text = shown(app)
        missing = [item for item in AREAS[mode] if item not in text]
        assert missing == [], text


async def test_the_demo_has_an_analysis_of_a_resolved_incident_and_a_runbook_running(
        demo_workspace: Path, settings) -> None:
    async with embedded_client(demo_workspace, FakeClock(DEMO_NOW)) as client:
        (analysis,) = (await client.call("ListAnalyses", {}))["analyses"]
        assert analysis["incidentTitle"] == ANALYSED
        whole = (await client.call("GetAnalysis", {"analysisId": analysis["analysisId"]}))["analysis"]
        assert whole["overview"]["whatHappened"] and ACTION_ITEM in [a["title"] for a in whole["actionItems"]]
        incidents = (await client.call("ListIncidentRecords", {"maxResults": 100}))["incidentRecordSummaries"]
        critical = next(i["arn"] for i in incidents if i["title"] == RUNBOOK_ON)
        (execution,) = (await client.call("ListRunbookExecutions", {"incidentRecordArn": critical}))["executions"]
        assert execution["runbookName"] == RUNBOOK and execution["status"] == "Waiting"  # on its third step
        steps = (await client.call("GetRunbookExecution", {"executionId": execution["executionId"]}))["execution"]["steps"]
        assert [s["status"] for s in steps[:3]] == ["Success", "Success", "Waiting"], steps
        events = (await client.call("ListIntakeEvents", {}))["intakeEvents"]
        assert [(e["status"], e["outcome"][0]["action"]) for e in events] == [("processed", "started")]
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#analyses-table", DataTable)  # the incident list's Analyses tab
        assert str(table.get_row_at(0)[0]) == f"{ANALYSED}: what happened"  # the incident's title beside it is cut


async def test_the_demo_acknowledges_its_pages_within_minutes(demo_workspace: Path) -> None:
    """A page is acknowledged minutes after its incident starts (the Reports screen showed a
    two-day median time to acknowledge when one was acknowledged at the end of the history)."""
    async with embedded_client(demo_workspace, FakeClock(DEMO_NOW)) as client:
        incidents = (await client.call("ListIncidentRecords", {"maxResults": 100}))["incidentRecordSummaries"]
        states: set[str] = set()
        waits = []
        for incident in incidents:
            engagements = (await client.call("ListIncidentEngagements",
                                             {"incidentRecordArn": incident["arn"]}))["engagements"]
            states |= {e["state"] for e in engagements}
            started = _time(incident["creationTime"])
            waits += [_time(e["acknowledgedTime"]) - started for e in engagements if e.get("acknowledgedTime")]
    assert {"waiting", "paged", "acknowledged"} <= states
    assert len(waits) >= 4 and max(waits) <= timedelta(minutes=10), waits


def _time(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
