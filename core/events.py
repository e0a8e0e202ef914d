"""In-process publish/subscribe of committed domain events, in commit order."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from core.model.events import DomainEvent

QUEUE_LIMIT = 10_000


class EventBus:
    def __init__(self) -> None:
        self._seq = itertools.count(1)
        self._subscribers: set[asyncio.Queue[DomainEvent | None]] = set()

    def publish(
        self, event_type: str, time: datetime, resource_arn: str | None, detail: dict[str, Any]
    ) -> DomainEvent:
        event = DomainEvent(next(self._seq), event_type, time, resource_arn, detail)
        for queue in list(self._subscribers):
            if queue.qsize() >= QUEUE_LIMIT:
                # a subscriber that stopped reading must not grow memory without bound
                self._subscribers.discard(queue)
                queue.put_nowait(None)
                continue
            queue.put_nowait(event)
        return event

    def subscribe(self) -> Subscription:
        """Start receiving events now (not at the first ``await``), so none are missed."""
        return Subscription(self)

    def close(self) -> None:
        for queue in list(self._subscribers):
            queue.put_nowait(None)
        self._subscribers.clear()


class Subscription:
    """An async iterator of events from the moment it was created; ``aclose()`` stops it."""

    def __init__(self, bus: EventBus) -> None:
        self._bus = bus
        self._queue: asyncio.Queue[DomainEvent | None] = asyncio.Queue()
        self._closed = False
        bus._subscribers.add(self._queue)

    def __aiter__(self) -> AsyncIterator[DomainEvent]:
        return self

    async def __anext__(self) -> DomainEvent:
        if self._closed:
            raise StopAsyncIteration
        event = await self._queue.get()
        if event is None:
            await self.aclose()
            raise StopAsyncIteration
        return event

    async def aclose(self) -> None:
        self._closed = True
        self._bus._subscribers.discard(self._queue)
