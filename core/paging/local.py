"""The LOCAL outbox provider: the default for a channel type with no provider configured.

It transports nothing. The engine already stores every message in its outbox table, where the
cockpit shows it (and where a responder sitting at the cockpit sees the page); this provider
just reports success with the idempotency key as the message id.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from core.paging.base import DeliveryResult, OutboundMessage

log = logging.getLogger(__name__)


class LocalProvider:
    name = "local"

    def __init__(self, channel: str = "LOCAL") -> None:
        self.channel = channel

    async def send(self, message: OutboundMessage, now: datetime) -> DeliveryResult:
        log.debug("kept %s %s in the local outbox", message.kind, message.idempotency_key)
        return DeliveryResult(
            provider="local",
            provider_message_id=message.idempotency_key,
            detail="stored in the local outbox only",
        )

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "channel": self.channel,
            "configured": False,
            "target": "local outbox (shown in the cockpit, not sent)",
        }

    def __repr__(self) -> str:
        return f"LocalProvider(channel={self.channel!r})"
