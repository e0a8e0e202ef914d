"""The response plan form's runbook: chosen from the runbooks and saved as the plan's
ssmAutomation action (latest version, the stored role ARN, the incident's ARN passed in), so an
incident from the plan starts it; cloned from the template right there and chosen; shown when
the plan is edited, and removed by choosing none."""

from __future__ import annotations

from textual.widgets import Input, Select, Static

from cockpit.responseplans.editor import PrepResponsePlanForm
from tests.tui_prep.conftest import press_id, settle
from tests.tui_prep.test_forms_keep_work import open_form

PAUSE = "schemaVersion: '0.3'\nmainSteps:\n  - name: Check\n    action: aws:pause\n"
WITH_ARN = ("schemaVersion: '0.3'\nparameters:\n  IncidentRecordArn: {type: String}\n"
            "mainSteps:\n  - name: Look\n    action: aws:pause\n")


async def _choose(pilot, form: PrepResponsePlanForm, *keys: str) -> None:
    """Open the runbook Select with the keyboard, move with ``keys`` and take that option."""
    form.query_one("#runbook", Select).focus()
    await pilot.press("enter", *keys, "enter")
    await settle(pilot)


async def _plan(client, name: str) -> dict:
    plans = (await client.call("ListResponsePlans", {}))["responsePlanSummaries"]
    return await client.call("GetResponsePlan", {"arn": next(p["arn"] for p in plans if p["name"] == name)})


async def test_a_chosen_runbook_starts_with_the_plans_incidents(client, clock, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    await client.call("CreateRunbook", {"name": "check-first", "content": PAUSE})
    await client.call("CreateRunbook", {"name": "triage-db", "content": WITH_ARN})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "responseplans", "response-plan-new", PrepResponsePlanForm)
        assert form.query_one("#runbook", Select).value is Select.NULL  # "none" until one is chosen
        form.query_one("#name", Input).value = "db"
        form.query_one("#title", Input).value = "DB down"
        await _choose(pilot, form, "down", "down")
        assert form.query_one("#runbook", Select).value == "triage-db"
        await press_id(pilot, "plan-form-save")
        assert app.screen is not form, str(form.query_one("#form-error", Static).render())

    plan = await _plan(client, "db")
    account = plan["arn"].split(":")[4]
    assert plan["actions"] == [{"ssmAutomation": {
        "documentName": "triage-db", "documentVersion": "$LATEST",
        "roleArn": f"arn:aws:iam::{account}:role/incident-cockpit-runbooks",
        "dynamicParameters": {"IncidentRecordArn": {"variable": "INCIDENT_RECORD_ARN"}},
    }}]
    incident = (await client.call("StartIncident", {"responsePlanArn": plan["arn"]}))["incidentRecordArn"]
    [execution] = (await client.call("ListRunbookExecutions", {"incidentRecordArn": incident}))["executions"]
    got = (await client.call("GetRunbookExecution", {"executionId": execution["executionId"]}))["execution"]
    assert (got["runbookName"], got["parameters"]) == ("triage-db", {"IncidentRecordArn": incident})


async def test_clone_the_template_from_the_form_then_edit_shows_it_and_none_removes_it(client, clock, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    await client.call("CreateRunbook", {"name": "critical-incident", "fromTemplate": "critical-incident"})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "responseplans", "response-plan-new", PrepResponsePlanForm)
        form.query_one("#name", Input).value = "sev1"
        form.query_one("#title", Input).value = "Sev 1"
        form.query_one("#clone-runbook").focus()
        await pilot.press("enter")
        await settle(pilot)
        # the name is taken, so the copy is critical-incident-2; it is chosen at once
        assert form.query_one("#runbook", Select).value == "critical-incident-2"
        runbooks = (await client.call("ListRunbooks", {}))["runbooks"]
        assert [r["name"] for r in runbooks] == ["critical-incident", "critical-incident-2"]
        await press_id(pilot, "plan-form-save")
        assert app.screen is not form
        assert (await _plan(client, "sev1"))["actions"][0]["ssmAutomation"]["documentName"] == "critical-incident-2"

        await settle(pilot)
        await press_id(pilot, "response-plan-edit")
        form = app.screen
        assert isinstance(form, PrepResponsePlanForm)
        assert form.query_one("#runbook", Select).value == "critical-incident-2"  # the plan's current runbook
        await _choose(pilot, form, "home")  # "none"
        assert form.query_one("#runbook", Select).value is Select.NULL
        await press_id(pilot, "plan-form-save")
        assert app.screen is not form
    assert (await _plan(client, "sev1"))["actions"] == []
