"""An acknowledged (or stopped, or resolved) engagement delivers nothing more: not a page held
by the rate limit, not a retry after a failure, not another contact's page of the same
escalation, not a bundle entry. Real SMTP (aiosmtpd) and a Twilio-format HTTP server, over two
hours of fake time."""

from __future__ import annotations

import re

from tests.support.contacts import escalation_plan, personal_contact
from tests.support.delivery import delivering_core, twilio_pages_to

DANA_MAIL, DANA_PHONE = "dana@example.com", "+14155550123"
SAM_PHONE = "+14155550177"
ALICE_MAIL, ALICE_PHONE = "alice@example.com", "+14155550101"
BOB_MAIL, CAROL_MAIL = "bob@example.com", "carol@example.com"
TWILIO_500 = {"code": 20500, "message": "Internal Server Error", "status": 500}


async def _incident(client, title: str, contacts: list[str]) -> str:
    plan = await client.call("CreateResponsePlan", {
        "name": re.sub(r"\W+", "-", title.lower()), "engagements": contacts,
        "incidentTemplate": {"title": title, "impact": 2}})
    return (await client.call("StartIncident", {"responsePlanArn": plan["arn"]}))["incidentRecordArn"]


async def _page_of(client, contact: str, incident: str) -> dict:
    pages = (await client.call("ListPagesByContact", {"ContactId": contact}))["Pages"]
    [page] = [p for p in pages if p.get("IncidentId") == incident]
    return page


async def _statuses(client, engagement: str) -> list[str]:
    messages = (await client.call("ListOutboxMessages", {"engagementArn": engagement}))["messages"]
    return sorted(m["status"] for m in messages)


async def _dana(client, clock) -> str:
    """EMAIL at minute 0, SMS at minute 5; activated (the codes go out in the first second)."""
    dana, _ = await personal_contact(client, "dana", [("EMAIL", DANA_MAIL), ("SMS", DANA_PHONE)], stage_minutes=[5, 0])
    await clock.advance(seconds=1)
    return dana


async def _ack(client, page: dict) -> None:
    await client.call("AcceptPage", {"PageId": page["PageArn"], "AcceptType": "READ", "AcceptCode": "000000"})


async def test_an_ack_while_a_page_is_held_by_the_rate_limit_delivers_nothing_more(data_dir, clock):
    async with delivering_core(data_dir, clock) as (core, client, sink, twilio):
        dana = await _dana(client, clock)
        await _incident(client, "Checkout latency high", [dana])
        await clock.advance(seconds=10)
        held = await _incident(client, "Search index stale", [dana])
        await clock.advance(seconds=10)
        await _incident(client, "Queue backlog growing", [dana])
        await clock.advance(seconds=10)
        assert [m["Subject"] for m in sink.pages_to(DANA_MAIL)] == ["2 High incident: Checkout latency high"]
        page = await _page_of(client, dana, held)
        assert await _statuses(client, page["EngagementArn"]) == ["held"]

        await _ack(client, page)  # t = 31 s: its email is still held for the rate window
        assert await _statuses(client, page["EngagementArn"]) == ["cancelled"]  # in the ack's transaction
        await clock.advance(hours=2)

        mails = sink.pages_to(DANA_MAIL)
        # the third page, alone when the window ends: no bundle, nothing of the acknowledged one
        assert [m["Subject"] for m in mails] == ["2 High incident: Checkout latency high",
                                                 "2 High incident: Queue backlog growing"]
        assert all("Search index stale" not in m.text for m in mails)
        texts = twilio_pages_to(twilio, DANA_PHONE)
        assert len(texts) == 2 and not any("Search index" in t for t in texts), texts
        assert await _statuses(client, page["EngagementArn"]) == ["cancelled"]


