"""The analysis under Pilot, every key and button of its forms pressed: create it from a resolved
incident's details (A), write the overview, answer questions (a name gets the gentle warning, a
yes recommends an item), edit the analysis's own timeline, move action items, tick the checklist,
and close it, which asks first while items are open. The Analyses tab lists it."""

from __future__ import annotations

from textual.widgets import Input, Select, TextArea

from cockpit.analyses.forms import (
    ActionItemForm,
    AnswerForm,
    CreateAnalysisForm,
    OverviewForm,
    TimelinePointForm,
)
from cockpit.analyses.screen import AnalysisScreen
from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.shell.confirm import ConfirmModal
from tests.analyses.scripted import scripted_incident
from tests.tui.helpers import key_for, press_binding, settle
from widgets.flash_line import FlashLine


async def _type(pilot, widget, text: str) -> None:
    widget.focus()
    await pilot.pause()
    await pilot.press(*[("space" if c == " " else c) for c in text])


def _flash(app) -> str:
    return app.screen.query_one(FlashLine).message


async def test_an_analysis_from_details_to_closed(core, client, clock, settings) -> None:
    incident, _ = await scripted_incident(client, clock)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        app.push_screen(IncidentDetailScreen(incident))
        await settle(pilot)
        await press_binding(pilot, "create-analysis")
        form = app.screen
        assert isinstance(form, CreateAnalysisForm)
        assert form.query_one("#analysis-template", Select).value == "Standard"
        name = form.query_one("#analysis-name", Input)
        name.value = ""
        await press_binding(pilot, "form-submit")
        assert "Name: give the analysis" in str(form.query_one("#form-error").render())  # stays open
        await _type(pilot, name, "API outage review")
        await pilot.click("#submit")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnalysisScreen) and screen.analysis["name"] == "API outage review"
        analysis_id = screen.analysis_id

        # overview
        await press_binding(pilot, "analysis-edit-overview")
        overview = app.screen
        assert isinstance(overview, OverviewForm)
        await _type(pilot, overview.query_one("#overview-whatHappened", TextArea), "Pool size set to 0")
        await press_binding(pilot, "form-submit")
        assert app.screen is screen
        stored = (await client.call("GetAnalysis", {"analysisId": analysis_id}))["analysis"]
        assert stored["overview"]["whatHappened"] == "Pool size set to 0"
        await press_binding(pilot, "analysis-edit-overview")
        await press_binding(pilot, "form-cancel")
        assert app.screen is screen

        # questions: enter answers the first (the tab's table has the focus); a name gets the warning but is saved
        await press_binding(pilot, "tab-4")
        await pilot.press("enter")
        await settle(pilot)
        answer = app.screen
        assert isinstance(answer, AnswerForm) and answer.question["id"] == "detection-signal"
        await _type(pilot, answer.query_one("#answer-text", TextArea), "Alice saw the 5xx alarm")
        await pilot.click("#submit")
        await settle(pilot)
        assert "blameless" in _flash(app) and "Alice" in _flash(app)
        await pilot.press("down")
        await press_binding(pilot, "analysis-answer")
        await _type(pilot, app.screen.query_one("#answer-text", TextArea), "yes")
        await press_binding(pilot, "form-submit")
        stored = (await client.call("GetAnalysis", {"analysisId": analysis_id}))["analysis"]
        answers = {q["id"]: q["answer"] for q in stored["questions"]}
        assert answers["detection-signal"] == "Alice saw the 5xx alarm" and answers["detection-alarm"] == "yes"
        assert [i["title"] for i in stored["actionItems"]] == ["Add or tune an alarm for this failure"]

        # the analysis's own timeline: add, edit, remove (asks first); the incident's is untouched
        await press_binding(pilot, "tab-3")
        before = len(stored["timeline"])
        await press_binding(pilot, "analysis-add-point")
        point = app.screen
        assert isinstance(point, TimelinePointForm)
        time_input = point.query_one("#point-time", Input)
        time_input.value = "yesterday"
        await _type(pilot, point.query_one("#point-text", TextArea), "Config push")
        await press_binding(pilot, "form-submit")
        assert "Time: 'yesterday' is not a time" in str(point.query_one("#form-error").render())
        time_input.value = "2026-03-02 09:05"
        await press_binding(pilot, "form-submit")
        assert app.screen is screen
        timeline = screen.query_one("#analysis-timeline")
        timeline.focus()
        timeline.move_cursor(row=0)
        await press_binding(pilot, "analysis-edit-point")
        edit = app.screen
        assert isinstance(edit, TimelinePointForm) and edit.query_one("#point-text", TextArea).text == "Config push"
        edit.query_one("#point-text", TextArea).text = "Config push reached 100%"
        await press_binding(pilot, "form-submit")
        await press_binding(pilot, "analysis-delete-point")
        assert isinstance(app.screen, ConfirmModal)
        await press_binding(pilot, "confirm-no")
        await press_binding(pilot, "analysis-delete-point")
        await press_binding(pilot, "confirm-yes")
        stored = (await client.call("GetAnalysis", {"analysisId": analysis_id}))["analysis"]
        assert len(stored["timeline"]) == before and "Config push" not in str(stored["timeline"])
        incident_events = (await client.call("ListTimelineEvents", {"incidentRecordArn": incident}))["eventSummaries"]
        assert all(e["eventType"] != "Custom Event" for e in incident_events)

        # action items: accepting asks for the owner and due date it needs; complete, dismiss (still
        # listed), add a custom one (it starts accepted, so it has them too)
        await press_binding(pilot, "tab-5")
        await press_binding(pilot, "analysis-accept")
        accept = app.screen
        assert isinstance(accept, ActionItemForm) and accept.accepting
        assert app.focused is accept.query_one("#item-owner")
        await press_binding(pilot, "form-submit")
        error = str(accept.query_one("#form-error").render())
        assert "Owner (a person or a team): an accepted action item needs an owner" in error
        assert "Due date: an accepted action item needs a due date" in error
        await _type(pilot, accept.query_one("#item-owner", Input), "platform team")
        await _type(pilot, accept.query_one("#item-due", Input), "soon")
        await press_binding(pilot, "form-submit")
        assert "Due date" in str(accept.query_one("#form-error").render()) and app.screen is accept  # not a date
        accept.query_one("#item-due", Input).value = "2026-03-20"
        await press_binding(pilot, "form-submit")
        assert app.screen is screen
        actions = screen.query_one("#analysis-actions")
        assert [str(c) for c in actions.get_row_at(0)] == [
            "accepted", "recommended", "Add or tune an alarm for this failure", "platform team", "2026-03-20"]
        await press_binding(pilot, "analysis-complete")
        await press_binding(pilot, "analysis-add-item")
        item = app.screen
        assert isinstance(item, ActionItemForm) and not item.accepting
        await press_binding(pilot, "form-submit")
        assert "Title: say what" in str(item.query_one("#form-error").render())
        await _type(pilot, item.query_one("#item-title", Input), "Canary config")
        await press_binding(pilot, "form-submit")
        assert "Owner (a person or a team): an accepted action item needs an owner" in str(
            item.query_one("#form-error").render())
        await _type(pilot, item.query_one("#item-owner", Input), "ana")
        item.query_one("#item-due", Input).value = "2026-03-27"
        await press_binding(pilot, "form-submit")
        assert app.screen is screen
        # enter (or o) opens an item whole: its owner can change
        await pilot.press("enter")
        edit = app.screen
        assert isinstance(edit, ActionItemForm) and edit.query_one("#item-title", Input).value.startswith("Add or")
        await press_binding(pilot, "form-cancel")
        assert key_for(pilot, "analysis-edit-item") == "o"
        actions.move_cursor(row=1)
        await press_binding(pilot, "analysis-dismiss")
        stored = (await client.call("GetAnalysis", {"analysisId": analysis_id}))["analysis"]
        assert [(i["title"], i["status"]) for i in stored["actionItems"]] == [
            ("Add or tune an alarm for this failure", "COMPLETED"), ("Canary config", "DISMISSED")]
        assert actions.get_row_at(1)[0] == "dismissed"

        # checklist and closing: asks while items are open; no keeps it open
        await press_binding(pilot, "tab-6")
        checklist = screen.query_one("#analysis-checklist")
        checklist.focus()
        await press_binding(pilot, "analysis-toggle")
        assert checklist.get_row_at(0)[0] == "✓"  # unticked ones read "–" under "Done"
        await press_binding(pilot, "analysis-close")
        confirm = app.screen
        assert isinstance(confirm, ConfirmModal) and "4 checklist items are not done" in str(confirm._question)
        await press_binding(pilot, "confirm-no")
        assert (await client.call("GetAnalysis", {"analysisId": analysis_id}))["analysis"]["status"] == "OPEN"
        await press_binding(pilot, "analysis-close")
        await pilot.click("#yes")
        await settle(pilot)
        assert (await client.call("GetAnalysis", {"analysisId": analysis_id}))["analysis"]["status"] == "CLOSED"
        assert not screen.check_action("toggle", ())  # a closed analysis is kept as it was

        # the incident list's Analyses tab lists it; enter opens it
        await press_binding(pilot, "back")
        await press_binding(pilot, "back")
        await press_binding(pilot, "tab-3")
        table = app.screen.query_one("#analyses-table")
        assert [str(c) for c in table.get_row_at(0)[:3]] == ["API outage review", "API is down", "closed"]
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AnalysisScreen) and app.screen.analysis_id == analysis_id


async def test_create_analysis_is_offered_only_on_resolved_incidents(core, client, clock, settings) -> None:
    incident, _ = await scripted_incident(client, clock)
    plan = (await client.call("ListResponsePlans", {}))["responsePlanSummaries"][0]["arn"]
    still_open = (await client.call("StartIncident", {"responsePlanArn": plan, "title": "Disk full"}))[
        "incidentRecordArn"]
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(IncidentDetailScreen(still_open))
        await settle(pilot)
        assert not app.screen.check_action("create_analysis", ())
        await press_binding(pilot, "back")
        app.push_screen(IncidentDetailScreen(incident))
        await settle(pilot)
        assert app.screen.check_action("create_analysis", ())
        assert key_for(pilot, "create-analysis") == "A"
