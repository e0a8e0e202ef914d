"""Response plans: the incident template, engagements, chat channel and runbook to use."""

from __future__ import annotations

from typing import Any

from core import arns
from core.engine.context import Context
from core.errors import ConflictException
from core.model import events as ev
from core.ops import pagination
from core.ops.registry import operation
from core.ops.tags import replace_tags
from core.store.db import dumps, loads
from core.store.documents import load_doc
from core.timeutil import to_us

SERVICE = "ssm-incidents"
PLAN_FIELDS = ("displayName", "incidentTemplate", "chatChannel", "engagements", "actions", "integrations")

# UpdateResponsePlan flattens the template: request member -> incidentTemplate member
FLAT_TEMPLATE = {
    "incidentTemplateTitle": "title",
    "incidentTemplateImpact": "impact",
    "incidentTemplateSummary": "summary",
    "incidentTemplateDedupeString": "dedupeString",
    "incidentTemplateNotificationTargets": "notificationTargets",
    "incidentTemplateTags": "incidentTags",
}


async def get_plan(ctx: Context, arn: str) -> dict[str, Any]:
    return await load_doc(ctx.tx, "response_plans", arn, kind="response plan")


@operation("CreateResponsePlan", service=SERVICE)
async def create_response_plan(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Create a response plan."""
    name = req["name"]
    arn = arns.incidents_arn(ctx.account_id, f"response-plan/{name}")
    if await ctx.tx.scalar("SELECT 1 FROM response_plans WHERE name = ?", (name,)):
        raise ConflictException(f"a response plan named {name!r} already exists", resourceIdentifier=arn)
    doc = {"arn": arn, "name": name, **{k: req[k] for k in PLAN_FIELDS if k in req}}
    await ctx.tx.execute(
        "INSERT INTO response_plans (arn, name, doc, created_us) VALUES (?, ?, ?, ?)",
        (arn, name, dumps(doc), to_us(ctx.now)),
    )
    if req.get("tags"):
        await replace_tags(ctx, arn, req["tags"])
    ctx.resource_arn = arn
    ctx.emit(ev.RESPONSE_PLAN_CHANGED, arn, change="created")
    return {"arn": arn}


@operation("GetResponsePlan", service=SERVICE, readonly=True)
async def get_response_plan(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show a response plan."""
    return await get_plan(ctx, req["arn"])


@operation("ListResponsePlans", service=SERVICE, readonly=True)
async def list_response_plans(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List response plans by name."""
    after = pagination.decode(req.get("nextToken"), scope="plans")
    limit = pagination.page_size(req.get("maxResults"))
    rows = await ctx.tx.fetchall(
        "SELECT arn, name, doc FROM response_plans WHERE name > ? ORDER BY name LIMIT ?",
        ((after or {}).get("name", ""), limit + 1),
    )
    out: dict[str, Any] = {"responsePlanSummaries": []}
    for row in rows[:limit]:
        doc = loads(row["doc"])
        out["responsePlanSummaries"].append(
            {"arn": row["arn"], "name": row["name"], "displayName": doc.get("displayName")}
        )
    if len(rows) > limit:
        out["nextToken"] = pagination.encode({"s": "plans", "name": rows[limit - 1]["name"]})
    return out


@operation("UpdateResponsePlan", service=SERVICE)
async def update_response_plan(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Change a response plan; template members come flattened (incidentTemplateTitle...)."""
    doc = await get_plan(ctx, req["arn"])
    for key in PLAN_FIELDS:
        if key in req and key != "incidentTemplate":
            doc[key] = req[key]
    template = dict(doc.get("incidentTemplate") or {})
    for flat, member in FLAT_TEMPLATE.items():
        if flat in req:
            value = req[flat]
            if member == "incidentTags":
                value = {**(template.get("incidentTags") or {}), **value}
                value = {k: v for k, v in value.items() if v != ""} or None
            template[member] = value
    doc["incidentTemplate"] = {k: v for k, v in template.items() if v is not None}
    await ctx.tx.execute("UPDATE response_plans SET doc = ? WHERE arn = ?", (dumps(doc), req["arn"]))
    ctx.emit(ev.RESPONSE_PLAN_CHANGED, req["arn"], change="updated")
    return {}


@operation("DeleteResponsePlan", service=SERVICE)
async def delete_response_plan(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete a response plan (incidents started from it keep their records)."""
    arns.parse(req["arn"], service="ssm-incidents", kind="response-plan")
    deleted = await ctx.tx.execute("DELETE FROM response_plans WHERE arn = ?", (req["arn"],))
    if deleted:
        await ctx.tx.execute("DELETE FROM tags WHERE resource_arn = ?", (req["arn"],))
        ctx.emit(ev.RESPONSE_PLAN_CHANGED, req["arn"], change="deleted")
    return {}