async def test_an_ack_between_an_smtp_failure_and_its_retry_delivers_nothing_more(data_dir, clock):
    async with delivering_core(data_dir, clock) as (core, client, sink, twilio):
        dana = await _dana(client, clock)
        sink.fail_next_to(DANA_MAIL)
        incident = await _incident(client, "Payments failing", [dana])
        await clock.advance(seconds=1)
        assert sink.refused == [[DANA_MAIL]]
        page = await _page_of(client, dana, incident)
        assert await _statuses(client, page["EngagementArn"]) == ["pending"]  # the retry waits 15 s

        await clock.advance(seconds=5)
        await _ack(client, page)
        assert await _statuses(client, page["EngagementArn"]) == ["cancelled"]
        await clock.advance(hours=2)
        assert sink.pages_to(DANA_MAIL) == [] and sink.refused == [[DANA_MAIL]]
        assert twilio_pages_to(twilio, DANA_PHONE) == []


async def test_an_ack_between_a_twilio_failure_and_its_retry_delivers_nothing_more(data_dir, clock):
    async with delivering_core(data_dir, clock) as (core, client, sink, twilio):
        sam, _ = await personal_contact(client, "sam", [("SMS", SAM_PHONE)])
        await clock.advance(seconds=1)
        twilio.fail_next(500, TWILIO_500)
        incident = await _incident(client, "Login errors", [sam])
        await clock.advance(seconds=1)
        assert len(twilio_pages_to(twilio, SAM_PHONE)) == 1  # answered 500; a retry is due in 15 s
        page = await _page_of(client, sam, incident)
        await clock.advance(seconds=5)
        await _ack(client, page)
        assert await _statuses(client, page["EngagementArn"]) == ["cancelled"]
        await clock.advance(hours=2)
        assert len(twilio_pages_to(twilio, SAM_PHONE)) == 1
        assert await _statuses(client, page["EngagementArn"]) == ["cancelled"]


async def test_an_ack_by_another_contact_of_an_escalation_stops_everyone_elses_pages(data_dir, clock):
    async with delivering_core(data_dir, clock) as (core, client, sink, twilio):
        alice, _ = await personal_contact(client, "alice", [("EMAIL", ALICE_MAIL), ("SMS", ALICE_PHONE)],
                                          stage_minutes=[5, 0])
        bob, _ = await personal_contact(client, "bob", [("EMAIL", BOB_MAIL)])
        carol, _ = await personal_contact(client, "carol", [("EMAIL", CAROL_MAIL)])
        esc = await escalation_plan(client, "web-escalation", [(10, [(alice, True), (bob, True)]), (10, [(carol, True)])])
        await clock.advance(seconds=1)
        sink.fail_next_to(ALICE_MAIL)
        incident = await _incident(client, "Web tier down", [esc])
        await clock.advance(seconds=1)
        assert sink.refused == [[ALICE_MAIL]]  # alice's email waits for its retry
        [bob_mail] = sink.pages_to(BOB_MAIL)

        await clock.advance(seconds=5)
        out = await client.call("AcceptPageByCode", {"acceptCode": bob_mail.code("Accept code")})
        assert out["contactArn"] == bob
        alice_page = await _page_of(client, alice, incident)
        assert await _statuses(client, alice_page["EngagementArn"]) == ["cancelled"]
        await clock.advance(hours=2)

        assert sink.pages_to(ALICE_MAIL) == [] and twilio_pages_to(twilio, ALICE_PHONE) == []
        assert sink.pages_to(CAROL_MAIL) == [] and len(sink.pages_to(BOB_MAIL)) == 1
        states = {e["contactName"]: e["state"] for e in
                  (await client.call("ListIncidentEngagements", {"incidentRecordArn": incident}))["engagements"]}
        assert states == {"web-escalation": "acknowledged", "Alice": "stopped", "Bob": "acknowledged"}


