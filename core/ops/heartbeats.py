"""Heartbeats (our own operations): the alert for when alerts stop.

A heartbeat expects a ping at least every ``intervalSeconds`` (30 s or more). Its deadline is a
durable timer (``heartbeat.deadline``): when it fires before a ping, the heartbeat is MISSED and
an incident starts from its response plan with its impact (``triggerDetails.triggerArn`` is the
heartbeat, so a maintenance window on it holds the pages back). The next ping adds a timeline
event to that incident, resolves it when ``resolveOnPing`` says so, and sets the next deadline.

Each heartbeat has its own ping token, stored as a SHA-256 hash and shown once by
CreateHeartbeat (core/server/heartbeat_pings.py checks it for the HTTP ping routes).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from core import arns
from core.engine.context import Context
from core.engine.scheduler import timer_handler
from core.engine.timeline import add_event
from core.errors import ConflictException, ResourceNotFoundException
from core.model import events as ev
from core.model.incidents import IncidentStatus, TimelineEventType
from core.ops import pagination
from core.ops.incidents import start_incident, update_incident_record
from core.ops.registry import OWN_SERVICE, operation
from core.ops.response_plans import get_plan
from core.store.db import dumps, loads
from core.timeutil import format_duration, from_us, to_us

DEADLINE_TIMER = "heartbeat.deadline"
SOURCE = "cockpit.heartbeat"
MIN_INTERVAL_S = 30
MAX_INTERVAL_S = 7 * 24 * 3600
HeartbeatName = Field(pattern=r"^[A-Za-z0-9_.-]{1,100}$", description="letters, digits and _.-")
DOC_FIELDS = ("intervalSeconds", "responsePlanArn", "impact", "resolveOnPing", "description")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(stored_hash: str, token: str) -> bool:
    return hmac.compare_digest(stored_hash, token_hash(token))


def heartbeat_arn(account_id: str, name: str) -> str:
    return arns.incidents_arn(account_id, f"heartbeat/{name}")


async def _load(ctx: Context, name: str) -> Any:
    row = await ctx.tx.fetchone("SELECT * FROM heartbeats WHERE name = ?", (name,))
    if row is None:
        raise ResourceNotFoundException(f"heartbeat {name!r} does not exist", "HEARTBEAT", name)
    return row


def _view(row: Any) -> dict[str, Any]:
    doc = loads(row["doc"])
    out: dict[str, Any] = {
        "name": row["name"],
        "heartbeatArn": row["arn"],
        **{k: doc[k] for k in DOC_FIELDS if doc.get(k) is not None},
        "state": row["state"],
        "createdTime": from_us(row["created_us"]),
        "updatedTime": from_us(row["updated_us"]),
    }
    if row["last_ping_us"] is not None:
        out["lastPingTime"] = from_us(row["last_ping_us"])
    if row["deadline_us"] is not None:
        out["expectedBy"] = from_us(row["deadline_us"])
    if row["incident_arn"]:
        out["incidentArn"] = row["incident_arn"]
    return out


async def _set_deadline(ctx: Context, name: str, deadline: datetime) -> None:
    await ctx.tx.execute("UPDATE heartbeats SET deadline_us = ? WHERE name = ?", (to_us(deadline), name))
    await ctx.core.scheduler.schedule(
        ctx.tx, DEADLINE_TIMER, deadline, {"name": name},
        dedupe_key=f"heartbeat:{name}",
    )


def _changed(ctx: Context, row: Any, change: str, state: str) -> None:
    ctx.resource_arn = row["arn"]
    ctx.emit(ev.HEARTBEAT_CHANGED, row["arn"], name=row["name"], state=state, change=change)


class CreateHeartbeatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    name: str = HeartbeatName
    intervalSeconds: int = Field(ge=MIN_INTERVAL_S, le=MAX_INTERVAL_S, description="30 s to 7 days")
    responsePlanArn: str = Field(min_length=1, max_length=1000)
    impact: int = Field(ge=1, le=5, description="1 (critical) to 5 (no impact)")
    resolveOnPing: bool = Field(default=True, description="the next ping after a miss resolves its incident")
    description: str | None = Field(default=None, max_length=1000)


@operation("CreateHeartbeat", service=OWN_SERVICE, request=CreateHeartbeatRequest)
async def create_heartbeat(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Create a heartbeat: a ping is due every intervalSeconds from now, and a missed one starts
    an incident. The response is the only time its ping token is shown."""
    name = req["name"]
    await get_plan(ctx, req["responsePlanArn"])
    if await ctx.tx.scalar("SELECT 1 FROM heartbeats WHERE name = ?", (name,)):
        raise ConflictException(f"heartbeat {name!r} already exists")
    token = secrets.token_urlsafe(24)
    arn = heartbeat_arn(ctx.account_id, name)
    await ctx.tx.execute(
        "INSERT INTO heartbeats (name, arn, token_hash, doc, state, created_us, updated_us)"
        " VALUES (?, ?, ?, ?, 'WAITING', ?, ?)",
        (name, arn, token_hash(token), dumps({k: req[k] for k in DOC_FIELDS if k in req}),
         to_us(ctx.now), to_us(ctx.now)),
    )
    await _set_deadline(ctx, name, ctx.now + timedelta(seconds=req["intervalSeconds"]))
    row = await _load(ctx, name)
    _changed(ctx, row, "created", row["state"])
    return {"heartbeat": _view(row), "token": token}


class HeartbeatNameRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    name: str = HeartbeatName


