"""ListOutboxMessages: the delivery log of every message any provider sent or tried to send."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from core.engine.context import Context
from core.engine.outbox import outbox_view
from core.ops import pagination
from core.ops.registry import OWN_SERVICE, operation
from core.timeutil import to_us


class ListOutboxMessagesRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    channelType: Literal["EMAIL", "SMS", "VOICE", "WEBHOOK"] | None = None
    engagementArn: str | None = Field(default=None, max_length=2048)
    contactChannelArn: str | None = Field(default=None, max_length=2048)
    status: Literal["pending", "held", "sending", "sent", "failed", "bundled", "cancelled"] | None = None
    startTime: AwareDatetime | None = None
    endTime: AwareDatetime | None = None
    maxResults: int | None = Field(default=None, ge=1, le=100)
    nextToken: str | None = Field(default=None, max_length=2000)


@operation("ListOutboxMessages", service=OWN_SERVICE, readonly=True, request=ListOutboxMessagesRequest)
async def list_outbox_messages(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """The delivery log, newest first; message bodies only for administrators."""
    where, args = [], []
    for key, column in (("channelType", "channel_type"), ("engagementArn", "engagement_arn"),
                        ("contactChannelArn", "channel_arn"), ("status", "status")):
        if req.get(key):
            where.append(f"{column} = ?")
            args.append(req[key])
    if req.get("startTime"):
        where.append("created_us >= ?")
        args.append(to_us(req["startTime"]))
    if req.get("endTime"):
        where.append("created_us < ?")
        args.append(to_us(req["endTime"]))
    after = pagination.decode(req.get("nextToken"), scope="outbox")
    if after:
        where.append("id < ?")
        args.append(after["i"])
    limit = pagination.page_size(req.get("maxResults"))
    rows = await ctx.tx.fetchall(
        "SELECT * FROM outbox" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC LIMIT ?",
        [*args, limit + 1],
    )
    admin = ctx.principal.admin
    out: dict[str, Any] = {"messages": [outbox_view(r, with_body=admin, cipher=ctx.core.cipher) for r in rows[:limit]]}
    if len(rows) > limit:
        out["nextToken"] = pagination.encode({"s": "outbox", "i": rows[limit - 1]["id"]})
    return out
