"""Incident timelines: automatic events the core writes, and custom events people add.

Only custom events (``eventType`` "Custom Event") may be edited or deleted.
"""

from __future__ import annotations

from typing import Any

from core import arns
from core.engine.context import Context
from core.engine.timeline import CUSTOM, add_event
from core.errors import ResourceNotFoundException, ValidationException
from core.model import events as ev
from core.ops import pagination
from core.ops.filters import filters_to_sql
from core.ops.registry import operation
from core.store.db import Tx, dumps, loads
from core.timeutil import from_us, to_us

SERVICE = "ssm-incidents"


async def require_incident(
    tx: Tx, arn: str, field: str = "incidentRecordArn", *, not_found: bool = True
) -> None:
    """Check the incident exists: ResourceNotFoundException, or (``not_found=False``, for the
    operations whose model has no such error, e.g. the List* operations) a ValidationException
    naming ``field``."""
    arns.parse(arn, field=field, service="ssm-incidents", kind="incident-record")
    if not await tx.scalar("SELECT 1 FROM incidents WHERE arn = ?", (arn,)):
        if not_found:
            raise ResourceNotFoundException(
                f"incident record {arn} does not exist", "INCIDENT_RECORD", arn
            )
        raise ValidationException(
            f"{field}: incident record {arn} does not exist",
            fields=[{"name": field, "message": "no such incident record"}],
        )


def _summary(row: Any, with_data: bool) -> dict[str, Any]:
    out = {
        "eventId": row["event_id"],
        "incidentRecordArn": row["incident_arn"],
        "eventTime": from_us(row["event_us"]),
        "eventUpdatedTime": from_us(row["updated_us"]),
        "eventType": row["event_type"],
        "eventReferences": loads(row["refs"]) or None,
    }
    if with_data:
        out["eventData"] = row["event_data"]
    return out


async def _custom_event(ctx: Context, req: dict[str, Any], verb: str) -> Any:
    await require_incident(ctx.tx, req["incidentRecordArn"])
    row = await ctx.tx.fetchone(
        "SELECT * FROM timeline_events WHERE event_id = ? AND incident_arn = ?",
        (req["eventId"], req["incidentRecordArn"]),
    )
    if row is None:
        raise ResourceNotFoundException(
            f"timeline event {req['eventId']} does not exist in this incident", "TIMELINE_EVENT", req["eventId"]
        )
    if not row["is_custom"]:
        raise ValidationException(
            f"eventId: timeline event {req['eventId']} is an automatic '{row['event_type']}' event, "
            f"which the core records; only custom events can be {verb}",
            fields=[{"name": "eventId", "message": f"automatic events cannot be {verb}"}],
        )
    return row


def _check_custom_type(event_type: str) -> None:
    if event_type != CUSTOM:
        raise ValidationException(
            f"eventType must be '{CUSTOM}'; the other types are written by the core",
            fields=[{"name": "eventType", "message": f"must be '{CUSTOM}'"}],
        )


@operation("CreateTimelineEvent", service=SERVICE)
async def create_timeline_event(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Add a custom event to an incident's timeline."""
    await require_incident(ctx.tx, req["incidentRecordArn"])
    _check_custom_type(req["eventType"])
    event_id = await add_event(
        ctx,
        req["incidentRecordArn"],
        CUSTOM,
        req["eventData"],
        when=req["eventTime"],
        refs=req.get("eventReferences"),
    )
    return {"eventId": event_id, "incidentRecordArn": req["incidentRecordArn"]}


@operation("GetTimelineEvent", service=SERVICE, readonly=True)
async def get_timeline_event(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show one timeline event."""
    await require_incident(ctx.tx, req["incidentRecordArn"])
    row = await ctx.tx.fetchone(
        "SELECT * FROM timeline_events WHERE event_id = ? AND incident_arn = ?",
        (req["eventId"], req["incidentRecordArn"]),
    )
    if row is None:
        raise ResourceNotFoundException(
            f"timeline event {req['eventId']} does not exist in this incident", "TIMELINE_EVENT", req["eventId"]
        )
    return {"event": _summary(row, with_data=True)}


@operation("UpdateTimelineEvent", service=SERVICE)
async def update_timeline_event(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Edit a custom timeline event."""
    row = await _custom_event(ctx, req, "edited")
    if "eventType" in req:
        _check_custom_type(req["eventType"])
    await ctx.tx.execute(
        "UPDATE timeline_events SET event_us = ?, event_data = ?, refs = ?, updated_us = ? WHERE id = ?",
        (
            to_us(req["eventTime"]) if "eventTime" in req else row["event_us"],
            req.get("eventData", row["event_data"]),
            dumps(req["eventReferences"]) if "eventReferences" in req else row["refs"],
            to_us(ctx.now),
            row["id"],
        ),
    )
    ctx.emit(ev.TIMELINE_EVENT_UPDATED, req["incidentRecordArn"], eventId=req["eventId"])
    return {}


@operation("DeleteTimelineEvent", service=SERVICE)
async def delete_timeline_event(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete a custom timeline event (deleting one that does not exist succeeds, as in AWS)."""
    arns.parse(req["incidentRecordArn"], field="incidentRecordArn", service="ssm-incidents",
               kind="incident-record")
    exists = await ctx.tx.scalar(
        "SELECT 1 FROM timeline_events WHERE event_id = ? AND incident_arn = ?",
        (req["eventId"], req["incidentRecordArn"]),
    )
    if not exists:  # the model has no ResourceNotFoundException here: deletes are idempotent
        return {}
    row = await _custom_event(ctx, req, "deleted")
    await ctx.tx.execute("DELETE FROM timeline_events WHERE id = ?", (row["id"],))
    ctx.emit(ev.TIMELINE_EVENT_DELETED, req["incidentRecordArn"], eventId=req["eventId"])
    return {}


TIMELINE_FILTERS = {"eventTime": ("event_us", "time"), "eventType": ("event_type", "strings")}


@operation("ListTimelineEvents", service=SERVICE, readonly=True)
async def list_timeline_events(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List an incident's timeline, oldest first unless sortOrder is DESCENDING."""
    arn = req["incidentRecordArn"]
    await require_incident(ctx.tx, arn, not_found=False)
    where, args = filters_to_sql(req.get("filters"), TIMELINE_FILTERS, "timeline events")
    desc = req.get("sortOrder") == "DESCENDING"
    after = pagination.decode(req.get("nextToken"), scope=f"tl:{'d' if desc else 'a'}")
    if after:
        op = "<" if desc else ">"
        where.append(f"(event_us, id) {op} (?, ?)")
        args.extend([after["t"], after["i"]])
    limit = pagination.page_size(req.get("maxResults"))
    order = "DESC" if desc else "ASC"
    sql = (
        "SELECT * FROM timeline_events WHERE incident_arn = ?"
        + "".join(f" AND {w}" for w in where)
        + f" ORDER BY event_us {order}, id {order} LIMIT ?"
    )
    rows = await ctx.tx.fetchall(sql, [arn, *args, limit + 1])
    out: dict[str, Any] = {"eventSummaries": [_summary(r, with_data=False) for r in rows[:limit]]}
    if len(rows) > limit:
        last = rows[limit - 1]
        out["nextToken"] = pagination.encode(
            {"s": f"tl:{'d' if desc else 'a'}", "t": last["event_us"], "i": last["id"]}
        )
    return out
