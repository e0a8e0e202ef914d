"""Contacts: activating a channel takes only the code it was sent (an activated channel takes
none), and a save that fails sends nobody a message. The real app on a real core."""

from __future__ import annotations

from textual.widgets import Input, Static

from cockpit.contacts.editor import PrepContactEditor
from cockpit.shell.code_entry import PrepCodeEntry
from tests.support.contacts import activation_code, personal_contact
from tests.tui_prep.conftest import press_id, settle


async def outbox(client) -> list[dict]:
    return (await client.call("ListOutboxMessages", {}))["messages"]


async def open_contacts(pilot) -> None:
    pilot.app.switch_mode("contacts")
    await settle(pilot)


async def test_a_on_an_activated_channel_says_so_and_asks_for_no_code(client, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    await personal_contact(client, "ana", [("EMAIL", "ana@example.com")])
    sent = len(await outbox(client))
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contacts(pilot)
        assert app.screen.query_one("#channels").get_row_at(0)[3] == "activated"
        await press_id(pilot, "channel-activate")
        assert not isinstance(app.screen, PrepCodeEntry)
        assert app.last_flash == ("channel email-0 is already activated: it needs no code", "warning")
        await press_id(pilot, "channel-send-code")
        assert "already activated" in app.last_flash[0]
    assert len(await outbox(client)) == sent  # and no code was claimed to be sent


async def test_a_wrong_code_is_refused_in_the_dialog(client, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    ana = (await client.call("CreateContact", {"Alias": "ana", "Type": "PERSONAL", "Plan": {"Stages": []}}))["ContactArn"]
    channel = (await client.call("CreateContactChannel", {"ContactId": ana, "Name": "mail", "Type": "EMAIL",
                                                          "DeliveryAddress": {"SimpleAddress": "ana@example.com"}}))
    code = await activation_code(client, channel["ContactChannelArn"])
    wrong = next(c for c in ("999999", "424242") if c != code)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contacts(pilot)
        await press_id(pilot, "channel-activate")
        entry = app.screen
        assert isinstance(entry, PrepCodeEntry)
        await pilot.press(*wrong, "enter")
        await settle(pilot)
        assert app.screen is entry
        assert str(entry.query_one("#form-error", Static).render()).startswith("Code: is wrong (4 attempts left")
        entry.query_one("#code", Input).value = ""
        await pilot.press(*code, "enter")
        await settle(pilot)
        assert app.screen is not entry
        assert app.screen.query_one("#channels").get_row_at(0)[3] == "activated"


async def test_a_save_that_fails_sends_no_activation_code(client, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contacts(pilot)
        await press_id(pilot, "contact-new")
        editor = app.screen
        assert isinstance(editor, PrepContactEditor)
        editor.query_one("#alias", Input).value = "yan"
        editor.query_one("#channel-1-name", Input).value = "x"
        editor.query_one("#channel-1-address", Input).value = "yan@example.com"
        await press_id(pilot, "contact-add-channel")
        editor.query_one("#channel-2-name", Input).value = "x"
        editor.query_one("#channel-2-address", Input).value = "yan2@example.com"
        await press_id(pilot, "contact-save")
        assert app.screen is editor
        message = str(editor.query_one("#form-error", Static).render())
        assert message == "Channel 2 name: contact yan already has a channel named 'x'", message
        assert editor.query_one("#channel-2-name", Input).has_class("-invalid")
        assert (await client.call("ListContacts", {}))["Contacts"] == []
        assert await outbox(client) == []  # channel 1's code was never sent

        editor.query_one("#channel-2-name", Input).value = "y"
        await press_id(pilot, "contact-save")
        assert app.screen is not editor
        assert sorted(m["kind"] for m in await outbox(client)) == ["activation", "activation"]
        assert "; 2 activation codes sent, press a" in app.last_flash[0]


async def test_no_code_pending_says_which_key_sends_one(client, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    ana = (await client.call("CreateContact", {"Alias": "ana", "Type": "PERSONAL", "Plan": {"Stages": []}}))["ContactArn"]
    await client.call("CreateContactChannel", {"ContactId": ana, "Name": "mail", "Type": "EMAIL", "DeferActivation": True,
                                               "DeliveryAddress": {"SimpleAddress": "ana@example.com"}})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_contacts(pilot)
        await press_id(pilot, "channel-activate")
        entry = app.screen
        await pilot.press(*"123456", "enter")
        await settle(pilot)
        assert app.screen is entry
        message = str(entry.query_one("#form-error", Static).render())
        assert message == "Code: cannot be checked: no code is pending for this channel; send one (esc, then s)", message
        assert entry.query_one("#code", Input).has_class("-invalid")
