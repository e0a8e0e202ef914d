"""First run opens the wizard; `:ack CODE` acknowledges by code; open tiles count engagements
live. The real app on a real core (temp SQLite, fake clock)."""

from __future__ import annotations

import re

from cockpit.build import build_app
from cockpit.incidents.list_screen import IncidentListScreen, tile_id
from cockpit.wizard.screen import WizardScreen
from tests.support.contacts import escalation_plan, personal_contact
from tests.tui.helpers import press_binding, settle
from widgets.incident_tile import IncidentTile


async def test_an_empty_workspace_opens_the_wizard(client, clock, settings) -> None:
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.current_mode == "prepare"
        assert isinstance(app.screen, WizardScreen)
        assert "This site's region: local" in str(app.screen.query_one("#wizard-region").render())


async def test_a_prepared_workspace_opens_the_incident_list(ready, clock, settings) -> None:
    client, _ = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.current_mode == "incidents"
        assert isinstance(app.screen, IncidentListScreen)


async def engaged(client, clock) -> tuple[str, str, str]:
    """An incident whose plan pages alice (stage 1) and will page bob (stage 2)."""
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    bob, _ = await personal_contact(client, "bob", [("SMS", "+15555550100")])
    plan = await escalation_plan(client, "primary", [(5, [(alice, True)]), (5, [(bob, False)])])
    rp = await client.call("CreateResponsePlan", {"name": "api", "engagements": [plan],
                                                  "incidentTemplate": {"title": "API is down", "impact": 3}})
    incident = (await client.call("StartIncident", {"responsePlanArn": rp["arn"]}))["incidentRecordArn"]
    await clock.advance(seconds=1)  # the outbox sends alice's page
    return incident, alice, bob


async def accept_code(client, contact: str) -> str:
    pages = [m for m in (await client.call("ListOutboxMessages", {"maxResults": 100}))["messages"]
             if m["kind"] == "page" and m["contactArn"] == contact]
    return re.search(r"Accept code: (\d{6})", pages[0]["body"]).group(1)


async def command(pilot, text: str) -> None:
    await press_binding(pilot, "command-line")
    await pilot.press(*text, "enter")
    await settle(pilot)


async def test_ack_code_on_the_command_line_acknowledges_the_page(client, clock, settings) -> None:
    incident, alice, _ = await engaged(client, clock)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await command(pilot, "ack " + await accept_code(client, alice))
        message, level = app.last_flash
        assert level == "success", message
        assert "alice acknowledged" in message and "API is down" in message
        states = {e["contactName"]: e["state"] for e in
                  (await client.call("ListIncidentEngagements", {"incidentRecordArn": incident}))["engagements"]}
        assert states["Alice"] == "acknowledged"

        await command(pilot, "ack 999999")
        message, level = app.last_flash
        assert level == "error" and message.startswith("No open page has that code"), message

        await command(pilot, "ack")
        assert app.last_flash == ("usage: :ack CODE [note] (the accept code from the page)", "warning")


async def test_open_tiles_name_who_is_engaged_and_who_acknowledged_live(client, clock, settings) -> None:
    incident, alice, _ = await engaged(client, clock)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tile = app.screen.query_one(f"#{tile_id(incident)}", IncidentTile)
        assert (tile.engaged, tile.acknowledged) == (("Alice",), ())  # bob's stage is still waiting
        assert tile.people_text() == "engaged Alice · acknowledged nobody"

        await client.call("AcceptPageByCode", {"acceptCode": await accept_code(client, alice)})
        await pilot.pause(0.3)  # the counts reload after a short debounce
        await settle(pilot)
        assert (tile.engaged, tile.acknowledged) == (("Alice",), ("Alice",))  # essential: bob is never paged
        assert tile.people_text() == "engaged Alice · acknowledged Alice"
        assert "engaged Alice · acknowledged Alice" in str(tile.render())

        plans = (await client.call("ListContacts", {"Type": "ESCALATION"}))["Contacts"]
        await client.call("StartEngagement", {"ContactId": plans[0]["ContactArn"], "Sender": "t", "Subject": "s",
                                              "Content": "c", "IncidentId": incident})
        await pilot.pause(0.3)
        await settle(pilot)
        assert (tile.engaged, tile.acknowledged) == (("Alice",), ("Alice",))  # alice once, though paged twice