@operation("GetHeartbeat", service=OWN_SERVICE, readonly=True, request=HeartbeatNameRequest)
async def get_heartbeat(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """A heartbeat with its state (WAITING for a first ping, OK or MISSED), last ping and deadline."""
    return {"heartbeat": _view(await _load(ctx, req["name"]))}


class ListHeartbeatsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    maxResults: int | None = Field(default=None, ge=1, le=100)
    nextToken: str | None = Field(default=None, max_length=2000)


@operation("ListHeartbeats", service=OWN_SERVICE, readonly=True, request=ListHeartbeatsRequest)
async def list_heartbeats(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List the heartbeats by name, with their state and last ping."""
    rows, token = await pagination.by_name(ctx.tx, "heartbeats", "heartbeats", req)
    out: dict[str, Any] = {"heartbeats": [_view(r) for r in rows]}
    if token:
        out["nextToken"] = token
    return out


class UpdateHeartbeatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    name: str = HeartbeatName
    intervalSeconds: int | None = Field(default=None, ge=MIN_INTERVAL_S, le=MAX_INTERVAL_S, description="30 s to 7 days")
    responsePlanArn: str | None = Field(default=None, min_length=1, max_length=1000)
    impact: int | None = Field(default=None, ge=1, le=5)
    resolveOnPing: bool | None = None
    description: str | None = Field(default=None, max_length=1000)


@operation("UpdateHeartbeat", service=OWN_SERVICE, request=UpdateHeartbeatRequest)
async def update_heartbeat(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Change a heartbeat's interval (the next ping is then due one new interval from now),
    response plan, impact, resolveOnPing or description."""
    row = await _load(ctx, req["name"])
    if req.get("responsePlanArn"):
        await get_plan(ctx, req["responsePlanArn"])
    doc = {**loads(row["doc"]), **{k: req[k] for k in DOC_FIELDS if k in req}}
    await ctx.tx.execute(
        "UPDATE heartbeats SET doc = ?, updated_us = ? WHERE name = ?", (dumps(doc), to_us(ctx.now), row["name"])
    )
    if "intervalSeconds" in req and row["state"] != "MISSED":
        await _set_deadline(ctx, row["name"], ctx.now + timedelta(seconds=req["intervalSeconds"]))
    row = await _load(ctx, row["name"])
    _changed(ctx, row, "updated", row["state"])
    return {"heartbeat": _view(row)}


@operation("DeleteHeartbeat", service=OWN_SERVICE, request=HeartbeatNameRequest)
async def delete_heartbeat(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete a heartbeat and its pending deadline (an incident it started stays)."""
    row = await _load(ctx, req["name"])
    await ctx.tx.execute("DELETE FROM heartbeats WHERE name = ?", (row["name"],))
    await ctx.tx.execute("DELETE FROM maintenance_window_targets WHERE target_arn = ?", (row["arn"],))
    await ctx.core.scheduler.cancel(ctx.tx, f"heartbeat:{row['name']}")
    _changed(ctx, row, "deleted", row["state"])
    return {}


class PingHeartbeatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    name: str = HeartbeatName


@operation("PingHeartbeat", service=OWN_SERVICE, request=PingHeartbeatRequest)
async def ping_heartbeat(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Ping a heartbeat: the next ping is due one interval from now. After a miss, the ping is
    noted on the incident the miss started, and resolves it when the heartbeat says so."""
    row = await _load(ctx, req["name"])
    doc = loads(row["doc"])
    recovered = resolved = False
    if row["state"] == "MISSED" and row["incident_arn"]:
        recovered = True
        incident = await ctx.tx.scalar("SELECT status FROM incidents WHERE arn = ?", (row["incident_arn"],))
        if incident is not None:
            await add_event(
                ctx, row["incident_arn"], TimelineEventType.TRIGGER.value,
                {"message": f"Heartbeat {row['name']} pinged again", "heartbeat": row["arn"]},
            )
            if incident == IncidentStatus.OPEN.value and doc.get("resolveOnPing", True):
                await update_incident_record(ctx, {"arn": row["incident_arn"], "status": IncidentStatus.RESOLVED.value})
                resolved = True
    await ctx.tx.execute(
        "UPDATE heartbeats SET state = 'OK', last_ping_us = ?, incident_arn = NULL WHERE name = ?",
        (to_us(ctx.now), row["name"]),
    )
    await _set_deadline(ctx, row["name"], ctx.now + timedelta(seconds=doc["intervalSeconds"]))
    row = await _load(ctx, row["name"])
    _changed(ctx, row, "pinged", "OK")
    return {"heartbeat": _view(row), "recovered": recovered, "resolved": resolved}


@timer_handler(DEADLINE_TIMER)
async def _missed(ctx: Context, payload: dict[str, Any]) -> None:
    row = await ctx.tx.fetchone("SELECT * FROM heartbeats WHERE name = ?", (payload["name"],))
    if row is None:
        return  # deleted as the timer came due
    doc = loads(row["doc"])
    deadline = from_us(row["deadline_us"])
    last = from_us(row["last_ping_us"]) if row["last_ping_us"] is not None else None
    raw = {"heartbeat": row["name"], "intervalSeconds": doc["intervalSeconds"],
           "lastPingTime": last.isoformat() if last else None, "expectedBy": deadline.isoformat()}
    started = await start_incident(ctx, {
        "responsePlanArn": doc["responsePlanArn"],
        "title": f"Heartbeat {row['name']} missed: no ping for {format_duration(timedelta(seconds=doc['intervalSeconds']))}",
        "impact": doc["impact"],
        "triggerDetails": {"source": SOURCE, "timestamp": deadline, "triggerArn": row["arn"],
                           "rawData": json.dumps(raw)},
    })
    await ctx.tx.execute(
        "UPDATE heartbeats SET state = 'MISSED', deadline_us = NULL, incident_arn = ? WHERE name = ?",
        (started["incidentRecordArn"], row["name"]),
    )
    _changed(ctx, row, "missed", "MISSED")
