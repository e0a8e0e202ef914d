"""Related items: metrics, runbook executions, links and other resources tied to an incident."""

from __future__ import annotations

import json
from typing import Any

from core.engine.context import Context
from core.engine.timeline import add_event
from core.errors import ConflictException, ResourceNotFoundException, ServiceQuotaExceededException
from core.model import events as ev
from core.model.incidents import TimelineEventType
from core.ops import pagination
from core.ops.registry import operation
from core.ops.timeline import require_incident
from core.store.db import dumps, loads

SERVICE = "ssm-incidents"
MAX_ITEMS = 100


def item_key(identifier: dict[str, Any]) -> tuple[str, str]:
    """What makes two items the same: their type and value."""
    return identifier["type"], json.dumps(identifier["value"], sort_keys=True, default=str)


async def add_item(ctx: Context, incident_arn: str, item: dict[str, Any], *, record: bool = True) -> None:
    item_type, value = item_key(item["identifier"])
    exists = await ctx.tx.scalar(
        "SELECT 1 FROM related_items WHERE incident_arn = ? AND item_type = ? AND item_value = ?",
        (incident_arn, item_type, value),
    )
    if exists:
        raise ConflictException(f"the incident already has this {item_type} related item")
    count = await ctx.tx.scalar("SELECT COUNT(*) FROM related_items WHERE incident_arn = ?", (incident_arn,))
    if count >= MAX_ITEMS:
        raise ServiceQuotaExceededException(f"an incident holds at most {MAX_ITEMS} related items")
    await ctx.tx.execute(
        "INSERT INTO related_items (incident_arn, item_type, item_value, generated_id, doc) VALUES (?, ?, ?, ?, ?)",
        (incident_arn, item_type, value, item.get("generatedId"), dumps(item)),
    )
    if record:
        await add_event(
            ctx, incident_arn, TimelineEventType.RELATED_ITEM.value,
            {"action": "added", "type": item_type, "title": item.get("title"), "value": item["identifier"]["value"]},
        )


@operation("UpdateRelatedItems", service=SERVICE)
async def update_related_items(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Add or remove one related item."""
    arn = req["incidentRecordArn"]
    await require_incident(ctx.tx, arn)
    update = req["relatedItemsUpdate"]
    if "itemToAdd" in update:
        await add_item(ctx, arn, update["itemToAdd"])
    else:
        item_type, value = item_key(update["itemToRemove"])
        removed = await ctx.tx.execute(
            "DELETE FROM related_items WHERE incident_arn = ? AND item_type = ? AND item_value = ?",
            (arn, item_type, value),
        )
        if not removed:
            raise ResourceNotFoundException(
                f"the incident has no such {item_type} related item", "RELATED_ITEM", arn
            )
        await add_event(
            ctx, arn, TimelineEventType.RELATED_ITEM.value,
            {"action": "removed", "type": item_type, "value": update["itemToRemove"]["value"]},
        )
    ctx.emit(ev.RELATED_ITEMS_UPDATED, arn)
    return {}


@operation("ListRelatedItems", service=SERVICE, readonly=True)
async def list_related_items(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List an incident's related items, in the order they were added."""
    arn = req["incidentRecordArn"]
    await require_incident(ctx.tx, arn, not_found=False)
    after = pagination.decode(req.get("nextToken"), scope="ri")
    limit = pagination.page_size(req.get("maxResults"))
    rows = await ctx.tx.fetchall(
        "SELECT id, doc FROM related_items WHERE incident_arn = ? AND id > ? ORDER BY id LIMIT ?",
        (arn, (after or {}).get("i", 0), limit + 1),
    )
    out: dict[str, Any] = {"relatedItems": [loads(r["doc"]) for r in rows[:limit]]}
    if len(rows) > limit:
        out["nextToken"] = pagination.encode({"s": "ri", "i": rows[limit - 1]["id"]})
    return out
