"""Helpers for core tests: a set-up workspace and a snapshot of everything the store holds.

``snapshot`` reads every table except the audit trail (a failed call is supposed to add an
audit row and nothing else), so ``assert await snapshot(core) == before`` proves a rejected
call wrote nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core import FakeClock, open_core
from core.runtime import Core

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
UNCHECKED_TABLES = {"audit"}


async def snapshot(core: Core, skip: set[str] = UNCHECKED_TABLES) -> dict[str, list[tuple]]:
    async with core.db.transaction() as tx:
        names = [
            r["name"]
            for r in await tx.fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " ORDER BY name"
            )
        ]
        out = {}
        for name in names:
            if name in skip:
                continue
            rows = await tx.fetchall(f"SELECT * FROM {name}")  # noqa: S608
            out[name] = sorted((tuple(r) for r in rows), key=repr)
        return out


async def audit_count(core: Core) -> int:
    async with core.db.transaction() as tx:
        return await tx.scalar("SELECT COUNT(*) FROM audit")


async def setup_workspace(core: Core, plan_name: str = "api-outage", **template: Any) -> str:
    """Create the replication set and one response plan; return the plan's ARN."""
    client = core.client()
    await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
    tpl = {"title": "API is down", "impact": 2, "summary": "5xx everywhere", **template}
    plan = await client.call("CreateResponsePlan", {"name": plan_name, "incidentTemplate": tpl})
    return plan["arn"]


@asynccontextmanager
async def fresh_core(
    tmp: Path, clock: FakeClock | None = None, config: Any = None
) -> AsyncIterator[Core]:
    """A core on its own data directory (for per-example use in hypothesis tests)."""
    async with open_core(tmp, clock=clock or FakeClock(START), config=config) as core:
        yield core


async def walk(client: Any, op: str, params: dict[str, Any], key: str, page: int,
               between: Any = None) -> list[Any]:
    """Every item of a paged list, following nextToken; ``between()`` runs between pages."""
    items: list[Any] = []
    token = None
    seen_tokens: set[str] = set()
    for _ in range(1_000):
        req = {**params, "maxResults": page}
        if token:
            req["nextToken"] = token
        out = await client.call(op, req)
        items.extend(out[key])
        assert len(out[key]) <= page
        token = out.get("nextToken")
        if not token:
            return items
        assert token not in seen_tokens, f"{op} handed back a nextToken it had already given"
        seen_tokens.add(token)
        if between is not None:
            await between()
    raise AssertionError("paging never ended")
