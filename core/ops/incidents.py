"""Incident records: start (with dedupe and idempotency), read, list, update, resolve, delete."""

from __future__ import annotations

from typing import Any

from core import arns
from core.engine.context import Context
from core.engine.timeline import add_event
from core.model import events as ev
from core.model.incidents import IncidentStatus, TimelineEventType
from core.ops import hooks, pagination
from core.ops.filters import filters_to_sql
from core.ops.registry import operation
from core.ops.related_items import add_item
from core.ops.response_plans import get_plan
from core.ops.tags import replace_tags
from core.ops.timeline import require_incident
from core.store.db import dumps, loads
from core.timeutil import to_us

SERVICE = "ssm-incidents"
MANUAL_SOURCE = "aws.ssm-incidents.custom"
SUMMARY_FIELDS = ("arn", "title", "status", "impact", "creationTime", "resolvedTime", "incidentRecordSource")
TRACKED_FIELDS = ("title", "impact", "status", "summary", "chatChannel", "notificationTargets")


async def load_record(ctx: Context, arn: str) -> dict[str, Any]:
    await require_incident(ctx.tx, arn, "arn")
    record = loads(await ctx.tx.scalar("SELECT doc FROM incidents WHERE arn = ?", (arn,)))
    # the model requires a dedupe string: an incident started without one has its own id,
    # which no other incident can match
    record["dedupeString"] = record.get("dedupeString") or arn.rsplit("/", 1)[-1]
    return record


async def save_record(ctx: Context, record: dict[str, Any]) -> None:
    await ctx.tx.execute(
        "UPDATE incidents SET title = ?, impact = ?, status = ?, resolved_us = ?, doc = ? WHERE arn = ?",
        (
            record["title"],
            record["impact"],
            record["status"],
            to_us(record["resolvedTime"]) if record.get("resolvedTime") else None,
            dumps(record),
            record["arn"],
        ),
    )