async def test_resolving_or_stopping_cancels_retries_and_held_pages_at_once(data_dir, clock):
    async with delivering_core(data_dir, clock) as (core, client, sink, twilio):
        dana = await _dana(client, clock)
        sink.fail_next_to(DANA_MAIL)
        retrying = await _incident(client, "Cache cluster degraded", [dana])
        await clock.advance(seconds=1)
        # the failed attempt still counts for the rate window: the second page is held
        held = await _incident(client, "Disk almost full", [dana])
        await clock.advance(seconds=1)
        first, second = await _page_of(client, dana, retrying), await _page_of(client, dana, held)
        assert await _statuses(client, first["EngagementArn"]) == ["pending"]
        assert await _statuses(client, second["EngagementArn"]) == ["held"]

        await client.call("UpdateIncidentRecord", {"arn": retrying, "status": "RESOLVED"})
        await client.call("StopEngagement", {"EngagementId": second["EngagementArn"]})
        assert await _statuses(client, first["EngagementArn"]) == ["cancelled"]
        assert await _statuses(client, second["EngagementArn"]) == ["cancelled"]
        await clock.advance(hours=2)
        assert sink.pages_to(DANA_MAIL) == [] and twilio_pages_to(twilio, DANA_PHONE) == []


async def test_a_bundle_retried_after_an_ack_no_longer_carries_the_acknowledged_page(data_dir, clock):
    async with delivering_core(data_dir, clock) as (core, client, sink, twilio):
        dana, _ = await personal_contact(client, "dana", [("EMAIL", DANA_MAIL)])
        await clock.advance(seconds=1)
        await _incident(client, "Checkout latency high", [dana])
        await clock.advance(seconds=10)
        acked = await _incident(client, "Search index stale", [dana])
        await _incident(client, "Queue backlog growing", [dana])
        sink.fail_next_to(DANA_MAIL)  # the bundle's first attempt, when the minute is up
        await clock.advance(seconds=51)
        assert len(sink.refused) == 1 and len(sink.pages_to(DANA_MAIL)) == 1
        page = await _page_of(client, dana, acked)
        await _ack(client, page)  # the page is inside the bundle that waits for its retry
        await clock.advance(hours=2)
        first, bundle = sink.pages_to(DANA_MAIL)
        assert bundle["X-Cockpit-Kind"] == "bundle" and bundle["Subject"] == "1 more incident paged you"
        assert "Queue backlog growing" in bundle.text and "Search index stale" not in bundle.text
        assert await _statuses(client, page["EngagementArn"]) == ["cancelled"]


async def test_the_sender_rechecks_the_engagement_when_it_claims_a_message_and_builds_a_bundle(data_dir, clock):
    """The sender's own checks, with the ack's cancel bypassed: the engagement is marked
    acknowledged in the store directly, as a core without the cancel would leave it."""
    async with delivering_core(data_dir, clock) as (core, client, sink, twilio):
        dana, _ = await personal_contact(client, "dana", [("EMAIL", DANA_MAIL)])
        await clock.advance(seconds=1)
        sink.fail_next_to(DANA_MAIL)
        retrying = await _incident(client, "Checkout latency high", [dana])
        await clock.advance(seconds=1)
        held = await _incident(client, "Search index stale", [dana])
        await _incident(client, "Queue backlog growing", [dana])
        await clock.advance(seconds=1)
        pages = [await _page_of(client, dana, i) for i in (retrying, held)]
        async with core.db.transaction() as tx:
            for page in pages:
                await tx.execute("UPDATE engagements SET acked_us = 1 WHERE arn = ?", (page["EngagementArn"],))
        await clock.advance(hours=2)
        mails = sink.pages_to(DANA_MAIL)
        assert [m["Subject"] for m in mails] == ["2 High incident: Queue backlog growing"]
        for page in pages:
            [message] = (await client.call("ListOutboxMessages", {"engagementArn": page["EngagementArn"]}))["messages"]
            assert message["status"] == "cancelled"
            assert message["lastError"] == "not sent: the engagement was acknowledged"
