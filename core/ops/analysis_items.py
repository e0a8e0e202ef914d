"""An analysis's editable parts besides its text: its own timeline (a copy of the incident's,
which edits here never change), its action items and its checklist."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from core import arns
from core.analysis import records
from core.engine.context import Context
from core.engine.timeline import CUSTOM
from core.errors import ResourceNotFoundException, ValidationException
from core.ops.analyses import ANALYSIS_ID
from core.ops.registry import OWN_SERVICE, operation
from core.timeutil import to_us


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class CreateAnalysisTimelineEventRequest(_Strict):
    analysisId: str = ANALYSIS_ID
    eventTime: AwareDatetime
    eventData: str = Field(min_length=1, max_length=12_000)


class UpdateAnalysisTimelineEventRequest(_Strict):
    analysisId: str = ANALYSIS_ID
    eventId: str = Field(min_length=1, max_length=64)
    eventTime: AwareDatetime | None = None
    eventData: str | None = Field(default=None, min_length=1, max_length=12_000)


class DeleteAnalysisTimelineEventRequest(_Strict):
    analysisId: str = ANALYSIS_ID
    eventId: str = Field(min_length=1, max_length=64)


class CreateActionItemRequest(_Strict):
    analysisId: str = ANALYSIS_ID
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    owner: str = Field(default="", max_length=128)
    dueDate: date | None = None


class UpdateActionItemRequest(_Strict):
    analysisId: str = ANALYSIS_ID
    itemId: str = Field(min_length=1, max_length=64)
    status: Literal["ACCEPTED", "COMPLETED", "DISMISSED"] | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    owner: str | None = Field(default=None, max_length=128)
    dueDate: date | None = None


class UpdateChecklistItemRequest(_Strict):
    analysisId: str = ANALYSIS_ID
    itemId: str = Field(min_length=1, max_length=64)
    checked: bool


async def _event(ctx: Context, analysis: records.Analysis, event_id: str) -> Any:
    row = await ctx.tx.fetchone(
        "SELECT * FROM analysis_timeline WHERE analysis_arn = ? AND event_id = ?", (analysis.arn, event_id))
    if row is None:
        raise ResourceNotFoundException(f"eventId: the analysis's timeline has no event {event_id!r}",
                                        "ANALYSIS_TIMELINE_EVENT", event_id)
    return row


@operation("CreateAnalysisTimelineEvent", service=OWN_SERVICE, request=CreateAnalysisTimelineEventRequest)
async def create_analysis_timeline_event(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Add a point to an analysis's timeline (the incident's own timeline is not changed)."""
    analysis = await records.load(ctx.tx, req["analysisId"], for_change=True)
    event_id = arns.new_uuid()
    when: datetime = req["eventTime"]
    await ctx.tx.execute(
        "INSERT INTO analysis_timeline (event_id, analysis_arn, event_us, event_type, event_data)"
        " VALUES (?, ?, ?, ?, ?)",
        (event_id, analysis.arn, to_us(when), CUSTOM, req["eventData"]),
    )
    await records.save_change(ctx, analysis, "timeline")
    return {"eventId": event_id}