@operation("StartIncident", service=SERVICE)
async def start_incident(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Start an incident from a response plan (an open incident with the same dedupe string absorbs it)."""
    arn, _ = await open_incident(ctx, req)
    return {"incidentRecordArn": arn}


async def open_incident(ctx: Context, req: dict[str, Any], dedupe: str | None = None) -> tuple[str, bool]:
    """StartIncident's work: (the incident's ARN, whether an open one absorbed it). ``dedupe``
    (alert intake's) replaces the plan's dedupe string; ``req`` may add a ``summary``."""
    plan_arn = req["responsePlanArn"]
    arns.parse(plan_arn, field="responsePlanArn", service="ssm-incidents", kind="response-plan")
    plan = await get_plan(ctx, plan_arn)
    template = plan["incidentTemplate"]
    trigger = req.get("triggerDetails")
    dedupe = dedupe if dedupe is not None else template.get("dedupeString") or ""

    if dedupe:
        existing = await ctx.tx.scalar(
            "SELECT arn FROM incidents WHERE dedupe_string = ? AND status = 'OPEN' ORDER BY id LIMIT 1",
            (dedupe,),
        )
        if existing:
            await add_event(
                ctx, existing, TimelineEventType.TRIGGER.value,
                {"deduplicated": True, "trigger": trigger, "title": req.get("title") or template["title"],
                 "startedBy": ctx.principal.arn},
                when=trigger["timestamp"] if trigger else None,
            )
            ctx.resource_arn = existing
            ctx.emit(ev.INCIDENT_DEDUPLICATED, existing, title=req.get("title") or template["title"])
            return existing, True

    arn = arns.incidents_arn(ctx.account_id, f"incident-record/{plan['name']}/{arns.new_id()}")
    source = {"createdBy": ctx.principal.arn, "source": trigger["source"] if trigger else MANUAL_SOURCE}
    if trigger and trigger.get("triggerArn"):
        source["resourceArn"] = trigger["triggerArn"]
    record = {
        "arn": arn,
        "title": req.get("title") or template["title"],
        "summary": req.get("summary") or template.get("summary"),
        "status": IncidentStatus.OPEN.value,
        "impact": req.get("impact") or template["impact"],
        "creationTime": ctx.now,
        "lastModifiedTime": ctx.now,
        "lastModifiedBy": ctx.principal.arn,
        "dedupeString": dedupe,
        "incidentRecordSource": source,
        "chatChannel": plan.get("chatChannel"),
        "notificationTargets": template.get("notificationTargets"),
        "automationExecutions": [],
        "responsePlanArn": plan_arn,
    }
    await ctx.tx.execute(
        "INSERT INTO incidents (arn, title, impact, status, created_by, creation_us, dedupe_string,"
        " response_plan_arn, doc) VALUES (?, ?, ?, 'OPEN', ?, ?, ?, ?, ?)",
        (arn, record["title"], record["impact"], ctx.principal.arn, to_us(ctx.now), dedupe or None,
         plan_arn, dumps(record)),
    )
    await add_event(
        ctx, arn, TimelineEventType.CREATED.value,
        {"title": record["title"], "impact": record["impact"], "responsePlanArn": plan_arn,
         "trigger": trigger, "createdBy": ctx.principal.arn},
        when=ctx.now,
    )
    for item in req.get("relatedItems") or []:
        await add_item(ctx, arn, item, record=False)
    if template.get("incidentTags"):
        await replace_tags(ctx, arn, template["incidentTags"])
    ctx.resource_arn = arn
    for hook in hooks.incident_started:
        await hook(ctx, record, plan)
    ctx.emit(ev.INCIDENT_STARTED, arn, title=record["title"], impact=record["impact"])
    return arn, False


@operation("GetIncidentRecord", service=SERVICE, readonly=True)
async def get_incident_record(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show an incident record."""
    return {"incidentRecord": await load_record(ctx, req["arn"])}


INCIDENT_FILTERS = {
    "creationTime": ("creation_us", "time"),
    "impact": ("impact", "integers"),
    "status": ("status", "strings"),
    "createdBy": ("created_by", "strings"),
}


@operation("ListIncidentRecords", service=SERVICE, readonly=True)
async def list_incident_records(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List incidents, newest first, with filters on creationTime, impact, status and createdBy."""
    where, args = filters_to_sql(req.get("filters"), INCIDENT_FILTERS, "incidents")
    after = pagination.decode(req.get("nextToken"), scope="inc")
    if after:
        where.append("(creation_us, id) < (?, ?)")
        args.extend([after["t"], after["i"]])
    limit = pagination.page_size(req.get("maxResults"))
    sql = (
        "SELECT id, creation_us, doc FROM incidents"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY creation_us DESC, id DESC LIMIT ?"
    )
    rows = await ctx.tx.fetchall(sql, [*args, limit + 1])
    summaries = []
    for row in rows[:limit]:
        doc = loads(row["doc"])
        summaries.append({k: doc.get(k) for k in SUMMARY_FIELDS})
    out: dict[str, Any] = {"incidentRecordSummaries": summaries}
    if len(rows) > limit:
        last = rows[limit - 1]
        out["nextToken"] = pagination.encode({"s": "inc", "t": last["creation_us"], "i": last["id"]})
    return out


@operation("UpdateIncidentRecord", service=SERVICE)
async def update_incident_record(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Change title, summary, impact, status, chat channel or notification targets (last writer wins)."""
    record = await load_record(ctx, req["arn"])
    changes = {
        key: {"from": record.get(key), "to": req[key]}
        for key in TRACKED_FIELDS
        if key in req and req[key] != record.get(key)
    }
    if not changes:
        return {}
    for key, change in changes.items():
        record[key] = change["to"]
    record["lastModifiedTime"] = ctx.now
    record["lastModifiedBy"] = ctx.principal.arn
    resolved = changes.get("status", {}).get("to") == IncidentStatus.RESOLVED.value
    reopened = changes.get("status", {}).get("to") == IncidentStatus.OPEN.value
    if resolved:
        record["resolvedTime"] = ctx.now
    elif reopened:
        record.pop("resolvedTime", None)
    await save_record(ctx, record)
    await add_event(ctx, record["arn"], TimelineEventType.UPDATED.value, {"changes": changes, "by": ctx.principal.arn})
    if resolved:
        for hook in hooks.incident_resolved:
            await hook(ctx, record)
        ctx.emit(ev.INCIDENT_RESOLVED, record["arn"], title=record["title"])
    ctx.emit(ev.INCIDENT_UPDATED, record["arn"], changed=sorted(changes))
    return {}


@operation("DeleteIncidentRecord", service=SERVICE)
async def delete_incident_record(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete an incident record with its timeline and related items."""
    arns.parse(req["arn"], service="ssm-incidents", kind="incident-record")
    deleted = await ctx.tx.execute("DELETE FROM incidents WHERE arn = ?", (req["arn"],))
    if deleted:
        await ctx.tx.execute("DELETE FROM tags WHERE resource_arn = ?", (req["arn"],))
        ctx.emit(ev.INCIDENT_DELETED, req["arn"])
    return {}
