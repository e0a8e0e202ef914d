"""The Runbook tab against an embedded core (LocalClient) and an attached one (RemoteClient to
the core's HTTP server on 127.0.0.1): the same stepping works through both."""

from __future__ import annotations

from cockpit.build import build_app
from cockpit.incidents.runbook_pane import RunbookPane
from core.model import events as ev
from tests.tui import test_attach_parity
from tests.tui.events import EventWatch
from tests.tui.helpers import drawn, press_binding, settle
from tests.tui.test_runbook_tab import open_runbook_tab, start_with_runbook, titles

ui_client = test_attach_parity.ui_client  # the fixture: the core's LocalClient, then a RemoteClient to its server


async def test_stepping_through_a_runbook_embedded_and_attached(ui_client, core, clock, settings) -> None:
    arn = await start_with_runbook(core.client())
    app = build_app(ui_client, settings, clock=clock)
    async with app.run_test(size=(110, 40)) as pilot:
        watch = EventWatch(app)
        _, pane = await open_runbook_tab(pilot, app)
        assert isinstance(pane, RunbookPane)
        assert titles(pane)[0] == "⏸ Triage  aws:pause  Waiting  ◀ current"
        await press_binding(pilot, "runbook-next")
        assert "sleeping: resumes in 5m 00s" in drawn(pane.query_one("#runbook-step-Cooldown .runbook-step-body"))
        await clock.advance(minutes=5)
        await watch.until(lambda e: e.type == ev.RUNBOOK_EXECUTION_CHANGED and e.detail.get("step") == "Failover")
        await settle(pilot)
        assert titles(pane)[2] == "⏸ Failover  aws:approve  Waiting  ◀ current"
        await press_binding(pilot, "runbook-approve")
        listed = await core.client().call("ListRunbookExecutions", {"incidentRecordArn": arn})
        assert listed["executions"][0]["currentStep"] == "Wrapup"
