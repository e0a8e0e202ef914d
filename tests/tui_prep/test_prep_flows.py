"""End-to-end preparation workflows against a real core."""

from __future__ import annotations

from textual.widgets import Input, SelectionList

from cockpit.incidents.engagements_pane import EngagementsPane
from cockpit.shell.screen import CockpitScreen
from tests.support.contacts import activation_code, escalation_plan, personal_contact
from tests.tui_prep.conftest import press_id, settle


def fill(screen, values: dict[str, str]) -> None:
    for selector, value in values.items():
        screen.query_one(selector, Input).value = value


async def channel_arns(client, alias: str) -> list[str]:
    contact = await client.call("GetContact", {"ContactId": f"arn:aws:ssm-contacts:local:{(await account(client))}:contact/{alias}"})
    return [c["ContactChannelArn"] for c in (await client.call("ListContactChannels", {"ContactId": contact["ContactArn"]}))["ContactChannels"]]


async def account(client) -> str:
    listed = await client.call("ListContacts", {})
    return listed["Contacts"][0]["ContactArn"].split(":")[4]


async def test_walk_the_wizard_on_an_empty_workspace(client, make_app):
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        app.switch_mode("prepare")
        await settle(pilot)
        await pilot.press("space")  # the agreement checkbox has focus
        await press_id(pilot, "wizard-create")
        assert (await client.call("ListReplicationSets", {}))["replicationSetArns"]
        assert app.screen.step == "contacts"

        await press_id(pilot, "wizard-create")
        fill(app.screen, {"#display-name": "Alice", "#alias": "alice", ".ch-name": "mail", ".ch-address": "alice@example.com"})
        await press_id(pilot, "contact-save")
        arn = (await channel_arns(client, "alice"))[0]
        await press_id(pilot, "wizard-activate")
        await pilot.press(*await activation_code(client, arn), "enter")
        await settle(pilot)
        channel = await client.call("GetContactChannel", {"ContactChannelId": arn})
        assert channel["ActivationStatus"] == "ACTIVATED"

        await press_id(pilot, "wizard-next")
        await press_id(pilot, "wizard-create")
        fill(app.screen, {"#alias": "primary"})
        app.screen.query_one(SelectionList).select_all()
        await press_id(pilot, "stages-save")
        plans = (await client.call("ListContacts", {"Type": "ESCALATION"}))["Contacts"]
        assert [p["Alias"] for p in plans] == ["primary"]

        await press_id(pilot, "wizard-next")
        await press_id(pilot, "wizard-create")
        fill(app.screen, {"#name": "api-outage", "#title": "API is down"})
        app.screen.query_one("#engagements", SelectionList).select(plans[0]["ContactArn"])
        await press_id(pilot, "plan-form-save")
        plan = await client.call("GetResponsePlan", {"arn": (await client.call("ListResponsePlans", {}))["responsePlanSummaries"][0]["arn"]})
        assert plan["engagements"] == [plans[0]["ContactArn"]]

        await press_id(pilot, "wizard-finish")
        assert app.current_mode == "incidents"


async def test_skip_optional_steps(client, make_app):
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        app.switch_mode("prepare")
        await settle(pilot)
        await pilot.press("space")
        await press_id(pilot, "wizard-create")
        await press_id(pilot, "wizard-next")  # skip contacts
        await press_id(pilot, "wizard-next")  # skip escalation plan
        assert app.screen.step == "response"


