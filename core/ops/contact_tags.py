"""Tags on ssm-contacts resources: contacts and rotations (TagResource, UntagResource,
ListTagsForResource with ``ResourceARN``/``Tags``/``TagKeys``). The registry picks these over
the ssm-incidents operations of the same names by the request's PascalCase members."""

from __future__ import annotations

from typing import Any

from core import arns
from core.engine.context import Context
from core.errors import ResourceNotFoundException
from core.ops.contacts import tags_dict, tags_list
from core.ops.registry import operation
from core.ops.tags import read_tags, replace_tags

SERVICE = "ssm-contacts"
TAGGABLE = {"contact": "contacts", "rotation": "rotations"}


async def _require_resource(ctx: Context, arn: str) -> None:
    parts = arns.parse(arn, field="ResourceARN", service="ssm-contacts")
    kind = parts["resource"].split("/", 1)[0]
    table = TAGGABLE.get(kind)
    if table is None or not await ctx.tx.scalar(f"SELECT 1 FROM {table} WHERE arn = ?", (arn,)):  # noqa: S608
        raise ResourceNotFoundException(f"resource {arn} does not exist (ResourceARN)", kind.upper(), arn)
    ctx.resource_arn = arn


@operation("TagResource", service=SERVICE)
async def tag_resource(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Add or overwrite tags on a contact or rotation."""
    await _require_resource(ctx, req["ResourceARN"])
    tags = tags_dict(req["Tags"])
    if tags:
        await replace_tags(ctx, req["ResourceARN"], tags)
    return {}


@operation("UntagResource", service=SERVICE)
async def untag_resource(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Remove tags by key from a contact or rotation."""
    await _require_resource(ctx, req["ResourceARN"])
    await ctx.tx.executemany(
        "DELETE FROM tags WHERE resource_arn = ? AND key = ?",
        [(req["ResourceARN"], k) for k in req["TagKeys"]],
    )
    return {}


@operation("ListTagsForResource", service=SERVICE, readonly=True)
async def list_tags_for_resource(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List a contact's or rotation's tags."""
    await _require_resource(ctx, req["ResourceARN"])
    return {"Tags": tags_list(await read_tags(ctx, req["ResourceARN"]))}
