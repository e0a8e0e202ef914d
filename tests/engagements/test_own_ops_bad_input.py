"""Our own engagement/outbox operations validate like the AWS-named ones."""

from __future__ import annotations

import pytest

from core.errors import AccessDeniedException, ValidationException
from core.security.principals import Principal


@pytest.mark.parametrize(
    ("op", "params", "field"),
    [
        ("ListOutboxMessages", {"channelType": "PIGEON"}, "channelType"),
        ("ListOutboxMessages", {"maxResults": 0}, "maxResults"),
        ("ListOutboxMessages", {"startTime": "yesterday"}, "startTime"),
        ("ListOutboxMessages", {"bogus": 1}, "bogus"),
        ("ListOutboxMessages", {"nextToken": "forged"}, "nextToken"),
        ("ListIncidentEngagements", {}, "incidentRecordArn"),
        ("ListIncidentEngagements", {"incidentRecordArn": "not-an-arn"}, "incidentRecordArn"),
    ],
)
async def test_bad_requests_name_the_field(ready, op, params, field):
    client, _ = ready
    with pytest.raises(ValidationException) as info:
        await client.call(op, params)
    assert field in [f["name"] for f in info.value.fields]


async def test_outbox_bodies_only_for_administrators(ready, core):
    client, _ = ready
    contact = (await client.call("CreateContact", {"Alias": "eve", "Type": "PERSONAL", "Plan": {"Stages": []}}))["ContactArn"]
    await client.call(
        "CreateContactChannel",
        {"ContactId": contact, "Name": "mail", "Type": "EMAIL", "DeliveryAddress": {"SimpleAddress": "eve@example.com"}},
    )
    admin_view = (await client.call("ListOutboxMessages", {}))["messages"]
    assert admin_view and "body" in admin_view[0]
    reader = Principal(arn="arn:aws:iam::000000000000:user/reader", name="reader",
                       allowed_actions=frozenset({"cockpit:List*"}))
    reader_view = (await core.client(reader).call("ListOutboxMessages", {}))["messages"]
    assert reader_view and "body" not in reader_view[0] and "shortBody" not in reader_view[0]
    with pytest.raises(AccessDeniedException):
        await core.client(reader).call("StartEngagement", {"ContactId": contact, "Sender": "x", "Subject": "s", "Content": "c"})
