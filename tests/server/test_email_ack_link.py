"""The acknowledgement link in a page's email, against a real server on 127.0.0.1 and a real
SMTP server: GET only confirms, POST acknowledges once, and a used, forged or ended link is
refused (and audited)."""

from __future__ import annotations

import html
import re

import httpx

from tests.support.contacts import personal_contact

ADDRESS = "erin@example.com"


async def _engage(reachable, client, contact: str, subject: str) -> tuple[str, str]:
    """Engage ``contact``; returns (engagement arn, the link from the email it received)."""
    engagement = (await client.call("StartEngagement", {
        "ContactId": contact, "Sender": "ops", "Subject": subject, "Content": "look now",
        "PublicSubject": subject, "PublicContent": "look now"}))["EngagementArn"]
    await reachable.core.clock.advance(seconds=61)  # past the per-address rate limit
    mails = [m for m in reachable.mail.to(ADDRESS) if m["X-Cockpit-Kind"] == "page" and m["Subject"] == subject]
    assert len(mails) == 1, [m["Subject"] for m in reachable.mail.messages]
    link = re.search(r"Acknowledge: (\S+)", mails[0].text).group(1)
    assert link.startswith(f"{reachable.url}/ack/")
    return engagement, link


async def _read_receipts(client, engagement: str) -> list[str]:
    [page] = (await client.call("ListPagesByEngagement", {"EngagementId": engagement}))["Pages"]
    receipts = (await client.call("ListPageReceipts", {"PageId": page["PageArn"]}))["Receipts"]
    return [r["ReceiptType"] for r in receipts if r["ReceiptType"] == "READ"]


def _form_page(text: str) -> str:
    return html.unescape(re.search(r"name='page' value='([^']+)'", text).group(1))


async def test_get_confirms_post_acknowledges_once(reachable):
    client = reachable.core.client()
    contact, _ = await personal_contact(client, "erin", [("EMAIL", ADDRESS)])
    engagement, link = await _engage(reachable, client, contact, "Checkout down")
    async with httpx.AsyncClient(timeout=10) as http:
        for _ in range(2):  # a link scanner may fetch it any number of times
            shown = await http.get(link)
            assert shown.status_code == 200 and "Acknowledge this page?" in shown.text
            assert "<form method='post'>" in shown.text
        assert await _read_receipts(client, engagement) == []

        page = _form_page(shown.text)
        assert (await http.post(link, data={})).status_code == 400  # not from this link's page
        assert (await http.post(link, data={"page": page + "x"})).status_code == 400
        assert await _read_receipts(client, engagement) == []

        done = await http.post(link, data={"page": page})
        assert done.status_code == 200 and "Acknowledged" in done.text
        assert await _read_receipts(client, engagement) == ["READ"]

        again = await http.post(link, data={"page": page})
        assert again.status_code == 410
        assert (await http.get(link)).status_code == 410
        forged = await http.get(link[:-4] + "AAAA")
        assert forged.status_code == 404
    assert await _read_receipts(client, engagement) == ["READ"]
    audit = (await client.call("LookupAuditEvents", {}))["events"]
    accepted = [e for e in audit if e["operation"] == "AcceptPage"]
    assert [(e["result"], e["origin"]) for e in accepted] == [("OK", "email-link")]
    assert "email-link/erin" in accepted[0]["principal"]
    refusals = sorted(e["result"] for e in audit if e["operation"] == "AckLink")
    assert refusals == ["ConflictException", "ConflictException", "ResourceNotFoundException",
                        "ValidationException", "ValidationException"]
    token = link.rsplit("/", 1)[1]
    assert token not in repr(audit)


async def test_a_link_expires_when_its_engagement_ends(reachable):
    client = reachable.core.client()
    contact, _ = await personal_contact(client, "erin", [("EMAIL", ADDRESS)])
    engagement, link = await _engage(reachable, client, contact, "Disk full")
    await client.call("StopEngagement", {"EngagementId": engagement, "Reason": "handled elsewhere"})
    async with httpx.AsyncClient(timeout=10) as http:
        shown = await http.get(link)
        assert shown.status_code == 410 and "engagement has ended" in shown.text
        posted = await http.post(link, data={"page": "anything"})
        assert posted.status_code == 410
    assert await _read_receipts(client, engagement) == []
