"""Tags on ssm-incidents resources (response plans, replication sets, incident records)."""

from __future__ import annotations

from typing import Any

from core import arns
from core.engine.context import Context
from core.errors import ResourceNotFoundException, ServiceQuotaExceededException
from core.ops.registry import operation

SERVICE = "ssm-incidents"
MAX_TAGS = 50
TAGGABLE = {
    "response-plan": "response_plans",
    "replication-set": "replication_sets",
    "incident-record": "incidents",
}


async def _require_resource(ctx: Context, arn: str) -> None:
    parts = arns.parse(arn, field="resourceArn", service="ssm-incidents")
    kind = parts["resource"].split("/", 1)[0]
    table = TAGGABLE.get(kind)
    if table is None or not await ctx.tx.scalar(f"SELECT 1 FROM {table} WHERE arn = ?", (arn,)):  # noqa: S608
        raise ResourceNotFoundException(f"resource {arn} does not exist", kind, arn)


async def replace_tags(ctx: Context, arn: str, tags: dict[str, str]) -> None:
    """Add or overwrite tags (shared by Create* operations that take ``tags``)."""
    await ctx.tx.executemany(
        "INSERT INTO tags (resource_arn, key, value) VALUES (?, ?, ?) "
        "ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value",
        [(arn, k, v) for k, v in tags.items()],
    )
    count = await ctx.tx.scalar("SELECT COUNT(*) FROM tags WHERE resource_arn = ?", (arn,))
    if count > MAX_TAGS:
        raise ServiceQuotaExceededException(
            f"{arn} would have {count} tags; a resource holds at most {MAX_TAGS}"
        )


async def read_tags(ctx: Context, arn: str) -> dict[str, str]:
    rows = await ctx.tx.fetchall("SELECT key, value FROM tags WHERE resource_arn = ? ORDER BY key", (arn,))
    return {r["key"]: r["value"] for r in rows}


@operation("TagResource", service=SERVICE, needs_replication_set=False)
async def tag_resource(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Add or overwrite tags on a response plan, replication set or incident record."""
    await _require_resource(ctx, req["resourceArn"])
    await replace_tags(ctx, req["resourceArn"], req["tags"])
    return {}


@operation("UntagResource", service=SERVICE, needs_replication_set=False)
async def untag_resource(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Remove tags by key."""
    await _require_resource(ctx, req["resourceArn"])
    await ctx.tx.executemany(
        "DELETE FROM tags WHERE resource_arn = ? AND key = ?",
        [(req["resourceArn"], k) for k in req["tagKeys"]],
    )
    return {}


@operation("ListTagsForResource", service=SERVICE, readonly=True, needs_replication_set=False)
async def list_tags_for_resource(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List a resource's tags."""
    await _require_resource(ctx, req["resourceArn"])
    return {"tags": await read_tags(ctx, req["resourceArn"])}
