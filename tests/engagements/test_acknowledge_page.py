"""AcknowledgePage: acknowledge a page directly as the caller, without its code (the cockpit's
`k` in an incident's Engagements tab); it stops the escalation exactly as a code would."""

from __future__ import annotations

import pytest

from core.errors import ResourceNotFoundException, ValidationException
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


async def test_acknowledging_a_page_stops_the_escalation_and_names_who(core, client, clock):
    incident, page, bob = await _paged(client, clock)
    responder = core.client(principal_for_role("arn:aws:iam::1:user/rita", "rita", "responder"))
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
