"""Helpers for the contacts area: contacts, channels, and activation codes read from the outbox."""

from __future__ import annotations

import re
from typing import Any

import pytest

CODE_RE = re.compile(r"Activation code: (\d{6})")


class Contacts:
    def __init__(self, client: Any) -> None:
        self.c = client

    async def personal(self, alias: str, display: str | None = None, **extra: Any) -> str:
        params = {"Alias": alias, "Type": "PERSONAL", "Plan": {"Stages": []}, **extra}
        if display:
            params["DisplayName"] = display
        return (await self.c.call("CreateContact", params))["ContactArn"]

    async def channel(self, contact: str, name: str = "mail", type_: str = "EMAIL",
                      address: str = "ana@example.com", defer: bool = False) -> str:
        params = {"ContactId": contact, "Name": name, "Type": type_,
                  "DeliveryAddress": {"SimpleAddress": address}}
        if defer:
            params["DeferActivation"] = True
        return (await self.c.call("CreateContactChannel", params))["ContactChannelArn"]

    async def messages(self, channel: str) -> list[dict[str, Any]]:
        out = await self.c.call("ListOutboxMessages", {"contactChannelArn": channel})
        return [m for m in out["messages"] if m["kind"] == "activation"]

    async def code(self, channel: str) -> str:
        """The newest activation code sent to ``channel``, read from the delivery log."""
        messages = await self.messages(channel)
        assert messages, f"no activation message for {channel}"
        match = CODE_RE.search(messages[0]["body"])
        assert match, messages[0]["body"]
        assert match.group(1) in messages[0]["shortBody"]
        return match.group(1)

    async def activated(self, contact: str, name: str = "mail", **kw: Any) -> str:
        arn = await self.channel(contact, name, **kw)
        await self.c.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": await self.code(arn)})
        return arn


@pytest.fixture
async def contacts(ready) -> Contacts:
    client, _plan = ready
    return Contacts(client)
