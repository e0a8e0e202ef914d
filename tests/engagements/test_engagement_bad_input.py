"""Bad input to the engagement and page operations answers with the model's error and changes
nothing."""

from __future__ import annotations

import re

import pytest

from core.errors import ResourceNotFoundException, ValidationException
from tests.support.contacts import personal_contact
from tests.support.core_state import UNCHECKED_TABLES, snapshot


@pytest.fixture
async def paged(ready, core, clock):
    client, _ = ready
    dana, _ = await personal_contact(client, "dana", [("EMAIL", "dana@example.com")], stage_minutes=[5])
    eng = (await client.call("StartEngagement", {"ContactId": dana, "Sender": "ops", "Subject": "s", "Content": "c"}))["EngagementArn"]
    await clock.advance(seconds=1)
    [page] = (await client.call("ListPagesByEngagement", {"EngagementId": eng}))["Pages"]
    return client, dana, eng, page["PageArn"]


def _unknown(arn: str) -> str:
    return arn[:-6] + "ffffff" if not arn.endswith("ffffff") else arn[:-6] + "eeeeee"


CALLS = {
    "unknown engagement": lambda d, e, p: [
        ("DescribeEngagement", {"EngagementId": _unknown(e)}),
        ("StopEngagement", {"EngagementId": _unknown(e)}),
        ("ListPagesByEngagement", {"EngagementId": _unknown(e)}),
    ],
    "unknown page": lambda d, e, p: [
        ("DescribePage", {"PageId": _unknown(p)}),
        ("AcceptPage", {"PageId": _unknown(p), "AcceptType": "READ", "AcceptCode": "123456"}),
        ("ListPageReceipts", {"PageId": _unknown(p)}),
        ("ListPageResolutions", {"PageId": _unknown(p)}),
    ],
    "unknown contact": lambda d, e, p: [
        ("StartEngagement", {"ContactId": _unknown(d), "Sender": "ops", "Subject": "s", "Content": "c"}),
        ("ListPagesByContact", {"ContactId": _unknown(d)}),
    ],
}


@pytest.mark.parametrize("case", sorted(CALLS))
async def test_unknown_ids_are_not_found_and_change_nothing(paged, core, clock, case):
    client, dana, eng, page = paged
    before = await snapshot(core)
    for op, req in CALLS[case](dana, eng, page):
        with pytest.raises(ResourceNotFoundException):
            await client.call(op, req)
    await clock.advance(seconds=1)
    assert await snapshot(core) == before


@pytest.mark.parametrize("req, field", [
    ({"AcceptType": "SEEN", "AcceptCode": "123456"}, "AcceptType"),
    ({"AcceptType": "read", "AcceptCode": "123456"}, "AcceptType"),
    ({"AcceptType": "READ", "AcceptCode": "12ab56"}, "AcceptCode"),
    ({"AcceptType": "READ", "AcceptCode": "abc", "AcceptCodeValidation": "IGNORE"}, "AcceptCode"),
    ({"AcceptType": "READ", "AcceptCode": "123456", "AcceptCodeValidation": "STRICT"}, "AcceptCodeValidation"),
    ({"AcceptType": "READ"}, "AcceptCode"),
])
async def test_malformed_accept_page_is_rejected_and_changes_nothing(paged, core, clock, req, field):
    client, dana, eng, page = paged
    before = await snapshot(core)
    with pytest.raises(ValidationException) as info:
        await client.call("AcceptPage", {"PageId": page, **req})
    assert field in str(info.value) or any(f.get("name") == field for f in info.value.fields)
    assert "ReadTime" not in await client.call("DescribePage", {"PageId": page})
    assert await snapshot(core) == before
    # the engagement still escalates: the page was not acknowledged
    assert "StopTime" not in await client.call("DescribeEngagement", {"EngagementId": eng})


async def test_wrong_code_enforced_changes_nothing_but_the_count(paged, core):
    client, dana, eng, page = paged
    [sent] = [m for m in (await client.call("ListOutboxMessages", {}))["messages"] if m.get("pageArn") == page]
    code = re.search(r"Accept code: (\d{6})", sent["body"]).group(1)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    counted = UNCHECKED_TABLES | {"accept_code_failures"}
    before = await snapshot(core, counted)
    with pytest.raises(ValidationException):
        await client.call("AcceptPage", {"PageId": page, "AcceptType": "READ", "AcceptCode": wrong,
                                         "AcceptCodeValidation": "ENFORCE"})
    assert await snapshot(core, counted) == before
    async with core.db.transaction() as tx:
        assert await tx.scalar("SELECT COUNT(*) FROM accept_code_failures") == 1
