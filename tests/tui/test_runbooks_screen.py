"""Pilot: the Runbooks area lists the documents, clones the critical incident template, shows
one, checks a typed document (its problems listed, nothing saved) and deletes one."""

from __future__ import annotations

from textual.widgets import Input, Select, TextArea

from cockpit.build import build_app
from cockpit.runbooks.forms import CloneTemplateForm, RunbookView, ValidateModal
from cockpit.runbooks.screen import RunbooksScreen
from tests.tui.helpers import drawn, press_binding, settle

BAD = "schemaVersion: '0.3'\nmainSteps:\n  - name: wait\n    action: aws:sleep\n    inputs: {Duration: soon}\n"


async def test_runbooks_area(ready, clock, settings) -> None:
    client, plan_arn = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        app.go_to_area("runbooks")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunbooksScreen) and screen.table.row_count == 0

        await press_binding(pilot, "runbook-clone")
        form = app.screen
        assert isinstance(form, CloneTemplateForm)
        form.query_one("#runbook-name", Input).value = "sev1"
        form.query_one("#runbook-plan", Select).value = plan_arn
        await press_binding(pilot, "form-submit")
        assert app.screen is screen
        assert screen.table.get_row("sev1")[:3] == ["sev1", "1", "8"]
        plan = (await client.call("GetResponsePlan", {"arn": plan_arn}))
        assert plan["actions"][0]["ssmAutomation"]["documentName"] == "sev1"
        incident = (await client.call("StartIncident", {"responsePlanArn": plan_arn}))["incidentRecordArn"]
        [execution] = (await client.call("ListRunbookExecutions", {"incidentRecordArn": incident}))["executions"]
        assert (execution["runbookName"], execution["currentStep"]) == ("sev1", "Triage")

        await press_binding(pilot, "runbook-clone")  # the same name again: refused on its field, form kept
        form = app.screen
        form.query_one("#runbook-name", Input).value = "sev1"
        await press_binding(pilot, "form-submit")
        assert app.screen is form
        assert str(form.query_one("#form-error").render()) == (
            "Name: a runbook named sev1 already exists; choose another name")
        assert form.query_one("#runbook-name", Input).has_class("-invalid")
        await press_binding(pilot, "form-cancel")
        await press_binding(pilot, "confirm-yes")  # "Discard your changes?"
        assert app.screen is screen

        await press_binding(pilot, "runbook-show")
        view = app.screen
        assert isinstance(view, RunbookView)
        assert [s["name"] for s in view.runbook["steps"]][:2] == ["Triage", "Engage"]
        triage = drawn(view.query(".runbook-step").first())  # the step's description, its Markdown drawn
        assert "1. Triage  aws:pause" in triage and "Size it up. What is broken" in triage and "**" not in triage
        await press_binding(pilot, "runbook-view-close")

        await press_binding(pilot, "runbook-validate")
        modal = app.screen
        assert isinstance(modal, ValidateModal)
        modal.query_one(TextArea).text = BAD
        await press_binding(pilot, "validate-check")
        result = str(modal.query_one("#validate-result").render())
        assert "✗ 1 problem:" in result
        assert "step 'wait': Duration 'soon' is not an ISO-8601 duration" in result
        modal.query_one(TextArea).text = BAD.replace("soon", "PT5M")
        await press_binding(pilot, "validate-check")
        assert "The document is valid (YAML)" in str(modal.query_one("#validate-result").render())
        await press_binding(pilot, "validate-close")
        assert [r["name"] for r in (await client.call("ListRunbooks", {}))["runbooks"]] == ["sev1"]

        await press_binding(pilot, "runbook-delete")
        await press_binding(pilot, "confirm-yes")
        assert screen.table.row_count == 0
        assert (await client.call("ListRunbooks", {}))["runbooks"] == []


async def test_the_list_fits_80_columns(ready, clock, settings) -> None:
    client, _ = ready
    await client.call("CreateRunbook", {"name": "critical", "fromTemplate": "critical-incident"})
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.go_to_area("runbooks")
        await settle(pilot)
        table = app.screen.table
        assert table.max_scroll_x == 0  # the description takes the width left, and no more
        row = drawn(table).splitlines()[1]
        assert row.startswith(" critical") and row.endswith("…")  # cut inside the table, with an ellipsis
