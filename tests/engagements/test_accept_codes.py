"""Accept codes cannot be guessed or leaked: kept only as salted hashes (and sealed in the
outbox), shown only to the paged person and administrators, locked out after 5 wrong codes
per principal or origin, and every acceptance records who, through what, and when."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta

import pytest

from core.errors import ResourceNotFoundException, ThrottlingException, ValidationException
from core.security.principals import Principal
from tests.support.contacts import personal_contact
from tests.support.delivery import delivering_core, twilio_pages_to

DANA_MAIL, DANA_PHONE = "dana@example.com", "+14155550123"
RESPONDER_ACTIONS = frozenset({"ssm-contacts:*", "ssm-incidents:*", "cockpit:*"})
NOT_BASE64 = r"(?<![0-9A-Za-z+/=_-]){}(?![0-9A-Za-z+/=_-])"


def _responder(core, name: str) -> Principal:
    return Principal(arn=f"arn:aws:iam::{core.account_id}:user/{name}", name=name, allowed_actions=RESPONDER_ACTIONS)


async def _holders(core, code: str) -> list[str]:
    """Every table.column whose text shows ``code`` as a value of its own (as a message, JSON
    or a spoken code would), not as a run of digits inside a token."""
    shown = re.compile("|".join([NOT_BASE64.format(code), re.escape(" ".join(code))]))
    found = []
    async with core.db.transaction() as tx:
        tables = [r["name"] for r in await tx.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            for row in await tx.fetchall(f"SELECT * FROM {table}"):  # noqa: S608
                found += [f"{table}.{key}" for key in row.keys()
                          if isinstance(row[key], str) and shown.search(row[key])]
    return found


def _code_in(text: str) -> str:
    return re.search(r"Accept code: (\d{6})", text).group(1)


async def _incident(client, contact: str, title: str = "Checkout failing") -> str:
    plan = await client.call("CreateResponsePlan", {"name": "checkout", "engagements": [contact],
                                                     "incidentTemplate": {"title": title, "impact": 2}})
    return (await client.call("StartIncident", {"responsePlanArn": plan["arn"]}))["incidentRecordArn"]


async def test_the_store_and_the_logs_never_hold_a_usable_code(data_dir, clock, caplog):
    caplog.set_level(logging.DEBUG)
    async with delivering_core(data_dir, clock) as (core, client, sink, twilio):
        dana, _ = await personal_contact(client, "dana", [("EMAIL", DANA_MAIL), ("SMS", DANA_PHONE)], stage_minutes=[5, 0])
        await clock.advance(seconds=1)
        await _incident(client, dana)
        await clock.advance(seconds=1)
        [mail] = sink.pages_to(DANA_MAIL)
        code = mail.code("Accept code")
        admin_view = (await client.call("ListOutboxMessages", {"channelType": "EMAIL", "maxResults": 1}))["messages"][0]
        assert _code_in(admin_view["body"]) == code  # the search below would see it if it were stored as text
        assert await _holders(core, code) == []

        await clock.advance(minutes=5)  # the second stage's SMS still carries the code
        [sms] = twilio_pages_to(twilio, DANA_PHONE)
        assert f"Code {code}" in sms
        assert await _holders(core, code) == []

        [page] = (await client.call("ListPagesByContact", {"ContactId": dana}))["Pages"]
        await client.call("AcceptPage", {"PageId": page["PageArn"], "AcceptType": "READ", "AcceptCode": code,
                                         "AcceptCodeValidation": "ENFORCE"})
        async with core.db.transaction() as tx:
            assert await tx.scalar("SELECT code_enc FROM pages WHERE arn = ?", (page["PageArn"],)) is None
        assert await _holders(core, code) == []
    # every log line of this process but the SMTP server's (the recipient's side) lacks the code
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail.log"))
    assert ours and code not in ours and " ".join(code) not in ours


async def test_only_an_administrator_sees_the_code_and_the_acceptance_names_who_and_how(ready, core, clock):
    admin, _ = ready
    dana, _ = await personal_contact(admin, "dana", [("EMAIL", DANA_MAIL)])
    incident = await _incident(admin, dana)
    await clock.advance(seconds=1)
    [message] = [m for m in (await admin.call("ListOutboxMessages", {}))["messages"] if m["kind"] == "page"]
    code = _code_in(message["body"])  # the LOCAL outbox is a delivery channel: its administrator reads the page

    rita = core.client(_responder(core, "rita"), origin="native 203.0.113.7")
    [page] = (await rita.call("ListPagesByContact", {"ContactId": dana}))["Pages"]
    views = [
        await rita.call("ListOutboxMessages", {}),
        await rita.call("DescribePage", {"PageId": page["PageArn"]}),
        await rita.call("ListPageReceipts", {"PageId": page["PageArn"]}),
        await rita.call("DescribeEngagement", {"EngagementId": page["EngagementArn"]}),
        await rita.call("ListEngagements", {}),
        await rita.call("ListTimelineEvents", {"incidentRecordArn": incident}),
    ]
    assert all("body" not in m and "shortBody" not in m for m in views[0]["messages"])
    assert code not in json.dumps(views, default=str)

    await clock.advance(minutes=2)
    await rita.call("AcceptPageByCode", {"acceptCode": code, "note": "on it"})
    [read] = [r for r in (await rita.call("ListPageReceipts", {"PageId": page["PageArn"]}))["Receipts"]
              if r["ReceiptType"] == "READ"]
    assert read["ReceiptTime"] == clock.now()
    assert read["ReceiptInfo"] == (f"READ by rita ({rita.principal.arn}) via AcceptPageByCode from native 203.0.113.7:"
                                   " on it")
    events = (await rita.call("ListTimelineEvents", {"incidentRecordArn": incident}))["eventSummaries"]
    [ack] = [e for e in events if e["eventType"] == "SSM Contacts Page Acknowledgement"]
    data = json.loads((await rita.call("GetTimelineEvent", {"incidentRecordArn": incident,
                                                            "eventId": ack["eventId"]}))["event"]["eventData"])
    assert data["by"] == rita.principal.arn and data["via"] == "AcceptPageByCode from native 203.0.113.7"
    assert ack["eventTime"] == clock.now()
    # an accepted code is spent: nobody can use it again
    with pytest.raises(ResourceNotFoundException):
        await admin.call("AcceptPageByCode", {"acceptCode": code})


async def _paged_code(admin, clock) -> str:
    dana, _ = await personal_contact(admin, "dana", [("EMAIL", DANA_MAIL)])
    await admin.call("StartEngagement", {"ContactId": dana, "Sender": "ops", "Subject": "disk full", "Content": "db-1"})
    await clock.advance(seconds=1)
    [message] = [m for m in (await admin.call("ListOutboxMessages", {}))["messages"] if m["kind"] == "page"]
    return _code_in(message["body"])


def _wrong(code: str, i: int = 1) -> str:
    return f"{(int(code) + i) % 10**6:06d}"


async def test_five_wrong_codes_lock_the_principal_out_for_fifteen_minutes(ready, core, clock):
    admin, _ = ready
    code = await _paged_code(admin, clock)
    mallory = core.client(_responder(core, "mallory"), origin="native 198.51.100.20")
    for i in range(1, 5):
        with pytest.raises(ResourceNotFoundException) as info:
            await mallory.call("AcceptPageByCode", {"acceptCode": _wrong(code, i)})
        assert f"{5 - i} more wrong code" in info.value.message
        await clock.advance(minutes=2)
    with pytest.raises(ResourceNotFoundException) as info:
        await mallory.call("AcceptPageByCode", {"acceptCode": _wrong(code, 5)})
    assert "code entry is now locked for 15m 00s" in info.value.message
    locked_at = clock.now()
    async with core.db.transaction() as tx:  # each failure committed with its audit record
        assert await tx.scalar("SELECT COUNT(*) FROM accept_code_failures WHERE principal_arn = ?",
                               (mallory.principal.arn,)) == 5
    audited = (await admin.call("LookupAuditEvents", {"operation": "AcceptPageByCode"}))["events"]
    assert [e["result"] for e in audited].count("ResourceNotFoundException") == 5

    with pytest.raises(ThrottlingException) as info:  # even the right code is refused while locked
        await mallory.call("AcceptPageByCode", {"acceptCode": code})
    assert "mallory entered 5 wrong accept codes within 15 minutes" in info.value.message
    assert f"locked until {(locked_at + timedelta(minutes=15)):%H:%M:%S} UTC" in info.value.message
    # another principal from another origin is not locked
    other = core.client(_responder(core, "olga"), origin="native 192.0.2.1")
    with pytest.raises(ResourceNotFoundException):
        await other.call("AcceptPageByCode", {"acceptCode": _wrong(code, 9)})

    await clock.advance(minutes=14, seconds=59)
    with pytest.raises(ThrottlingException):
        await mallory.call("AcceptPageByCode", {"acceptCode": code})
    await clock.advance(seconds=1)
    assert (await mallory.call("AcceptPageByCode", {"acceptCode": code}))["pageArn"]


async def test_five_wrong_codes_from_one_origin_lock_that_origin(ready, core, clock):
    admin, _ = ready
    code = await _paged_code(admin, clock)
    origin = "native 203.0.113.9"
    for i in range(5):  # five principals, one wrong code each, all from the same address
        with pytest.raises(ResourceNotFoundException):
            await core.client(_responder(core, f"bot{i}"), origin=origin).call(
                "AcceptPageByCode", {"acceptCode": _wrong(code, i + 1)})
    with pytest.raises(ThrottlingException) as info:
        await core.client(_responder(core, "bot5"), origin=origin).call("AcceptPageByCode", {"acceptCode": code})
    assert f"origin {origin!r} entered 5 wrong accept codes" in info.value.message
    elsewhere = core.client(_responder(core, "bot5"), origin="native 198.51.100.7")
    assert (await elsewhere.call("AcceptPageByCode", {"acceptCode": code}))["pageArn"]


async def test_wrong_codes_for_one_page_count_toward_the_same_lockout(ready, core, clock):
    admin, _ = ready
    code = await _paged_code(admin, clock)
    [page] = [m["pageArn"] for m in (await admin.call("ListOutboxMessages", {}))["messages"] if m["kind"] == "page"]
    mallory = core.client(_responder(core, "mallory"), origin="native 198.51.100.20")
    for i in range(5):
        with pytest.raises(ValidationException) as info:
            await mallory.call("AcceptPage", {"PageId": page, "AcceptType": "READ", "AcceptCode": _wrong(code, i + 1),
                                              "AcceptCodeValidation": "ENFORCE"})
        assert info.value.fields[0]["name"] == "AcceptCode"
    with pytest.raises(ThrottlingException):
        await mallory.call("AcceptPage", {"PageId": page, "AcceptType": "READ", "AcceptCode": code,
                                          "AcceptCodeValidation": "ENFORCE"})
    with pytest.raises(ThrottlingException):
        await mallory.call("AcceptPageByCode", {"acceptCode": code})


async def test_wrong_codes_spread_over_more_than_fifteen_minutes_do_not_lock(ready, core, clock):
    admin, _ = ready
    code = await _paged_code(admin, clock)
    slow = core.client(_responder(core, "slow"), origin="native 198.51.100.30")
    for i in range(8):
        with pytest.raises(ResourceNotFoundException):
            await slow.call("AcceptPageByCode", {"acceptCode": _wrong(code, i + 1)})
        await clock.advance(minutes=4)  # never five within 15 minutes
    assert (await slow.call("AcceptPageByCode", {"acceptCode": code}))["pageArn"]
