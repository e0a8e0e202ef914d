"""Forms under pressure (issue 8, items 3 and 8): every button and key of every preparation
form can be pressed without crashing the app; a save the core refuses keeps the dialog open
with what was typed and the error on the field, in the form's words; and no save leaves half a
result behind. The real app on a real core, keys pressed by binding id."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, SelectionList, Static

from cockpit.contacts.editor import PrepContactEditor
from cockpit.plans.stage_editor import PrepStageEditor, StageBox
from cockpit.responseplans.editor import PrepResponsePlanForm
from cockpit.schedules.rotation_editor import PrepOverrideEditor, PrepRotationEditor
from tests.support.contacts import escalation_plan, personal_contact
from tests.tui_prep.conftest import press_id, settle

# (area, binding that opens the form, the form's type)
FORMS = [
    ("contacts", "contact-new", PrepContactEditor),
    ("contacts", "contact-edit", PrepContactEditor),
    ("plans", "plan-new", PrepStageEditor),
    ("plans", "plan-edit", PrepStageEditor),
    ("schedules", "rotation-new", PrepRotationEditor),
    ("schedules", "rotation-edit", PrepRotationEditor),
    ("schedules", "rotation-override", PrepOverrideEditor),
    ("responseplans", "response-plan-new", PrepResponsePlanForm),
    ("responseplans", "response-plan-edit", PrepResponsePlanForm),
]


async def prepared(client, clock) -> None:
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    await escalation_plan(client, "primary", [(5, [(alice, True)])])
    await client.call("CreateRotation", {
        "Name": "day", "ContactIds": [alice], "StartTime": clock.now(), "TimeZoneId": "UTC",
        "Recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1,
                       "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]}})
    await client.call("CreateResponsePlan", {"name": "api", "incidentTemplate": {"title": "API down", "impact": 3}})


async def open_form(pilot, area: str, opener: str, form_type: type):
    app = pilot.app
    while len(app.screen_stack) > 1:
        app.pop_screen()
    app.switch_mode(area)
    await settle(pilot)
    await press_id(pilot, opener)
    assert isinstance(app.screen, form_type), (opener, app.screen, app.last_flash)
    return app.screen


@pytest.mark.parametrize(("area", "opener", "form_type"), FORMS, ids=[f[1] for f in FORMS])
async def test_every_button_and_key_of_every_form(client, clock, make_app, area, opener, form_type):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, area, opener, form_type)
        binding_ids = [b.id for b in form_type.BINDINGS if b.id]
        button_ids = [b.id for b in form.query(Button) if b.id]
        assert binding_ids and button_ids
        for binding_id in binding_ids:
            form = await open_form(pilot, area, opener, form_type)
            await press_id(pilot, binding_id)  # a crash (NoMatches...) fails the test here
            assert app.return_code is None
        for button_id in button_ids:
            form = await open_form(pilot, area, opener, form_type)
            form.query_one(f"#{button_id}").scroll_visible(animate=False)  # a button inside the form's scroll area
            await settle(pilot)
            await pilot.click(f"#{button_id}")
            await settle(pilot)
            assert app.return_code is None


async def test_add_stage_adds_a_stage_and_focuses_its_minutes(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_form(pilot, "plans", "plan-new", PrepStageEditor)
        await press_id(pilot, "stages-add")
        boxes = list(editor.query(StageBox))
        assert len(boxes) == 2
        assert app.focused is boxes[1].query_one(".minutes", Input)
        await pilot.click("#add")
        await settle(pilot)
        assert len(editor.query(StageBox)) == 3


def error_text(form) -> str:
    return str(form.query_one("#form-error", Static).render())


async def test_a_rejected_channel_keeps_the_dialog_and_leaves_no_contact(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_form(pilot, "contacts", "contact-new", PrepContactEditor)
        editor.query_one("#display-name", Input).value = "Bob Builder"
        editor.query_one("#alias", Input).value = "bob"
        editor.query_one("#channel-1-name", Input).value = "mail"
        editor.query_one("#channel-1-address", Input).value = "not-an-email"
        await press_id(pilot, "contact-save")

        assert app.screen is editor  # still open, with what was typed
        assert editor.query_one("#alias", Input).value == "bob"
        assert editor.query_one("#channel-1-address", Input).value == "not-an-email"
        message = error_text(editor)
        assert message.startswith("Channel 1 address: must be an email address"), message
        assert "DeliveryAddress" not in message and "SimpleAddress" not in message
        assert editor.query_one("#channel-1-address", Input).has_class("-invalid")
        aliases = [c["Alias"] for c in (await client.call("ListContacts", {}))["Contacts"]]
        assert "bob" not in aliases  # the contact made for this save was taken back

        editor.query_one("#channel-1-address", Input).value = "bob@example.com"
        await press_id(pilot, "contact-save")
        assert app.screen is not editor
        bob = next(c for c in (await client.call("ListContacts", {}))["Contacts"] if c["Alias"] == "bob")
        channels = (await client.call("ListContactChannels", {"ContactId": bob["ContactArn"]}))["ContactChannels"]
        assert [c["DeliveryAddress"]["SimpleAddress"] for c in channels] == ["bob@example.com"]
        assert app.last_flash[1] == "success"


async def test_a_rejected_channel_on_an_existing_contact_adds_nothing(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    alice = (await client.call("ListContacts", {"Type": "PERSONAL"}))["Contacts"][0]["ContactArn"]
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_form(pilot, "contacts", "contact-edit", PrepContactEditor)
        await press_id(pilot, "contact-add-channel")
        editor.query_one("#channel-2-name", Input).value = "mail2"
        editor.query_one("#channel-2-address", Input).value = "alice2@example.com"
        editor.query_one("#channel-3-name", Input).value = "sms"
        editor.query_one("#channel-3-address", Input).value = "123"
        editor.query_one("#channel-3-type").value = "SMS"
        await press_id(pilot, "contact-save")
        assert app.screen is editor
        assert error_text(editor).startswith("Channel 3 address: must be an E.164 phone number")
        channels = (await client.call("ListContactChannels", {"ContactId": alice}))["ContactChannels"]
        assert len(channels) == 1  # channel 2, made by this save, was taken back


async def test_a_refused_plan_name_is_shown_on_its_field(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "responseplans", "response-plan-new", PrepResponsePlanForm)
        form.query_one("#name", Input).value = "Bad Name!"
        form.query_one("#title", Input).value = "Checkout down"
        await press_id(pilot, "plan-form-save")
        assert app.screen is form
        assert error_text(form).startswith("Name: "), error_text(form)
        assert form.query_one("#name", Input).has_class("-invalid")
        assert form.query_one("#title", Input).value == "Checkout down"


async def test_a_bad_hand_off_time_is_refused_in_the_form(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "schedules", "rotation-new", PrepRotationEditor)
        form.query_one("#name", Input).value = "night"
        form.query_one("#hand-off", Input).value = "9am"
        form.query_one("#members", SelectionList).select_all()
        await press_id(pilot, "rotation-save")
        assert app.screen is form
        assert error_text(form) == "at (HH:MM): must look like 09:00"
        names = [r["Name"] for r in (await client.call("ListRotations", {}))["Rotations"]]
        assert names == ["day"]


async def test_an_escalation_plan_name_conflict_keeps_the_stages(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_form(pilot, "plans", "plan-new", PrepStageEditor)
        editor.query_one("#alias", Input).value = "primary"  # taken
        await press_id(pilot, "stages-add")
        for box in editor.query(StageBox):
            box.query_one(".stage-contacts", SelectionList).select_all()
        await press_id(pilot, "stages-save")
        assert app.screen is editor
        assert "already exists" in error_text(editor)
        assert len(editor.query(StageBox)) == 2
