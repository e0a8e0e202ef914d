"""Time as an injected dependency.

Production code asks a ``Clock`` for the time and for waits; it never calls ``datetime.now()``
or ``time.time()``. ``FakeClock`` lets tests run hours of escalations in milliseconds:
``advance`` moves time forward one due moment at a time and returns only when everything due
by then has run (every registered settler reports idle).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...

    async def sleep_until(self, when: datetime | None, wake: asyncio.Event | None = None) -> None:
        """Return at ``when`` (never, if None) or as soon as ``wake`` is set."""
        ...

    async def sleep(self, seconds: float) -> None: ...

    def add_settler(self, settle: Callable[[], Awaitable[bool]]) -> None: ...

    def remove_settler(self, settle: Callable[[], Awaitable[bool]]) -> None: ...


async def _wait_event_or_seconds(wake: asyncio.Event | None, seconds: float | None) -> None:
    if wake is None:
        if seconds is None:
            await asyncio.Event().wait()
        else:
            await asyncio.sleep(max(0.0, seconds))
        return
    if wake.is_set():
        return
    try:
        async with asyncio.timeout(None if seconds is None else max(0.0, seconds)):
            await wake.wait()
    except TimeoutError:
        pass


class SystemClock:
    """The wall clock, in aware UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep_until(self, when: datetime | None, wake: asyncio.Event | None = None) -> None:
        seconds = None if when is None else (when - self.now()).total_seconds()
        await _wait_event_or_seconds(wake, seconds)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def add_settler(self, settle: Callable[[], Awaitable[bool]]) -> None:
        pass

    def remove_settler(self, settle: Callable[[], Awaitable[bool]]) -> None:
        pass


class FakeClock:
    """A clock that moves only when told to.

    Components that do work in the background (the scheduler, the outbox sender, the replica
    syncer) register a *settler*: an awaitable that returns once they have nothing left to do
    at the current fake time. ``advance`` steps through each due moment and awaits every
    settler before moving on, so a test observes the state exactly as of the new time.
    """

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime(2026, 1, 1, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime (for example tzinfo=UTC)")
        self._now = start.astimezone(UTC)
        self._mono = 0.0
        self._sleepers: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._settlers: list[Callable[[], Awaitable[bool]]] = []

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def add_settler(self, settle: Callable[[], Awaitable[bool]]) -> None:
        self._settlers.append(settle)

    def remove_settler(self, settle: Callable[[], Awaitable[bool]]) -> None:
        if settle in self._settlers:
            self._settlers.remove(settle)

    async def sleep_until(self, when: datetime | None, wake: asyncio.Event | None = None) -> None:
        if when is not None and when <= self._now:
            return
        fut: asyncio.Future[None] | None = None
        waiters: list[asyncio.Future] = []
        if when is not None:
            fut = asyncio.get_running_loop().create_future()
            heapq.heappush(self._sleepers, (when, next(self._seq), fut))
            waiters.append(fut)
        wake_task = None
        if wake is not None:
            if wake.is_set():
                if fut is not None:
                    fut.cancel()
                return
            wake_task = asyncio.ensure_future(wake.wait())
            waiters.append(wake_task)
        if not waiters:
            await asyncio.Event().wait()
            return
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if fut is not None and not fut.done():
                fut.cancel()
            if wake_task is not None and not wake_task.done():
                wake_task.cancel()

    async def sleep(self, seconds: float) -> None:
        await self.sleep_until(self._now + timedelta(seconds=seconds))

    def _next_due(self) -> datetime | None:
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)
        return self._sleepers[0][0] if self._sleepers else None

    def _release_due(self) -> None:
        while self._sleepers and self._sleepers[0][0] <= self._now:
            _, _, fut = heapq.heappop(self._sleepers)
            if not fut.done():
                fut.set_result(None)

    async def settle(self) -> None:
        """Let every background component finish what is due at the current time.

        Settlers return True when they had work to wait for; the pass repeats until one full
        pass finds every settler already idle and no sleeper due (a fixpoint), because one
        component's work can hand new work to another (a timer enqueues a send...).
        """
        for _round in range(10_000):
            for _ in range(3):
                await asyncio.sleep(0)
            self._release_due()
            waited = False
            for settle in list(self._settlers):
                if await settle():
                    waited = True
            due = self._next_due()
            if not waited and (due is None or due > self._now):
                return
        raise RuntimeError("FakeClock.settle: background work did not go idle")

    async def advance(
        self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0
    ) -> None:
        """Move time forward, running everything due along the way, in order."""
        delta = timedelta(seconds=seconds, minutes=minutes, hours=hours, days=days)
        if delta < timedelta(0):
            raise ValueError("time only moves forward")
        target = self._now + delta
        await self.settle()
        while True:
            due = self._next_due()
            if due is None or due > target:
                break
            if due > self._now:
                self._mono += (due - self._now).total_seconds()
                self._now = due
            self._release_due()
            await self.settle()
        self._mono += (target - self._now).total_seconds()
        self._now = target
        self._release_due()
        await self.settle()

    async def set(self, when: datetime) -> None:
        """Advance to an absolute moment."""
        await self.advance((when - self._now).total_seconds())
