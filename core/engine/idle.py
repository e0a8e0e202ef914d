"""Knowing when a background loop has nothing left to do at the current time.

A loop calls ``waiting(until)`` just before it blocks and ``resumed()`` after; ``wait`` is the
FakeClock settler: it returns once the loop is blocked with nothing it could do now (its
deadline is in the future and no wake-up is pending), True if it had to wait for that.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from core.clock import Clock


class IdleWatch:
    def __init__(self, clock: Clock, wake_pending: Callable[[], bool]) -> None:
        self._clock = clock
        self._wake_pending = wake_pending
        self._went_idle = asyncio.Event()
        self._blocked = False
        self._until: datetime | None = None

    def waiting(self, until: datetime | None) -> None:
        self._blocked = True
        self._until = until
        self._went_idle.set()

    def resumed(self) -> None:
        self._blocked = False
        self._until = None

    def is_idle(self) -> bool:
        return (
            self._blocked
            and not self._wake_pending()
            and (self._until is None or self._until > self._clock.now())
        )

    async def wait(self, task: asyncio.Task[None] | None) -> bool:
        waited = False
        while task is not None and not task.done() and not self.is_idle():
            waited = True
            self._went_idle.clear()
            await self._went_idle.wait()
        return waited
