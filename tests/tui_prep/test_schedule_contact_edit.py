"""Contacts: e on an on-call schedule contact edits its rotations (it opened the personal form,
whose save failed naming Plan.RotationIds); a saved contact is the selected row. The real app
on a real core."""

from __future__ import annotations

from textual.widgets import Input, SelectionList, Static

from cockpit.contacts.editor import PrepContactEditor
from cockpit.contacts.schedule_editor import ScheduleContactEditor
from tests.support.contacts import personal_contact
from tests.tui_prep.conftest import press_id, settle


async def rotation(client, clock, name: str, member: str) -> str:
    return (await client.call("CreateRotation", {
        "Name": name, "ContactIds": [member], "StartTime": clock.now(), "TimeZoneId": "UTC",
        "Recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1,
                       "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]}}))["RotationArn"]


async def test_e_on_a_schedule_contact_edits_its_rotations(client, clock, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    day = await rotation(client, clock, "day", alice)
    night = await rotation(client, clock, "night", alice)
    schedule = (await client.call("CreateContact", {"Alias": "primary-oncall", "DisplayName": "Primary",
                                                    "Type": "ONCALL_SCHEDULE",
                                                    "Plan": {"Stages": [], "RotationIds": [day]}}))["ContactArn"]
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        app.switch_mode("contacts")
        await settle(pilot)
        screen = app.screen
        screen.table.move_cursor(row=screen.table.get_row_index(schedule))
        await press_id(pilot, "contact-edit")
        editor = app.screen
        assert isinstance(editor, ScheduleContactEditor), type(editor)
        rotations = editor.query_one("#rotations", SelectionList)
        assert rotations.selected == [day]
        await press_id(pilot, "schedule-contact-save")  # unchanged: it saves
        assert app.screen is screen, app.screen
        assert app.last_flash == ("saved on-call schedule primary-oncall", "success")
        assert screen.selected == schedule

        await press_id(pilot, "contact-edit")
        editor = app.screen
        rotations = editor.query_one("#rotations", SelectionList)
        rotations.deselect_all()
        await press_id(pilot, "schedule-contact-save")
        assert app.screen is editor
        message = str(editor.query_one("#form-error", Static).render())
        assert message.startswith("Rotations: tick at least one"), message
        assert rotations.has_class("-invalid")

        rotations.select(day)
        rotations.select(night)
        editor.query_one("#display-name", Input).value = "Primary on call"
        await press_id(pilot, "schedule-contact-save")
        assert app.screen is screen
    got = await client.call("GetContact", {"ContactId": schedule})
    assert (got["DisplayName"], got["Plan"]["RotationIds"]) == ("Primary on call", [day, night])


async def test_a_rotation_refused_by_the_core_is_named_as_the_form_does(client, clock, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    day = await rotation(client, clock, "day", alice)
    gone = await rotation(client, clock, "gone", alice)
    schedule = (await client.call("CreateContact", {"Alias": "primary-oncall", "Type": "ONCALL_SCHEDULE",
                                                    "Plan": {"Stages": [], "RotationIds": [day]}}))["ContactArn"]
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        app.switch_mode("contacts")
        await settle(pilot)
        app.screen.table.move_cursor(row=app.screen.table.get_row_index(schedule))
        await press_id(pilot, "contact-edit")
        editor = app.screen
        editor.query_one("#rotations", SelectionList).select(gone)
        await client.call("DeleteRotation", {"RotationId": gone})  # deleted while the form is open
        await press_id(pilot, "schedule-contact-save")
        assert app.screen is editor
        message = str(editor.query_one("#form-error", Static).render())
        assert message.startswith("Rotations: names a rotation that does not exist"), message
        assert "Plan." not in message and "RotationIds" not in message


async def test_a_new_contact_is_the_selected_row_after_saving(client, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        app.switch_mode("contacts")
        await settle(pilot)
        screen = app.screen
        await press_id(pilot, "contact-new")
        editor = app.screen
        assert isinstance(editor, PrepContactEditor)
        editor.query_one("#alias", Input).value = "zed"
        editor.query_one("#channel-1-name", Input).value = "mail"
        editor.query_one("#channel-1-address", Input).value = "zed@example.com"
        await press_id(pilot, "contact-save")
        assert app.screen is screen
        assert screen.table.get_row(screen.selected)[0] == "zed"
        assert screen.query_one("#channels").get_row_at(0)[0] == "mail"  # its channels shown
        await press_id(pilot, "contact-edit")  # the next key acts on it
        assert app.screen.query_one("#alias", Input).value == "zed"


async def test_every_key_and_button_of_the_schedule_form(client, clock, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    day = await rotation(client, clock, "day", alice)
    schedule = (await client.call("CreateContact", {"Alias": "primary-oncall", "Type": "ONCALL_SCHEDULE",
                                                    "Plan": {"Stages": [], "RotationIds": [day]}}))["ContactArn"]
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        app.switch_mode("contacts")
        await settle(pilot)
        screen = app.screen
        for press in [*(("key", b.id) for b in ScheduleContactEditor.BINDINGS), ("button", "submit"), ("button", "cancel")]:
            screen.table.move_cursor(row=screen.table.get_row_index(schedule))
            await press_id(pilot, "contact-edit")
            assert isinstance(app.screen, ScheduleContactEditor)
            if press[0] == "key":
                await press_id(pilot, press[1])
            else:
                app.screen.query_one(f"#{press[1]}").scroll_visible(animate=False)
                await settle(pilot)
                await pilot.click(f"#{press[1]}")
                await settle(pilot)
            assert app.screen is screen, press  # saved unchanged, or closed
        assert app.return_code is None
