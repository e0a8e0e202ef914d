"""Arrange contacts the way a user would: create, read the activation code from the outbox,
activate."""

from __future__ import annotations

import re
from typing import Any


async def activation_code(client: Any, channel_arn: str) -> str:
    messages = (await client.call("ListOutboxMessages", {"contactChannelArn": channel_arn}))["messages"]
    codes = [m for m in messages if m["kind"] == "activation"]
    assert codes, f"no activation message for {channel_arn}"
    match = re.search(r"\b(\d{6})\b", codes[0]["body"])
    assert match, codes[0]["body"]
    return match.group(1)


async def personal_contact(
    client: Any, alias: str, channels: list[tuple[str, str]], stage_minutes: list[int] | None = None
) -> tuple[str, list[str]]:
    """A PERSONAL contact with activated channels [(type, address)]; its engagement plan has
    one stage per channel (stage i waits stage_minutes[i] before the next), or all channels in
    one stage when stage_minutes is None."""
    contact = (await client.call(
        "CreateContact", {"Alias": alias, "DisplayName": alias.title(), "Type": "PERSONAL", "Plan": {"Stages": []}}
    ))["ContactArn"]
    arns = []
    for i, (kind, address) in enumerate(channels):
        arn = (await client.call(
            "CreateContactChannel",
            {"ContactId": contact, "Name": f"{kind.lower()}-{i}", "Type": kind, "DeliveryAddress": {"SimpleAddress": address}},
        ))["ContactChannelArn"]
        await client.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": await activation_code(client, arn)})
        arns.append(arn)
    if stage_minutes is None:
        stages = [{"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": a}} for a in arns]}]
    else:
        stages = [
            {"DurationInMinutes": m, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": a}}]}
            for a, m in zip(arns, stage_minutes, strict=True)
        ]
    await client.call("UpdateContact", {"ContactId": contact, "Plan": {"Stages": stages}})
    return contact, arns


async def escalation_plan(client: Any, alias: str, stages: list[tuple[int, list[tuple[str, bool]]]]) -> str:
    """An ESCALATION contact: stages of (DurationInMinutes, [(contact arn, is_essential)])."""
    plan = {
        "Stages": [
            {
                "DurationInMinutes": minutes,
                "Targets": [{"ContactTargetInfo": {"ContactId": c, "IsEssential": essential}} for c, essential in targets],
            }
            for minutes, targets in stages
        ]
    }
    return (await client.call("CreateContact", {"Alias": alias, "Type": "ESCALATION", "Plan": plan}))["ContactArn"]


async def sent_pages(client: Any) -> list[dict[str, Any]]:
    """Page messages the outbox has sent, oldest first."""
    messages = (await client.call("ListOutboxMessages", {"maxResults": 100}))["messages"]
    return [m for m in reversed(messages) if m["kind"] == "page" and m["status"] == "sent"]
