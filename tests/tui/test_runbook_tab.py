"""Pilot: a responder steps through a response plan's runbook in the incident's Runbook tab
(manual steps with n, a sleep that shows when it resumes, an approval with v), and the
Overview follows the current step."""

from __future__ import annotations

from textual.widgets import Collapsible

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.incidents.runbook_pane import RunbookPane
from tests.tui.helpers import drawn, drawn_lines, press_binding, settle
from widgets import markdown_text

RUNBOOK = """\
schemaVersion: '0.3'
description: Database failover
mainSteps:
  - name: Triage
    action: aws:pause
    description: Check **replication lag** on the `db-lag` dashboard
  - name: Cooldown
    action: aws:sleep
    inputs: {Duration: PT5M}
  - name: Failover
    action: aws:approve
    inputs:
      Approvers: [local-admin, admin]  # the embedded cockpit's user, an attached admin's
      Message: Promote the replica?
  - name: Wrapup
    action: aws:pause
"""


async def start_with_runbook(client) -> str:
    await client.call("CreateRunbook", {"name": "db-failover", "content": RUNBOOK})
    plan = await client.call("CreateResponsePlan", {
        "name": "db", "incidentTemplate": {"title": "DB primary down", "impact": 1},
        "actions": [{"ssmAutomation": {"documentName": "db-failover", "roleArn": "arn:aws:iam::111122223333:role/rb"}}],
    })
    return (await client.call("StartIncident", {"responsePlanArn": plan["arn"]}))["incidentRecordArn"]


def titles(pane: RunbookPane) -> list[str]:
    return [c.title for c in pane.query(Collapsible)]


def expanded(pane: RunbookPane) -> list[str]:
    return [c.id.removeprefix("runbook-step-") for c in pane.query(Collapsible) if not c.collapsed]


async def open_runbook_tab(pilot, app) -> tuple[IncidentDetailScreen, RunbookPane]:
    await settle(pilot)
    await pilot.press("enter")  # the first tile has focus
    await settle(pilot)
    detail = app.screen
    assert isinstance(detail, IncidentDetailScreen)
    await press_binding(pilot, "tab-4")
    pane = detail.query_one(RunbookPane)
    assert pane.has_focus_within  # the step keys work as soon as the tab is shown
    return detail, pane


async def test_a_responder_steps_through_the_runbook(ready, clock, settings) -> None:
    client, _ = ready
    arn = await start_with_runbook(client)
    app = build_app(client, settings, clock=clock)
    markdown_text._parsed.cache_clear()
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        overview = str(detail.query_one("#current-runbook-step").render())
        assert overview == ("db-failover (version 1): step Triage (aws:pause), 0 of 4 done"
                            " — waiting for you (Runbook tab: n)")
        assert markdown_text._parsed.cache_info().misses == 0  # filled in, not drawn: nothing parsed yet
        await app.pop_screen()
        await settle(pilot)
        detail, pane = await open_runbook_tab(pilot, app)
        assert markdown_text._parsed.cache_info().misses == 1  # the current step's, drawn
        assert titles(pane) == [
            "⏸ Triage  aws:pause  Waiting  ◀ current",
            "· Cooldown  aws:sleep  Pending",
            "· Failover  aws:approve  Pending",
            "· Wrapup  aws:pause  Pending",
        ]
        assert expanded(pane) == ["Triage"]
        triage = pane.query_one("#runbook-step-Triage .runbook-step-body")
        body = drawn(triage)
        assert "Check replication lag on the db-lag dashboard" in body and "n: next step" in body  # Markdown, drawn
        bold = "".join(s.text for line in drawn_lines(triage) for s in line if s.style and s.style.bold)
        assert "replication lag" in bold and "Check" not in bold

        await press_binding(pilot, "runbook-next")
        assert titles(pane)[:2] == ["✓ Triage  aws:pause  Success", "▶ Cooldown  aws:sleep  InProgress  ◀ current"]
        assert expanded(pane) == ["Cooldown"]
        assert "sleeping: resumes in 5m 00s" in drawn(pane.query_one("#runbook-step-Cooldown .runbook-step-body"))

        await press_binding(pilot, "runbook-next")  # a sleep goes on by itself
        assert "is an aws:sleep: it goes on by itself" in app.screen.query_one("FlashLine").message

        await clock.advance(minutes=5)
        await settle(pilot)
        assert titles(pane)[2] == "⏸ Failover  aws:approve  Waiting  ◀ current"
        await press_binding(pilot, "runbook-approve")
        failover = await client.call("ListRunbookExecutions", {"incidentRecordArn": arn})
        assert failover["executions"][0]["currentStep"] == "Wrapup"
        pane.query_one("#runbook-step-Failover", Collapsible).collapsed = False  # folded when it ended
        await settle(pilot)
        assert "approved by local-admin" in drawn(pane.query_one("#runbook-step-Failover .runbook-step-body"))

        await press_binding(pilot, "runbook-next")
        assert str(pane.query_one("#runbook-head").render()) == "db-failover (version 1) · Success"
        assert all(t.startswith("✓") for t in titles(pane))
        assert expanded(pane) == []  # nothing current once it ended; a step folds open on demand

    timeline = await client.call("ListTimelineEvents", {"incidentRecordArn": arn, "maxResults": 100})
    assert sum(e["eventType"] == "SSM Automation Execution" for e in timeline["eventSummaries"]) == 11


async def test_the_tab_says_when_no_runbook_runs(ready, clock, settings) -> None:
    client, plan_arn = ready
    await client.call("StartIncident", {"responsePlanArn": plan_arn})
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await press_binding(pilot, "tab-4")
        pane = app.screen.query_one(RunbookPane)
        assert pane.query_one("#runbook-empty").display
        assert str(app.screen.query_one("#current-runbook-step").render()) == "No runbook is running for this incident."


async def test_a_read_only_cockpit_cannot_step(ready, clock, settings) -> None:
    client, _ = ready
    await start_with_runbook(client)
    app = build_app(client, settings.model_copy(update={"read_only": True}), clock=clock)
    async with app.run_test(size=(110, 40)) as pilot:
        _, pane = await open_runbook_tab(pilot, app)
        assert "runbook-next" not in {b.binding.id for b in app.screen.active_bindings.values()}
        await pilot.press("n")
        await settle(pilot)
        assert titles(pane)[0] == "⏸ Triage  aws:pause  Waiting  ◀ current"
