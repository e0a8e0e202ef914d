"""Configurations that page nobody are not saved without a word (issue 8): an override with
nobody ticked and an escalation stage that engages nobody are allowed by the ssm-contacts
model, so the form asks first (and says so on the field); a plan whose stages all engage nobody
is refused. A saved rotation, escalation plan or response plan is the selected row afterwards.
The real app on a real core, keys pressed by binding id."""

from __future__ import annotations

from textual.widgets import Input, SelectionList, Static

from cockpit.plans.stage_editor import PrepStageEditor, StageBox
from cockpit.responseplans.editor import PrepResponsePlanForm
from cockpit.schedules.rotation_editor import PrepOverrideEditor, PrepRotationEditor
from cockpit.shell.confirm import ConfirmModal
from tests.support.contacts import escalation_plan, personal_contact
from tests.tui_prep.conftest import press_id, settle


def error_text(form) -> str:
    return str(form.query_one("#form-error", Static).render())


async def prepared(client, clock) -> str:
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    await escalation_plan(client, "primary", [(5, [(alice, True)])])
    await client.call("CreateRotation", {
        "Name": "day", "ContactIds": [alice], "StartTime": clock.now(), "TimeZoneId": "UTC",
        "Recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1,
                       "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]}})
    await client.call("CreateResponsePlan", {"name": "api", "incidentTemplate": {"title": "API down", "impact": 3}})
    return alice


async def open_area(pilot, area: str):
    pilot.app.switch_mode(area)
    await settle(pilot)
    return pilot.app.screen


async def overrides(client) -> list[dict]:
    rotation = (await client.call("ListRotations", {}))["Rotations"][0]["RotationArn"]
    listed = await client.call("ListRotationOverrides", {"RotationId": rotation, "StartTime": "2000-01-01T00:00:00Z",
                                                        "EndTime": "2100-01-01T00:00:00Z"})
    return listed["RotationOverrides"]


async def test_an_override_with_nobody_asks_first(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "schedules")
        await press_id(pilot, "rotation-override")
        editor = app.screen
        assert isinstance(editor, PrepOverrideEditor)
        await press_id(pilot, "rotation-save")  # nobody ticked
        assert isinstance(app.screen, ConfirmModal)
        question = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "nobody is on call in this rotation" in question, question
        await press_id(pilot, "confirm-no")
        assert app.screen is editor
        assert error_text(editor) == "On call instead: nobody ticked: nobody would be on call"
        assert editor.query_one("#members", SelectionList).has_class("-invalid")
        assert await overrides(client) == []

        await press_id(pilot, "rotation-save")
        await press_id(pilot, "confirm-yes")  # the model allows it: said and asked, then saved
        assert app.screen is screen
        assert app.last_flash == ("override added", "success")
        assert [o["NewContactIds"] for o in await overrides(client)] == [[]]


async def test_a_plan_that_engages_nobody_is_refused_and_an_empty_stage_asks(client, clock, make_app):
    alice = await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "plans")
        await press_id(pilot, "plan-new")
        editor = app.screen
        assert isinstance(editor, PrepStageEditor)
        editor.query_one("#alias", Input).value = "backup"
        await press_id(pilot, "stages-add")  # "+ Stage": two stages, nobody ticked in either
        await press_id(pilot, "stages-save")
        assert app.screen is editor
        assert error_text(editor).startswith("Stage 1 engages: tick at least one contact"), error_text(editor)
        assert editor.query_one("#stage-1-contacts", SelectionList).has_class("-invalid")

        editor.query_one("#stage-1-contacts", SelectionList).select(alice)
        await press_id(pilot, "stages-save")  # stage 2 still engages nobody
        assert isinstance(app.screen, ConfirmModal)
        await press_id(pilot, "confirm-no")
        assert app.screen is editor
        assert error_text(editor) == "Stage 2 engages nobody: 5 minutes in which nobody is paged"
        assert editor.query_one("#stage-2-contacts", SelectionList).has_class("-invalid")
        assert [c["Alias"] for c in (await client.call("ListContacts", {"Type": "ESCALATION"}))["Contacts"]] == ["primary"]

        await press_id(pilot, "stages-save")
        await press_id(pilot, "confirm-yes")
        assert app.screen is screen
        backup = next(c for c in (await client.call("ListContacts", {"Type": "ESCALATION"}))["Contacts"]
                      if c["Alias"] == "backup")
        stages = (await client.call("GetContact", {"ContactId": backup["ContactArn"]}))["Plan"]["Stages"]
        assert [len(s["Targets"]) for s in stages] == [1, 0]
        assert screen.selected == backup["ContactArn"]  # the new plan is selected: e acts on it
        await press_id(pilot, "plan-edit")
        assert app.screen.query_one("#alias", Input).value == "backup"


async def test_an_empty_stage_of_0_minutes_is_refused_on_its_minutes(client, clock, make_app):
    alice = await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(pilot, "plans")
        await press_id(pilot, "plan-new")
        editor = app.screen
        editor.query_one("#alias", Input).value = "backup"
        editor.query_one("#stage-1-contacts", SelectionList).select(alice)
        await press_id(pilot, "stages-add")
        editor.query_one("#stage-2-minutes", Input).value = "0"
        await press_id(pilot, "stages-save")
        assert app.screen is editor
        assert error_text(editor).startswith("Stage 2 minutes: can be 0 only in a stage that engages someone"), \
            error_text(editor)
        assert len(editor.query(StageBox)) == 2


async def test_a_new_rotation_is_the_selected_row(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "schedules")
        await press_id(pilot, "rotation-new")
        editor = app.screen
        assert isinstance(editor, PrepRotationEditor)
        editor.query_one("#name", Input).value = "night"
        editor.query_one("#members", SelectionList).select_all()
        await press_id(pilot, "rotation-save")
        assert app.screen is screen, error_text(editor)
        assert screen.table.get_row(screen.selected)[0] == "night"
        await press_id(pilot, "rotation-edit")
        assert app.screen.query_one("#name", Input).value == "night"


async def test_a_new_response_plan_is_the_selected_row(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "responseplans")
        await press_id(pilot, "response-plan-new")
        form = app.screen
        assert isinstance(form, PrepResponsePlanForm)
        form.query_one("#name", Input).value = "zz-checkout"
        form.query_one("#title", Input).value = "Checkout down"
        await press_id(pilot, "plan-form-save")
        assert app.screen is screen, error_text(form)
        assert screen.table.get_row(screen.selected)[0] == "zz-checkout"
