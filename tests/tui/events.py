"""Waiting for the app to have received a domain event (from a LocalClient at once, from a
RemoteClient over the network): an asyncio.Event set by the app's own event feed, never a sleep."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from core.model.events import DomainEvent

WAIT_S = 20.0  # a bound on a wait for an event, not a delay


class EventWatch:
    """Records every event the app publishes to its screens."""

    def __init__(self, app) -> None:
        self.seen: list[DomainEvent] = []
        self._changed = asyncio.Event()
        publish = app.domain_events.publish

        def recording(event: DomainEvent) -> None:
            publish(event)
            self.seen.append(event)
            self._changed.set()

        app.domain_events.publish = recording

    async def until(self, predicate: Callable[[DomainEvent], bool]) -> DomainEvent:
        async with asyncio.timeout(WAIT_S):
            while True:
                for event in self.seen:
                    if predicate(event):
                        return event
                self._changed.clear()
                await self._changed.wait()
