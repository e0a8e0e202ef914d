"""LookupAuditEvents: read the audit trail (our own operation; CloudTrail's role)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from core.engine.context import Context
from core.ops import pagination
from core.ops.registry import OWN_SERVICE, REGISTRY, operation
from core.store.db import loads
from core.timeutil import from_us, to_us


class LookupAuditEventsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    startTime: AwareDatetime | None = None
    endTime: AwareDatetime | None = None
    operation: str | None = Field(default=None, max_length=128)
    principal: str | None = Field(default=None, max_length=1000)
    resourceArn: str | None = Field(default=None, max_length=1000)
    result: str | None = Field(default=None, max_length=64, description="OK or an error code")
    changesOnly: bool | None = Field(
        default=None, description="true: leave out the read-only operations (Get, List, Describe...)")
    maxResults: int | None = Field(default=None, ge=1, le=100)
    nextToken: str | None = Field(default=None, max_length=2000)


@operation("LookupAuditEvents", service=OWN_SERVICE, readonly=True, request=LookupAuditEventsRequest)
async def lookup_audit_events(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Read the audit trail, newest first, filtered by time, operation, principal and resource
    (``changesOnly`` leaves out the reads)."""
    where: list[str] = []
    args: list[Any] = []
    start: datetime | None = req.get("startTime")
    end: datetime | None = req.get("endTime")
    if start:
        where.append("time_us >= ?")
        args.append(to_us(start))
    if end:
        where.append("time_us < ?")
        args.append(to_us(end))
    for key, column in (("operation", "operation"), ("principal", "principal"),
                        ("resourceArn", "resource_arn"), ("result", "result")):
        if req.get(key):
            where.append(f"{column} = ?")
            args.append(req[key])
    if req.get("changesOnly"):
        reads = sorted({op.name for op in REGISTRY.all() if op.readonly})
        where.append(f"operation NOT IN ({', '.join('?' * len(reads))})")
        args += reads
    after = pagination.decode(req.get("nextToken"), scope="audit")
    if after:
        where.append("id < ?")
        args.append(after["i"])
    limit = pagination.page_size(req.get("maxResults"))
    sql = (
        "SELECT * FROM audit" + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY id DESC LIMIT ?"
    )
    rows = await ctx.tx.fetchall(sql, [*args, limit + 1])
    out: dict[str, Any] = {
        "events": [
            {
                "eventId": r["id"],
                "time": from_us(r["time_us"]),
                "operation": r["operation"],
                "principal": r["principal"],
                "origin": r["origin"],
                "accessKeyId": r["access_key_id"],
                "sourceIp": r["source_ip"],
                "resourceArn": r["resource_arn"],
                "parameters": loads(r["params"]),
                "result": r["result"],
                "errorMessage": r["error_message"],
            }
            for r in rows[:limit]
        ]
    }
    if len(rows) > limit:
        out["nextToken"] = pagination.encode({"s": "audit", "i": rows[limit - 1]["id"]})
    return out
