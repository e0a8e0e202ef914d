"""The durable scheduler: every timer is a row in ``timers``.

The loop sleeps until the earliest pending row is due or until ``wake()`` is called (a
transaction that inserts a timer wakes it on commit). There is no fixed polling cycle. A due
row's handler runs in a transaction that also deletes the row, so its effects and its
completion commit together; a crash before commit leaves the row to fire again on restart.
A handler that raises is retried with exponential backoff and its error recorded.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from core.engine.context import Context
from core.engine.idle import IdleWatch
from core.store.db import Tx, dumps, loads
from core.timeutil import from_us, to_us

if TYPE_CHECKING:
    from core.runtime import Core

log = logging.getLogger("cockpit.core.scheduler")

TimerHandler = Callable[[Context, dict[str, Any]], Awaitable[None]]

# kind -> handler; modules register with @timer_handler at import (like operations)
TIMER_KINDS: dict[str, TimerHandler] = {}


def timer_handler(kind: str) -> Callable[[TimerHandler], TimerHandler]:
    """Register ``handler(ctx, payload)`` to run when a timer of ``kind`` is due."""

    def register(fn: TimerHandler) -> TimerHandler:
        if kind in TIMER_KINDS and TIMER_KINDS[kind] is not fn:
            raise RuntimeError(f"timer kind {kind!r} registered twice")
        TIMER_KINDS[kind] = fn
        return fn

    return register
BATCH = 64
MAX_ATTEMPTS = 12
MAX_BACKOFF_S = 600.0


class Scheduler:
    def __init__(self, core: Core) -> None:
        self.core = core
        self._wake = asyncio.Event()
        self._idle = IdleWatch(core.clock, self._wake.is_set)
        self._task: asyncio.Task[None] | None = None
        self.fired = 0

    # -- scheduling ---------------------------------------------------------------------------
    async def schedule(
        self,
        tx: Tx,
        kind: str,
        due: datetime,
        payload: dict[str, Any],
        dedupe_key: str | None = None,
    ) -> int:
        """Insert a timer in the caller's transaction; the loop wakes when it commits."""
        if dedupe_key is not None:
            await tx.execute(
                "DELETE FROM timers WHERE dedupe_key = ? AND state = 'pending'", (dedupe_key,)
            )
        timer_id = await tx.execute(
            "INSERT INTO timers (kind, due_us, payload, dedupe_key, created_us) VALUES (?, ?, ?, ?, ?)",
            (kind, to_us(due), dumps(payload), dedupe_key, to_us(self.core.clock.now())),
        )
        tx.after_commit(self.wake)
        return timer_id

    async def claim_due(self, tx: Tx, kind: str, limit: int) -> list[dict[str, Any]]:
        """Take, in the caller's transaction, up to ``limit`` more due timers of ``kind`` that
        never failed: a handler may settle a burst of like timers in one commit (they fire again
        one by one if that transaction rolls back). Their payloads, in due order."""
        rows = await tx.fetchall(
            "SELECT id, payload FROM timers WHERE kind = ? AND state = 'pending' AND attempts = 0 AND due_us <= ?"
            " ORDER BY due_us, id LIMIT ?",
            (kind, to_us(self.core.clock.now()), limit),
        )
        if rows:
            marks = ",".join("?" * len(rows))
            await tx.execute(f"DELETE FROM timers WHERE id IN ({marks})", [row["id"] for row in rows])  # noqa: S608
        return [loads(row["payload"]) for row in rows]

    async def cancel(self, tx: Tx, dedupe_key: str) -> int:
        return await tx.execute(
            "DELETE FROM timers WHERE dedupe_key = ? AND state = 'pending'", (dedupe_key,)
        )

    def wake(self) -> None:
        self._wake.set()

    # -- the loop ----------------------------------------------------------------------------
    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="cockpit-scheduler")
            self.core.clock.add_settler(self.wait_idle)

    async def stop(self) -> None:
        self.core.clock.remove_settler(self.wait_idle)
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def wait_idle(self) -> bool:
        """A FakeClock settler: returns once nothing is due at the current time."""
        return await self._idle.wait(self._task)

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                fired, next_due = await self._fire_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduler pass failed; retrying")
                fired, next_due = 0, self.core.clock.now() + timedelta(seconds=1)
            if fired:
                continue
            self._idle.waiting(next_due)
            try:
                await self.core.clock.sleep_until(next_due, self._wake)
            finally:
                self._idle.resumed()

    async def _fire_due(self) -> tuple[int, datetime | None]:
        now = self.core.clock.now()
        db = self.core.db
        async with db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT id, kind, payload, attempts FROM timers WHERE state = 'pending' AND due_us <= ?"
                " ORDER BY due_us, id LIMIT ?",
                (to_us(now), BATCH),
            )
            next_us = None
            if not rows:
                next_us = await tx.scalar(
                    "SELECT MIN(due_us) FROM timers WHERE state = 'pending'"
                )
        for row in rows:
            await self._fire(row["id"], row["kind"], loads(row["payload"]), row["attempts"])
        return len(rows), from_us(next_us)

    async def _fire(self, timer_id: int, kind: str, payload: dict[str, Any], attempts: int) -> None:
        handler = TIMER_KINDS.get(kind)
        core = self.core
        try:
            async with core.db.transaction() as tx:
                # the row may have been cancelled since it was read
                if await tx.execute(
                    "DELETE FROM timers WHERE id = ? AND state = 'pending'", (timer_id,)
                ) == 0:
                    return
                if handler is None:
                    raise LookupError(f"no handler for timer kind {kind!r}")
                ctx = Context(core, tx, core.system_principal, origin="scheduler")
                await handler(ctx, payload)
            self.fired += 1
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            attempts += 1
            state = "pending" if attempts < MAX_ATTEMPTS else "failed"
            delay = min(MAX_BACKOFF_S, 2.0**attempts)
            log.warning("timer %s (%s) failed (attempt %d): %s", timer_id, kind, attempts, exc)
            async with core.db.transaction() as tx:
                await tx.execute(
                    "UPDATE timers SET attempts = ?, state = ?, last_error = ?, due_us = ? WHERE id = ?",
                    (
                        attempts,
                        state,
                        f"{type(exc).__name__}: {exc}"[:1000],
                        to_us(core.clock.now() + timedelta(seconds=delay)),
                        timer_id,
                    ),
                )

    async def pending_count(self) -> int:
        async with self.core.db.transaction() as tx:
            return await tx.scalar("SELECT COUNT(*) FROM timers WHERE state = 'pending'")
