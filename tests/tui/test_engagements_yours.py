"""The Engagements tab as a responder linked to a contact, through a LocalClient acting as that
user and through a RemoteClient with the user's key: their own engagement is marked "you" and `k`
acknowledges it; on someone else's page the Footer's `k` is dimmed and pressing it says whose
page it is, without calling the core."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from textual.widgets import DataTable

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from core.security.roles import principal_for_role
from tests.support.contacts import personal_contact
from tests.support.served import served_core
from tests.tui.helpers import press_binding, settle


@pytest.fixture(params=["local", "remote"])
async def ann(request, core) -> AsyncIterator:
    """A client acting as ann, a responder linked to the contact alice."""
    async with served_core(core) as served:
        admin = core.client()
        alice, _ = await personal_contact(admin, "alice", [("EMAIL", "alice@example.com")])
        user = (await admin.call("UpdateUser", {"userName": "ann", "contactArn": alice}))["user"]
        if request.param == "local":
            yield core.client(principal_for_role(user["userArn"], "ann", "responder"))
            return
        remote = served.remote("ann")
        try:
            yield remote
        finally:
            await remote.aclose()


async def _engaged(core, clock) -> tuple[str, dict[str, str]]:
    """An incident engaging alice and bob: (incident, contact name -> page)."""
    admin = core.client()
    bob, _ = await personal_contact(admin, "bob", [("EMAIL", "bob@example.com")])
    contacts = {c["Alias"]: c["ContactArn"] for c in (await admin.call("ListContacts", {}))["Contacts"]}
    plan = (await admin.call("CreateResponsePlan", {
        "name": "api", "incidentTemplate": {"title": "API is down", "impact": 2}}))["arn"]
    incident = (await admin.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    for alias in ("alice", "bob"):
        await admin.call("StartEngagement", {"ContactId": contacts[alias], "Sender": "ops", "Subject": "API down",
                                             "Content": "Join the bridge", "IncidentId": incident})
    await clock.advance(seconds=0)
    pages = {alias: (await admin.call("ListPagesByContact", {"ContactId": arn}))["Pages"][0]["PageArn"]
             for alias, arn in contacts.items()}
    return incident, pages


async def _read_by(core, page: str) -> list[str]:
    receipts = (await core.client().call("ListPageReceipts", {"PageId": page}))["Receipts"]
    return [r["ReceiptInfo"] for r in receipts if r["ReceiptType"] == "READ"]


async def test_k_acknowledges_your_own_engagement_and_explains_someone_elses(ann, core, clock, settings) -> None:
    incident, pages = await _engaged(core, clock)
    app = build_app(ann, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(IncidentDetailScreen(incident))
        await settle(pilot)
        detail = app.screen
        await pilot.press(str(detail._tab_ids().index("engagements") + 1))
        await settle(pilot)
        table = detail.query_one("EngagementTable", DataTable)
        names = [table.get_row_at(i)[0] for i in range(table.row_count)]
        assert sorted(names) == ["Alice (you)", "Bob"]

        table.move_cursor(row=names.index("Bob"))
        await settle(pilot)
        assert detail.active_bindings["k"].enabled is False  # the Footer shows k dimmed
        await press_binding(pilot, "engagement-ack-not-yours")
        assert app.last_flash == ("not yours: this is Bob's page; only they or an administrator may "
                                  "acknowledge it", "warning")
        assert await _read_by(core, pages["bob"]) == []

        table.move_cursor(row=names.index("Alice (you)"))
        await settle(pilot)
        assert detail.active_bindings["k"].enabled is True
        await press_binding(pilot, "engagement-ack")
        assert app.last_flash == ("acknowledged Alice's page: their escalation stops here", "success")
        [receipt] = await _read_by(core, pages["alice"])
        assert "ann" in receipt

        await settle(pilot)  # the table reloads: Alice's engagement is acknowledged now
        table.move_cursor(row=names.index("Alice (you)"))
        await settle(pilot)
        detail.query_one("EngagementsPane").action_acknowledge()  # k again, as an admin would press it
        assert app.last_flash == ("Alice already acknowledged", "info")
