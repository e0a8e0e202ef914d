"""Texts the core composes from long input stay within the model's limits: automatic timeline
events (eventData) and page receipts (ReceiptInfo). The longest texts are cut with a clear
marker, JSON stays valid, non-ASCII text counts one character per character, and the full
text is still in the audit trail."""

from __future__ import annotations

import json

from core.engine.limits import AUDIT_TRAIL, EVENT_DATA_MAX, RECEIPT_INFO_MAX, fit
from core.engine.timeline import event_text
from core.ops.aws_models import shape

RAW = "障害" * 5000  # 10,000 characters: RawData's limit; 60,000 as \u escapes
SUMMARY = "Überlastung " * 666  # 7,992 characters, under IncidentSummary's 8,000
MARK = f" more characters cut; the full text is in {AUDIT_TRAIL}]"


def test_the_limits_are_the_models():
    assert shape("ssm-incidents", "EventData").metadata["max"] == EVENT_DATA_MAX
    assert shape("ssm-contacts", "ReceiptInfo").metadata["max"] == RECEIPT_INFO_MAX


def test_fit_cuts_with_a_marker_that_counts_what_was_cut():
    assert fit("abc", 3, "x") == "abc"
    out = fit("é" * 5000, 2048, AUDIT_TRAIL)
    assert len(out) <= 2048 and len(out) > 2040
    kept = out.split("…")[0]
    assert set(kept) == {"é"} and out.endswith(f"[{5000 - len(kept)}{MARK}")


async def _events(client, inc: str) -> list[dict]:
    summaries = (await client.call("ListTimelineEvents", {"incidentRecordArn": inc}))["eventSummaries"]
    return [(await client.call("GetTimelineEvent", {"incidentRecordArn": inc, "eventId": e["eventId"]}))["event"]
            for e in summaries]


async def test_non_ascii_text_counts_one_character_per_character(ready, core, clock):
    """10,000 characters of raw data (its limit) fit whole: they are not written as 60,000
    characters of \\u escapes."""
    client, plan = ready
    trigger = {"source": "cockpit.alarm", "timestamp": clock.now(), "rawData": RAW}
    title = "Zahlungsausfall ✓ " + "ß" * 182  # 200 characters: the title's limit
    inc = (await client.call("StartIncident", {"responsePlanArn": plan, "title": title,
                                               "triggerDetails": trigger}))["incidentRecordArn"]
    [created] = await _events(client, inc)
    assert len(created["eventData"]) <= EVENT_DATA_MAX
    data = json.loads(created["eventData"])
    assert data["title"] == title and data["trigger"]["rawData"] == RAW


async def test_a_long_summary_change_is_cut_and_stays_valid_json(ready, core):
    client, plan = ready
    inc = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await client.call("UpdateIncidentRecord", {"arn": inc, "summary": SUMMARY})
    await client.call("UpdateIncidentRecord", {"arn": inc, "summary": SUMMARY[::-1]})
    texts = [e["eventData"] for e in await _events(client, inc)]
    assert all(len(t) <= EVENT_DATA_MAX for t in texts)
    changes = [json.loads(t)["changes"]["summary"] for t in texts if "changes" in json.loads(t)]
    assert {c["to"] for c in changes} == {SUMMARY, SUMMARY[::-1]}  # the first change fits whole
    [both] = [c for c in changes if c["to"] == SUMMARY[::-1]]  # from SUMMARY to its reverse: 16,000
    assert both["to"] == SUMMARY[::-1]  # the longest text is cut first, and only as much as needed
    assert both["from"].endswith(MARK) and SUMMARY.startswith(both["from"].split("…")[0])
    assert len(both["from"]) > 3900
    # the full texts: the record holds the new summary, the audit trail both requests
    assert (await client.call("GetIncidentRecord", {"arn": inc}))["incidentRecord"]["summary"] == SUMMARY[::-1]
    audit = (await client.call("LookupAuditEvents", {"operation": "UpdateIncidentRecord"}))["events"]
    assert [a["parameters"]["summary"] for a in audit] == [SUMMARY[::-1], SUMMARY]


def test_event_text_cuts_the_longest_texts_first_and_fits_exactly():
    data = {"a": "x" * 100, "b": "é" * 20_000, "c": ["y" * 9_000, {"d": "z" * 50}]}
    text = event_text(data)
    assert len(text) <= EVENT_DATA_MAX
    out = json.loads(text)
    assert out["a"] == data["a"] and out["c"][1]["d"] == data["c"][1]["d"]
    assert out["b"].endswith(MARK)
    assert len(text) > EVENT_DATA_MAX - 200  # nothing cut beyond what the limit needs
    assert event_text("ü" * 12_000) == "ü" * 12_000
    assert EVENT_DATA_MAX - 10 < len(event_text("ü" * 12_001)) <= EVENT_DATA_MAX
    assert event_text({"q": '"\\' * 7000}).endswith(MARK + '"}')  # escapes count toward the limit


async def test_a_receipt_with_a_long_note_is_cut_and_the_note_kept_in_the_audit_trail(ready, core, clock):
    from tests.support.contacts import personal_contact

    client, _ = ready
    dana, _ = await personal_contact(client, "dana", [("EMAIL", "dana@example.com")])
    eng = (await client.call("StartEngagement", {"ContactId": dana, "Sender": "ops", "Subject": "s",
                                                 "Content": "c"}))["EngagementArn"]
    await clock.advance(seconds=1)
    [page] = (await client.call("ListPagesByEngagement", {"EngagementId": eng}))["Pages"]
    note = "Bin dran – " + "ö" * 2037  # 2,048 characters, the Note's limit; the receipt adds who and how
    await client.call("AcceptPage", {"PageId": page["PageArn"], "AcceptType": "READ", "AcceptCode": "000000",
                                     "Note": note})
    receipts = (await client.call("ListPageReceipts", {"PageId": page["PageArn"]}))["Receipts"]
    [read] = [r for r in receipts if r["ReceiptType"] == "READ"]
    assert len(read["ReceiptInfo"]) <= RECEIPT_INFO_MAX and read["ReceiptInfo"].endswith(MARK)
    assert "Bin dran" in read["ReceiptInfo"]
    audit = (await client.call("LookupAuditEvents", {"operation": "AcceptPage"}))["events"]
    assert audit[0]["parameters"]["Note"] == note
