"""Pilot: the Runbook tab of an incident with no execution starts one (S, a choice among the
runbooks, StartRunbookExecution with the incident's ARN passed in); S is gone once a runbook
runs, in a read-only cockpit, and says what to do when there is no runbook at all."""

from __future__ import annotations

from textual.widgets import Select

from cockpit.build import build_app
from cockpit.incidents.runbook_pane import RunbookPane
from cockpit.incidents.start_runbook import StartRunbookForm
from tests.tui.helpers import press_binding, settle
from tests.tui.test_runbook_tab import titles

WITH_ARN = ("schemaVersion: '0.3'\nparameters:\n  IncidentRecordArn: {type: String}\n"
            "mainSteps:\n  - name: Look\n    action: aws:pause\n  - name: Fix\n    action: aws:pause\n")


def active(app) -> set[str]:
    return {b.binding.id for b in app.screen.active_bindings.values()}


async def runbook_tab(pilot) -> RunbookPane:
    await settle(pilot)
    await pilot.press("enter")  # the first tile has focus
    await settle(pilot)
    await press_binding(pilot, "tab-4")
    return pilot.app.screen.query_one(RunbookPane)


async def test_s_starts_a_chosen_runbook_on_the_incident(ready, clock, settings) -> None:
    client, plan_arn = ready
    await client.call("CreateRunbook", {"name": "a-checklist", "fromTemplate": "critical-incident"})
    await client.call("CreateRunbook", {"name": "db-look", "content": WITH_ARN})
    arn = (await client.call("StartIncident", {"responsePlanArn": plan_arn}))["incidentRecordArn"]
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await runbook_tab(pilot)
        assert pane.query_one("#runbook-empty").display
        assert "runbook-start" in active(app)
        assert "runbook-next" not in active(app)  # nothing to step yet: the footer has room for S
        await press_binding(pilot, "runbook-start")
        form = app.screen
        assert isinstance(form, StartRunbookForm)
        assert form.query_one("#start-runbook-name", Select).value == "a-checklist"
        await pilot.press("enter", "down", "enter")  # the focused Select: choose db-look
        await settle(pilot)
        await press_binding(pilot, "form-submit")
        assert app.screen is not form
        assert "runbook db-look started" in app.screen.query_one("FlashLine").message
        assert titles(pane) == ["⏸ Look  aws:pause  Waiting  ◀ current", "· Fix  aws:pause  Pending"]
        assert "runbook-start" not in active(app)  # one execution at a time from here
        assert "runbook-next" in active(app)
    [execution] = (await client.call("ListRunbookExecutions", {"incidentRecordArn": arn}))["executions"]
    got = (await client.call("GetRunbookExecution", {"executionId": execution["executionId"]}))["execution"]
    assert (got["runbookName"], got["parameters"]) == ("db-look", {"IncidentRecordArn": arn})


async def test_s_with_no_runbooks_says_where_to_get_one(ready, clock, settings) -> None:
    client, plan_arn = ready
    await client.call("StartIncident", {"responsePlanArn": plan_arn})
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await runbook_tab(pilot)
        await press_binding(pilot, "runbook-start")
        assert not isinstance(app.screen, StartRunbookForm)
        assert "no runbooks yet" in app.screen.query_one("FlashLine").message


async def test_a_read_only_cockpit_cannot_start_a_runbook(ready, clock, settings) -> None:
    client, plan_arn = ready
    await client.call("CreateRunbook", {"name": "a-checklist", "fromTemplate": "critical-incident"})
    arn = (await client.call("StartIncident", {"responsePlanArn": plan_arn}))["incidentRecordArn"]
    app = build_app(client, settings.model_copy(update={"read_only": True}), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await runbook_tab(pilot)
        assert "runbook-start" not in active(app)
        await pilot.press("S")
        await settle(pilot)
        assert not isinstance(app.screen, StartRunbookForm)
    assert (await client.call("ListRunbookExecutions", {"incidentRecordArn": arn}))["executions"] == []
