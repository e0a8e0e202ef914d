"""Engagements: StartEngagement, StopEngagement, DescribeEngagement, ListEngagements, and
ListIncidentEngagements, our own per-incident view with who will be engaged when. What an
incident's engagements carry, and how its plan engages and stops them, is
``core.engine.incident_engagements``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from core.engine import escalation, incident_engagements, maintenance
from core.engine.context import Context
from core.errors import ResourceNotFoundException
from core.ops import hooks, pagination
from core.ops.registry import OWN_SERVICE, operation
from core.ops.timeline import require_incident
from core.store.db import loads
from core.timeutil import from_us, to_us

SERVICE = "ssm-contacts"
MESSAGE_FIELDS = ("Sender", "Subject", "Content", "PublicSubject", "PublicContent", "IncidentId")


async def load_engagement(ctx: Context, arn: str) -> Any:
    row = await ctx.tx.fetchone("SELECT * FROM engagements WHERE arn = ?", (arn,))
    if row is None:
        raise ResourceNotFoundException(f"engagement {arn} does not exist", "ENGAGEMENT", arn)
    return row


@operation("StartEngagement", service=SERVICE)
async def start_engagement(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Engage a contact, escalation plan or on-call schedule now. With an IncidentId that names
    an incident, the message carries the incident's title, impact and link."""
    message = {k: req[k] for k in MESSAGE_FIELDS if k in req}
    doc = await ctx.tx.scalar("SELECT doc FROM incidents WHERE arn = ?", (req["IncidentId"],)) if req.get("IncidentId") else None
    if doc:
        message = incident_engagements.incident_message(ctx, loads(doc), message)
    arn = await escalation.engage(ctx, contact_arn=req["ContactId"], message=message)
    ctx.resource_arn = arn
    return {"EngagementArn": arn}


