"""Editing and deleting contacts, rotations with overrides and their shift preview, and the
outbox filters: the real app on a real core, keys pressed by binding id."""

from __future__ import annotations

from textual.widgets import Input, SelectionList

from cockpit.shell.confirm import ConfirmModal
from tests.support.contacts import escalation_plan, personal_contact
from tests.tui_prep.conftest import press_id, settle


async def contacts_screen(pilot, app):
    app.switch_mode("contacts")
    await settle(pilot)
    return app.screen


def rows(table) -> list[tuple]:
    return [tuple(table.get_row_at(i)) for i in range(table.row_count)]


async def test_edit_a_contact_and_add_a_channel(client, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await contacts_screen(pilot, app)
        await press_id(pilot, "contact-edit")
        editor = app.screen
        assert editor.query_one("#alias", Input).disabled  # the alias is the contact's id
        editor.query_one("#display-name", Input).value = "Alice Liddell"
        await press_id(pilot, "contact-add-channel")
        editor.query(".ch-name").last(Input).value = "phone"
        editor.query(".ch-address").last(Input).value = "alice-sms@example.com"
        await press_id(pilot, "contact-save")
        assert app.screen is screen, app.last_flash
        assert rows(screen.table) == [("alice", "Alice Liddell", "personal")]
        assert [r[0] for r in rows(screen.query_one("#channels"))] == ["email-0", "phone"]
        assert app.last_flash[1] == "success"


async def test_delete_a_contact_asks_first(client, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await contacts_screen(pilot, app)
        await press_id(pilot, "contact-delete")
        assert isinstance(app.screen, ConfirmModal)
        await press_id(pilot, "confirm-no")
        assert screen.table.row_count == 1
        await press_id(pilot, "contact-delete")
        await press_id(pilot, "confirm-yes")
        assert screen.table.row_count == 0
        assert (await client.call("ListContacts", {}))["Contacts"] == []


async def test_deleting_a_contact_an_escalation_plan_uses_shows_why_not(client, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    await escalation_plan(client, "primary", [(5, [(alice, True)])])
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await contacts_screen(pilot, app)
        await press_id(pilot, "contact-delete")
        await press_id(pilot, "confirm-yes")
        message, level = app.last_flash
        assert level == "error" and "ConflictException" not in message, message  # words, not a class
        assert "primary" in message  # the core names the plan that uses it
        assert screen.table.row_count == 1


async def test_create_a_rotation_and_an_override_and_see_the_shifts(client, clock, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    await personal_contact(client, "bob", [("EMAIL", "bob@example.com")])
    app = make_app(client)
    async with app.run_test(size=(100, 30)) as pilot:
        app.switch_mode("schedules")
        await settle(pilot)
        screen = app.screen
        await press_id(pilot, "rotation-new")
        editor = app.screen
        editor.query_one("#name", Input).value = "primary"
        editor.query_one("#every", Input).value = "1"
        editor.query_one("#kind").value = "daily"
        editor.query_one("#schedule", Input).value = "primary-oncall"
        editor.query_one("#members", SelectionList).select_all()
        await press_id(pilot, "rotation-save")
        assert rows(screen.table)[0][:3] == ("primary", "alice, bob", "every day at 09:00"), app.last_flash
        shifts = screen.query_one("#shifts")
        preview = rows(shifts)
        assert 14 <= len(preview) <= 15  # daily hand-offs over the next 14 days
        assert [r[2] for r in preview[:4]] == ["alice", "bob", "alice", "bob"]
        schedules = (await client.call("ListContacts", {"Type": "ONCALL_SCHEDULE"}))["Contacts"]
        assert [c["Alias"] for c in schedules] == ["primary-oncall"]

        await press_id(pilot, "rotation-override")
        override = app.screen
        override.query_one("#members", SelectionList).select(
            next(arn for label, arn in override.people if label == "bob"))
        await press_id(pilot, "rotation-save")
        assert app.last_flash == ("override added", "success")
        kinds = [r[3] for r in rows(shifts)]
        assert "overridden" in kinds, rows(shifts)[:5]
        overridden = next(r for r in rows(shifts) if r[3] == "overridden")
        assert overridden[2] == "bob"


async def test_outbox_filters_by_channel_and_status(client, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    await personal_contact(client, "alice", [("EMAIL", "alice@example.com"), ("SMS", "+15555550100")])
    app = make_app(client)
    async with app.run_test(size=(100, 30)) as pilot:
        app.switch_mode("outbox")
        await settle(pilot)
        screen = app.screen
        assert {r[1] for r in rows(screen.table)} == {"EMAIL", "SMS"}
        await press_id(pilot, "outbox-channel")
        assert app.last_flash[0] == "outbox: channel EMAIL"
        assert {r[1] for r in rows(screen.table)} == {"EMAIL"}
        await press_id(pilot, "outbox-channel")
        assert {r[1] for r in rows(screen.table)} == {"SMS"}
        sms = screen.table.row_count
        await press_id(pilot, "outbox-status")
        pending = rows(screen.table)
        assert {r[4] for r in pending} <= {"pending"}
        await press_id(pilot, "outbox-status")
        sent = rows(screen.table)
        assert {r[4] for r in sent} <= {"sent"}
        assert len(pending) + len(sent) == sms >= 1
        assert screen.sub_title == "channel SMS · status sent"
