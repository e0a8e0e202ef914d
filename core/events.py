"""In-process publish/subscribe of committed domain events, in commit order. Each event was
written to the durable event log (core/store/event_log.py) before it commits; ``seq`` is its
log id.

Each subscriber sees events through its view (``core.security.visibility.visible_to`` for a
client's principal): an event its view hides is never queued for it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from core.model.events import DomainEvent

QUEUE_LIMIT = 10_000
View = Callable[[DomainEvent], DomainEvent | None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: dict[asyncio.Queue[DomainEvent | None], View] = {}

    def publish(self, event: DomainEvent) -> None:
        for queue, view in list(self._subscribers.items()):
            shown = view(event)
            if shown is None:
                continue
            if queue.qsize() >= QUEUE_LIMIT:
                # a subscriber that stopped reading must not grow memory without bound
                del self._subscribers[queue]
                queue.put_nowait(None)
                continue
            queue.put_nowait(shown)

    def subscribe(self, view: View) -> Subscription:
        """Start receiving the events ``view`` shows, from now (not from the first ``await``),
        so none are missed."""
        return Subscription(self, view)

    def close(self) -> None:
        for queue in list(self._subscribers):
            queue.put_nowait(None)
        self._subscribers.clear()


class Subscription:
    """An async iterator of events from the moment it was created; ``aclose()`` stops it."""

    def __init__(self, bus: EventBus, view: View) -> None:
        self._bus = bus
        self._queue: asyncio.Queue[DomainEvent | None] = asyncio.Queue()
        self._closed = False
        bus._subscribers[self._queue] = view

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
        self._bus._subscribers.pop(self._queue, None)