@operation("StopEngagement", service=SERVICE)
async def stop_engagement(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Stop an engagement and everything it escalated to."""
    await load_engagement(ctx, req["EngagementId"])
    await escalation.stop_engagement(ctx, req["EngagementId"], req.get("Reason") or "stopped")
    return {}


def _describe(row: Any) -> dict[str, Any]:
    return {
        "ContactArn": row["contact_arn"],
        "EngagementArn": row["arn"],
        "Sender": row["sender"],
        "Subject": row["subject"],
        "Content": row["content"],
        "PublicSubject": row["public_subject"],
        "PublicContent": row["public_content"],
        "IncidentId": row["incident_id"],
        "StartTime": from_us(row["start_us"]),
        "StopTime": from_us(row["stop_us"]),
    }


@operation("DescribeEngagement", service=SERVICE, readonly=True)
async def describe_engagement(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show an engagement."""
    return _describe(await load_engagement(ctx, req["EngagementId"]))


@operation("ListEngagements", service=SERVICE, readonly=True)
async def list_engagements(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List engagements, newest first, optionally for one incident or a time range."""
    where, args = [], []
    if req.get("IncidentId"):
        where.append("incident_id = ?")
        args.append(req["IncidentId"])
    span = req.get("TimeRangeValue") or {}
    if span.get("StartTime"):
        where.append("start_us >= ?")
        args.append(to_us(span["StartTime"]))
    if span.get("EndTime"):
        where.append("start_us < ?")
        args.append(to_us(span["EndTime"]))
    after = pagination.decode(req.get("NextToken"), "NextToken", scope="eng")
    if after:
        where.append("(start_us, arn) < (?, ?)")
        args.extend([after["t"], after["a"]])
    limit = pagination.page_size(req.get("MaxResults") or None, ceiling=1024)
    rows = await ctx.tx.fetchall(
        "SELECT * FROM engagements" + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY start_us DESC, arn DESC LIMIT ?",
        [*args, limit + 1],
    )
    out: dict[str, Any] = {"Engagements": [_describe(r) for r in rows[:limit]]}
    if len(rows) > limit:
        last = rows[limit - 1]
        out["NextToken"] = pagination.encode({"s": "eng", "t": last["start_us"], "a": last["arn"]})
    return out




class ListIncidentEngagementsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    incidentRecordArn: str = Field(min_length=1, max_length=1000)


@operation("ListIncidentEngagements", service=OWN_SERVICE, readonly=True, request=ListIncidentEngagementsRequest)
async def list_incident_engagements(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Who an incident engaged, through which plan, when, and whether they acknowledged; plus
    who the pending escalation stages will engage, and when, and the maintenance window that
    held its pages back if it started in one."""
    arn = req["incidentRecordArn"]
    await require_incident(ctx.tx, arn)
    rows = await ctx.tx.fetchall(
        "SELECT e.*, c.alias, c.display_name, p.arn AS page_arn, p.sent_us, p.read_us, p.delivery_us,"
        " pc.alias AS parent_alias FROM engagements e JOIN contacts c ON c.arn = e.contact_arn"
        " LEFT JOIN pages p ON p.engagement_arn = e.arn"
        " LEFT JOIN engagements pe ON pe.arn = e.parent_arn LEFT JOIN contacts pc ON pc.arn = pe.contact_arn"
        " WHERE e.incident_id = ? ORDER BY e.start_us, e.rowid",
        (arn,),
    )
    items = []
    for r in rows:
        if r["stop_us"] is not None and r["acked_us"] is None:
            state = "stopped"
        elif r["read_us"] is not None or r["acked_us"] is not None:
            state = "acknowledged"
        elif r["sent_us"] is not None:
            state = "paged"
        else:
            state = "engaged"
        items.append({
            "engagementArn": r["arn"],
            "contactArn": r["contact_arn"],
            "contactName": r["display_name"] or r["alias"],
            "contactType": r["contact_type"],
            "via": r["parent_alias"],
            "stageIndex": r["stage_index"],
            "isEssential": bool(r["is_essential"]),
            "state": state,
            "engagedTime": from_us(r["start_us"]),
            "pagedTime": from_us(r["sent_us"]),
            "acknowledgedTime": from_us(r["read_us"]) or from_us(r["acked_us"]),
            "stopTime": from_us(r["stop_us"]),
            "pageArn": r["page_arn"],
        })
    items.extend(await _upcoming(ctx, arn))
    out: dict[str, Any] = {"engagements": items}
    if hold := (await maintenance.held_incidents(ctx, [arn])).get(arn):
        out["maintenanceHold"] = hold  # it started in a window, which held (or holds) its pages back
    return out


async def _upcoming(ctx: Context, incident_arn: str) -> list[dict[str, Any]]:
    """Targets of escalation stages that have not started yet, with when they will be engaged."""
    out = []
    rows = await ctx.tx.fetchall(
        "SELECT e.arn, c.alias, c.doc, t.due_us, json_extract(t.payload, '$.stage') AS stage"
        " FROM engagements e JOIN contacts c ON c.arn = e.contact_arn"
        " JOIN timers t ON t.dedupe_key = 'stage:' || e.arn AND t.state = 'pending'"
        " WHERE e.incident_id = ? AND e.contact_type = 'ESCALATION' AND e.stop_us IS NULL AND e.acked_us IS NULL",
        (incident_arn,),
    )
    for r in rows:
        stages = (loads(r["doc"]).get("Plan") or {}).get("Stages") or []
        when = from_us(r["due_us"])
        for index in range(r["stage"], len(stages)):
            for target in stages[index].get("Targets") or []:
                info = target.get("ContactTargetInfo") or {}
                if not info.get("ContactId"):
                    continue
                name = await ctx.tx.fetchone("SELECT alias, display_name FROM contacts WHERE arn = ?", (info["ContactId"],))
                out.append({
                    "contactArn": info["ContactId"],
                    "contactName": (name["display_name"] or name["alias"]) if name else info["ContactId"],
                    "via": r["alias"],
                    "stageIndex": index,
                    "isEssential": bool(info.get("IsEssential")),
                    "state": "waiting",
                    "willEngageTime": when,
                })
            when = when + timedelta(minutes=stages[index].get("DurationInMinutes", 0))
    return out


# a started incident engages its response plan's contacts; resolving it stops them
hooks.incident_started.append(maintenance.engage_unless_held)  # the plan's engagement, unless a window holds it
hooks.incident_resolved.append(incident_engagements.stop_incident_engagements)
