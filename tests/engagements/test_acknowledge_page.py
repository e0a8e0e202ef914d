"""AcknowledgePage: acknowledge a page directly as the caller, without its code (the cockpit's
`k` in an incident's Engagements tab); it stops the escalation exactly as a code would."""

from __future__ import annotations

import re

import pytest

from core.errors import AccessDeniedException, ResourceNotFoundException, ValidationException
from core.security.roles import principal_for_role
from tests.support.contacts import escalation_plan, personal_contact


async def _paged(client, clock) -> tuple[str, str, str]:
    """(incident, alice's page, bob) where alice is paged at once and bob five minutes later."""
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    bob, _ = await personal_contact(client, "bob", [("EMAIL", "bob@example.com")])
    plan = await escalation_plan(client, "primary", [(5, [(alice, True)]), (5, [(bob, True)])])
    rp = await client.call("CreateResponsePlan", {"name": "api", "engagements": [plan],
                                                  "incidentTemplate": {"title": "API is down", "impact": 2}})
    incident = (await client.call("StartIncident", {"responsePlanArn": rp["arn"]}))["incidentRecordArn"]
    await clock.advance(seconds=1)
    [page] = (await client.call("ListPagesByContact", {"ContactId": alice}))["Pages"]
    return incident, page["PageArn"], bob


async def _user(core, client, name: str, role: str, contact: str | None = None):
    """A client acting as a new user ``name`` with ``role``, linked to ``contact``."""
    params = {"userName": name, "role": role, **({"contactArn": contact} if contact else {})}
    user = (await client.call("CreateUser", params))["user"]
    return core.client(principal_for_role(user["userArn"], name, role))


async def test_acknowledging_a_page_stops_the_escalation_and_names_who(core, client, clock):
    incident, page, bob = await _paged(client, clock)
    alice = (await client.call("DescribePage", {"PageId": page}))["ContactArn"]
    responder = await _user(core, client, "rita", "responder", contact=alice)
    out = await responder.call("AcknowledgePage", {"pageId": page, "note": "on it"})
    assert out["acknowledged"] is True and out["incidentId"] == incident

    receipts = (await client.call("ListPageReceipts", {"PageId": page}))["Receipts"]
    read = [r for r in receipts if r["ReceiptType"] == "READ"]
    assert len(read) == 1 and "rita" in read[0]["ReceiptInfo"] and "AcknowledgePage" in read[0]["ReceiptInfo"]
    await clock.advance(minutes=10)
    assert (await client.call("ListPagesByContact", {"ContactId": bob}))["Pages"] == []  # stage 2 never ran

    again = await responder.call("AcknowledgePage", {"pageId": page})
    assert again["acknowledged"] is False
    receipts = (await client.call("ListPageReceipts", {"PageId": page}))["Receipts"]
    assert len([r for r in receipts if r["ReceiptType"] == "READ"]) == 1


async def test_a_responder_acknowledges_only_their_own_contacts_pages(core, client, clock):
    """Linked to alice, a responder acknowledges alice's page; bob's is refused by name (never
    a code) and stays paged; an unlinked responder may acknowledge none; an admin any, as them."""
    incident, alice_page, bob = await _paged(client, clock)
    alice = (await client.call("DescribePage", {"PageId": alice_page}))["ContactArn"]
    await client.call("StartEngagement", {"ContactId": bob, "Sender": "ops", "Subject": "API down",
                                          "Content": "Join the bridge", "IncidentId": incident})
    await clock.advance(seconds=0)
    [bob_page] = (await client.call("ListPagesByContact", {"ContactId": bob}))["Pages"]
    ann = await _user(core, client, "ann", "responder", contact=alice)
    assert (await ann.call("AcknowledgePage", {"pageId": alice_page}))["acknowledged"] is True

    with pytest.raises(AccessDeniedException) as refused:
        await ann.call("AcknowledgePage", {"pageId": bob_page["PageArn"]})
    assert "bob's" in refused.value.message and "ann is linked to alice" in refused.value.message
    assert not re.search(r"\d{4,}", refused.value.message)  # names, never an accept code
    unlinked = await _user(core, client, "olga", "responder")
    with pytest.raises(AccessDeniedException, match="olga is linked to no contact"):
        await unlinked.call("AcknowledgePage", {"pageId": bob_page["PageArn"]})
    receipts = (await client.call("ListPageReceipts", {"PageId": bob_page["PageArn"]}))["Receipts"]
    assert not [r for r in receipts if r["ReceiptType"] == "READ"]

    boss = await _user(core, client, "boss", "admin")
    assert (await boss.call("AcknowledgePage", {"pageId": bob_page["PageArn"]}))["acknowledged"] is True
    receipts = (await client.call("ListPageReceipts", {"PageId": bob_page["PageArn"]}))["Receipts"]
    [read] = [r for r in receipts if r["ReceiptType"] == "READ"]
    assert "boss" in read["ReceiptInfo"]


async def test_a_reader_may_not_acknowledge_and_bad_ids_are_refused(core, client, clock):
    _, page, _ = await _paged(client, clock)
    reader = core.client(principal_for_role("arn:aws:iam::1:user/ro", "ro", "readonly"))
    with pytest.raises(Exception, match="AcknowledgePage") as refused:
        await reader.call("AcknowledgePage", {"pageId": page})
    assert type(refused.value).__name__ == "AccessDeniedException"
    with pytest.raises(ValidationException, match="pageId"):
        await client.call("AcknowledgePage", {"pageId": "not-an-arn"})
    with pytest.raises(ResourceNotFoundException):
        await client.call("AcknowledgePage", {"pageId": page + "x"})