@operation("UpdateAnalysisTimelineEvent", service=OWN_SERVICE, request=UpdateAnalysisTimelineEventRequest)
async def update_analysis_timeline_event(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Change the time or text of a point on an analysis's timeline, copied ones included."""
    analysis = await records.load(ctx.tx, req["analysisId"], for_change=True)
    row = await _event(ctx, analysis, req["eventId"])
    await ctx.tx.execute(
        "UPDATE analysis_timeline SET event_us = ?, event_data = ? WHERE id = ?",
        (to_us(req["eventTime"]) if "eventTime" in req else row["event_us"],
         req.get("eventData", row["event_data"]), row["id"]),
    )
    await records.save_change(ctx, analysis, "timeline")
    return {}


@operation("DeleteAnalysisTimelineEvent", service=OWN_SERVICE, request=DeleteAnalysisTimelineEventRequest)
async def delete_analysis_timeline_event(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Remove a point that does not matter to the analysis from its timeline."""
    analysis = await records.load(ctx.tx, req["analysisId"], for_change=True)
    row = await _event(ctx, analysis, req["eventId"])
    await ctx.tx.execute("DELETE FROM analysis_timeline WHERE id = ?", (row["id"],))
    await records.save_change(ctx, analysis, "timeline")
    return {}


def _owned(status: str, owner: str, due: date | None) -> None:
    """An accepted item has an owner and a due date (the checklist asks for both)."""
    missing = [{"name": name, "message": f"an accepted action item needs {what}"}
               for name, what, value in (("owner", "an owner", owner.strip()), ("dueDate", "a due date", due))
               if not value]
    if status == "ACCEPTED" and missing:
        raise ValidationException("; ".join(f"{f['name']}: {f['message']}" for f in missing), fields=missing)


@operation("CreateActionItem", service=OWN_SERVICE, request=CreateActionItemRequest)
async def create_action_item(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Add a custom action item to an analysis; it starts accepted, so it needs an owner and a
    due date."""
    analysis = await records.load(ctx.tx, req["analysisId"], for_change=True)
    owner, due = req.get("owner", "").strip(), req.get("dueDate")
    _owned("ACCEPTED", owner, due)
    item_id = arns.new_uuid()
    await records.add_action_item(ctx.tx, analysis.arn, item_id, "CUSTOM", req["title"], req.get("description", ""),
                                  to_us(ctx.now), owner=owner, due_date=due)
    await records.save_change(ctx, analysis, "action-item")
    return {"itemId": item_id}


# status -> the statuses it may be reached from
MOVES = {
    "ACCEPTED": {"RECOMMENDED", "DISMISSED"},
    "COMPLETED": {"RECOMMENDED", "ACCEPTED"},
    "DISMISSED": {"RECOMMENDED", "ACCEPTED"},
}


@operation("UpdateActionItem", service=OWN_SERVICE, request=UpdateActionItemRequest)
async def update_action_item(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Accept, complete or dismiss an action item (dismissed ones stay listed), or edit its
    text, owner or due date. An item accepted (or left accepted) needs an owner and a due date."""
    analysis = await records.load(ctx.tx, req["analysisId"], for_change=True)
    row = await ctx.tx.fetchone(
        "SELECT * FROM action_items WHERE analysis_arn = ? AND item_id = ?", (analysis.arn, req["itemId"]))
    if row is None:
        raise ResourceNotFoundException(f"itemId: the analysis has no action item {req['itemId']!r}",
                                        "ACTION_ITEM", req["itemId"])
    status = req.get("status", row["status"])
    if status != row["status"] and row["status"] not in MOVES[status]:
        raise ValidationException(
            f"status: a {row['status']} action item cannot become {status}",
            fields=[{"name": "status", "message": f"not reachable from {row['status']}"}],
        )
    owner = req["owner"].strip() if "owner" in req else row["owner"]
    due = req["dueDate"] if "dueDate" in req else records.due_date(row)
    if status != row["status"] or "owner" in req or "dueDate" in req:
        _owned(status, owner, due)
    await ctx.tx.execute(
        "UPDATE action_items SET status = ?, title = ?, description = ?, owner = ?, due_date = ?, updated_us = ?"
        " WHERE id = ?",
        (status, req.get("title", row["title"]), req.get("description", row["description"]), owner,
         due.isoformat() if due else None, to_us(ctx.now), row["id"]),
    )
    await records.save_change(ctx, analysis, "action-item")
    return {}


@operation("UpdateChecklistItem", service=OWN_SERVICE, request=UpdateChecklistItemRequest)
async def update_checklist_item(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Tick or untick one of an analysis's checklist items."""
    analysis = await records.load(ctx.tx, req["analysisId"], for_change=True)
    items = {c["id"]: c for c in analysis.doc["checklist"]}
    if req["itemId"] not in items:
        raise ValidationException(
            f"itemId: the checklist has no item {req['itemId']!r} (it has: {', '.join(items)})",
            fields=[{"name": "itemId", "message": "no such checklist item"}],
        )
    items[req["itemId"]]["checked"] = req["checked"]
    await records.save_change(ctx, analysis, "checklist")
    return {}
