"""The durable event log: every domain event, written in the transaction of the change it
reports, with an id that only increases. ``Last-Event-ID`` replays from here."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core.model.events import DomainEvent
from core.store.db import Database, Tx, dumps, loads
from core.timeutil import from_us, to_us

RETENTION = timedelta(days=30)
REPLAY_BATCH = 500
PRUNE_EVERY = 10_000  # every so many events, the one that reaches the mark also forgets old ones


async def append(
    tx: Tx, event_type: str, time: datetime, resource_arn: str | None, detail: dict[str, Any]
) -> DomainEvent:
    text = dumps(detail)
    seq = await tx.execute(
        "INSERT INTO event_log (time_us, type, resource_arn, detail) VALUES (?, ?, ?, ?)",
        (to_us(time), event_type, resource_arn, text),
    )
    if seq % PRUNE_EVERY == 0:  # a long-running core keeps RETENTION, not everything
        await tx.execute("DELETE FROM event_log WHERE time_us < ?", (to_us(time - RETENTION),))
    # the detail as a replay (or a remote client) sees it, so live and replayed events match
    return DomainEvent(seq, event_type, time, resource_arn, loads(text))


def _event(row: Any) -> DomainEvent:
    return DomainEvent(row["id"], row["type"], from_us(row["time_us"]), row["resource_arn"], loads(row["detail"]))


async def since(db: Database, after_id: int, limit: int = REPLAY_BATCH) -> list[DomainEvent]:
    """Events with an id above ``after_id``, oldest first, at most ``limit``."""
    async with db.transaction() as tx:
        rows = await tx.fetchall(
            "SELECT * FROM event_log WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit)
        )
    return [_event(r) for r in rows]


async def last_id(db: Database) -> int:
    async with db.transaction() as tx:
        return await tx.scalar("SELECT COALESCE(MAX(id), 0) FROM event_log")


async def oldest_id(db: Database) -> int | None:
    async with db.transaction() as tx:
        return await tx.scalar("SELECT MIN(id) FROM event_log")


async def prune(db: Database, now: datetime) -> int:
    """Forget events older than ``RETENTION`` (ids are never reused: AUTOINCREMENT); a core
    does this when it opens, and ``append`` every PRUNE_EVERY events."""
    async with db.transaction() as tx:
        return await tx.execute("DELETE FROM event_log WHERE time_us < ?", (to_us(now - RETENTION),))