async def test_create_a_contact_and_activate_it_with_the_code_from_the_outbox(client, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        app.switch_mode("contacts")
        await settle(pilot)
        await press_id(pilot, "contact-new")
        fill(app.screen, {"#display-name": "Bob", "#alias": "bob", ".ch-name": "mail", ".ch-address": "bob@example.com"})
        await press_id(pilot, "contact-save")
        screen = app.screen
        assert screen.table.row_count == 1, (app.last_flash, type(screen))
        assert screen.table.get_row_at(0)[0] == "bob"
        channels = screen.query_one("#channels")
        assert channels.get_row_at(0)[3] == "not activated"
        arn = (await channel_arns(client, "bob"))[0]
        await press_id(pilot, "channel-activate")
        await pilot.press(*await activation_code(client, arn), "enter")
        await settle(pilot)
        assert channels.get_row_at(0)[3] == "activated"
        assert "channel activated" in app.last_flash[0]


class PaneHost(CockpitScreen):
    CRUMB = "Engagements"

    def __init__(self, incident_arn: str) -> None:
        super().__init__()
        self.incident_arn = incident_arn

    def compose_body(self):
        yield EngagementsPane(self.incident_arn, "API is down")


async def engaged_incident(client, clock) -> tuple[str, str]:
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    bob, _ = await personal_contact(client, "bob", [("EMAIL", "bob@example.com")])
    plan = await escalation_plan(client, "primary", [(5, [(alice, True)]), (5, [(bob, False)])])
    rp = await client.call("CreateResponsePlan", {"name": "api", "incidentTemplate": {"title": "API is down", "impact": 2},
                                                  "engagements": [plan]})
    incident = (await client.call("StartIncident", {"responsePlanArn": rp["arn"]}))["incidentRecordArn"]
    await clock.advance(seconds=1)  # the first stage pages
    return incident, alice


async def test_k_acknowledges_an_engagement_directly_and_stops_the_plan(client, clock, make_app):
    incident, alice = await engaged_incident(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(PaneHost(incident))
        await settle(pilot)
        table = app.screen.query_one("EngagementTable")
        states = {table.get_row_at(i)[0]: table.get_row_at(i)[4] for i in range(table.row_count)}
        assert states == {"primary": "engaged", "Alice": "paged", "Bob": "waiting"}
        table.move_cursor(row=[table.get_row_at(i)[0] for i in range(table.row_count)].index("Alice"))
        table.focus()
        await press_id(pilot, "engagement-ack")  # no code to type
        await press_id(pilot, "confirm-yes")  # local-admin, not Alice: asked first
        assert app.screen.__class__ is PaneHost
        states = {table.get_row_at(i)[0]: table.get_row_at(i)[4] for i in range(table.row_count)}
        assert states["Alice"] == "acknowledged"
        assert "Bob" not in states  # acknowledgement stopped the plan's progression
        assert app.last_flash == ("acknowledged Alice's page: their escalation stops here", "success")
        assert table.columns["state"].content_width >= len("acknowledged")  # grown, not clipped
        [page] = (await client.call("ListPagesByContact", {"ContactId": alice}))["Pages"]
        receipts = (await client.call("ListPageReceipts", {"PageId": page["PageArn"]}))["Receipts"]
        assert any(r["ReceiptType"] == "READ" and "AcknowledgePage" in r["ReceiptInfo"] for r in receipts)
        await clock.advance(minutes=10)
        pages = (await client.call("ListOutboxMessages", {"maxResults": 100}))["messages"]
        assert not [m for m in pages if m["kind"] == "page" and m["contactArn"].endswith("/bob")]


async def test_k_on_a_waiting_or_acknowledged_engagement_explains(client, clock, make_app):
    incident, _ = await engaged_incident(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(PaneHost(incident))
        await settle(pilot)
        table = app.screen.query_one("EngagementTable")
        names = [table.get_row_at(i)[0] for i in range(table.row_count)]
        table.move_cursor(row=names.index("Bob"))
        table.focus()
        await press_id(pilot, "engagement-ack")
        assert app.last_flash == ("Bob is not paged yet: press k on their row once it says paged", "warning")
        assert table.cursor_row == names.index("Bob")  # k did not move the cursor up either
        table.move_cursor(row=names.index("Alice"))
        await press_id(pilot, "engagement-ack")
        await press_id(pilot, "confirm-yes")  # Alice's page, acknowledged by the administrator: asked first
        await press_id(pilot, "engagement-ack")
        assert app.last_flash == ("Alice already acknowledged", "info")
