"""Maintenance windows (our own operations): Create, List, Update and Delete, and
ListMaintenanceHolds (the incidents a window held back). What a window does is
``core.engine.maintenance``.

A window names an IANA ``timeZone``, the local ``start`` and ``end`` of its first occurrence
(``2026-03-07T22:00``, no offset), an optional ``recurrence`` RRULE (``FREQ=WEEKLY;BYDAY=SA``)
and its ``targets``: the ARNs of integrations, response plans or heartbeats.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field

from core import arns
from core.engine import maintenance
from core.engine.context import Context
from core.errors import ConflictException, ResourceNotFoundException, ValidationException
from core.model import events as ev
from core.ops import pagination
from core.ops.registry import OWN_SERVICE, operation
from core.store.db import dumps, loads
from core.timeutil import to_us

WindowName = Field(pattern=r"^[A-Za-z0-9_.-]{1,100}$", description="letters, digits and _.-")
DOC_FIELDS = ("timeZone", "start", "end", "recurrence", "targets", "description")
TARGET_TABLES = ("response_plans", "heartbeats", "integrations")


def _invalid(name: str, message: str) -> ValidationException:
    return ValidationException(f"{name}: {message}", fields=[{"name": name, "message": message}])


def _local_time(doc: dict[str, Any], name: str) -> datetime:
    try:
        value = datetime.fromisoformat(doc[name])
    except (TypeError, ValueError):
        raise _invalid(name, f"must be a local date and time like 2026-03-07T22:00, not {doc[name]!r}") from None
    if value.tzinfo is not None:
        raise _invalid(name, "a local time in the window's timeZone, without an offset")
    return value


async def _checked(ctx: Context, doc: dict[str, Any]) -> dict[str, Any]:
    """The window's document with each member checked; ValidationException naming the member."""
    try:
        ZoneInfo(doc["timeZone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise _invalid("timeZone", f"{doc['timeZone']!r} is not an IANA time zone (e.g. Europe/Berlin)") from None
    start, end = _local_time(doc, "start"), _local_time(doc, "end")
    if end <= start:
        raise _invalid("end", "must be after start")
    if doc.get("recurrence"):
        try:
            maintenance.parse_rule(doc["recurrence"], start)
        except ValueError as exc:
            raise _invalid("recurrence", str(exc)) from None
    for i, target in enumerate(doc["targets"]):
        if not any([await ctx.tx.scalar(f"SELECT 1 FROM {t} WHERE arn = ?", (target,)) for t in TARGET_TABLES]):  # noqa: S608
            raise _invalid(f"targets.{i}", f"{target} is not an integration, response plan or heartbeat")
    return {**doc, "start": start.isoformat(), "end": end.isoformat(), "targets": list(dict.fromkeys(doc["targets"]))}


def _view(ctx: Context, row: Any) -> dict[str, Any]:
    doc = loads(row["doc"])
    out = {"name": row["name"], "windowArn": row["arn"], **{k: doc[k] for k in DOC_FIELDS if doc.get(k)}}
    current = maintenance.occurrence_at(doc, ctx.now)
    upcoming = maintenance.next_occurrence(doc, ctx.now)
    out["active"] = current is not None
    if current:
        out["activeUntil"] = current[1]
    if upcoming:
        out["nextStart"], out["nextEnd"] = upcoming
    return out


async def _load(ctx: Context, name: str) -> Any:
    row = await ctx.tx.fetchone("SELECT * FROM maintenance_windows WHERE name = ?", (name,))
    if row is None:
        raise ResourceNotFoundException(f"maintenance window {name!r} does not exist", "MAINTENANCE_WINDOW", name)
    return row


async def _save_targets(ctx: Context, window_id: str, targets: list[str]) -> None:
    await ctx.tx.execute("DELETE FROM maintenance_window_targets WHERE window_id = ?", (window_id,))
    for target in targets:
        await ctx.tx.execute(
            "INSERT INTO maintenance_window_targets (window_id, target_arn) VALUES (?, ?)", (window_id, target)
        )


def _changed(ctx: Context, row: Any, change: str) -> None:
    ctx.resource_arn = row["arn"]
    ctx.emit(ev.MAINTENANCE_WINDOW_CHANGED, row["arn"], name=row["name"], change=change)


Targets = Field(min_length=1, max_length=50, description="integration, response plan or heartbeat ARNs")


class CreateMaintenanceWindowRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    name: str = WindowName
    timeZone: str = Field(min_length=1, max_length=100)
    start: str = Field(min_length=1, max_length=40, description="local date and time, e.g. 2026-03-07T22:00")
    end: str = Field(min_length=1, max_length=40)
    recurrence: str | None = Field(default=None, max_length=500, description="an RRULE, e.g. FREQ=WEEKLY;BYDAY=SA")
    targets: list[str] = Targets
    description: str | None = Field(default=None, max_length=1000)


@operation("CreateMaintenanceWindow", service=OWN_SERVICE, request=CreateMaintenanceWindowRequest)
async def create_maintenance_window(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Create a maintenance window (one-off, or recurring by an RRULE, in an IANA time zone):
    incidents its targets start during it are recorded but engage no one until it ends."""
    name = req["name"]
    if await ctx.tx.scalar("SELECT 1 FROM maintenance_windows WHERE name = ?", (name,)):
        raise ConflictException(f"maintenance window {name!r} already exists")
    doc = await _checked(ctx, {k: req[k] for k in DOC_FIELDS if k in req})
    window_id = arns.new_id()
    arn = arns.incidents_arn(ctx.account_id, f"maintenance-window/{name}")
    await ctx.tx.execute(
        "INSERT INTO maintenance_windows (id, arn, name, doc, created_us, updated_us) VALUES (?, ?, ?, ?, ?, ?)",
        (window_id, arn, name, dumps(doc), to_us(ctx.now), to_us(ctx.now)),
    )
    await _save_targets(ctx, window_id, doc["targets"])
    await maintenance.schedule_boundary(ctx, window_id, doc)
    row = await _load(ctx, name)
    _changed(ctx, row, "created")
    return {"maintenanceWindow": _view(ctx, row)}


class ListMaintenanceWindowsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    maxResults: int | None = Field(default=None, ge=1, le=100)
    nextToken: str | None = Field(default=None, max_length=2000)


@operation("ListMaintenanceWindows", service=OWN_SERVICE, readonly=True, request=ListMaintenanceWindowsRequest)
async def list_maintenance_windows(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List the maintenance windows by name, each with whether it is active now and its next occurrence."""
    rows, token = await pagination.by_name(ctx.tx, "maintenance_windows", "windows", req)
    out: dict[str, Any] = {"maintenanceWindows": [_view(ctx, r) for r in rows]}
    if token:
        out["nextToken"] = token
    return out


class UpdateMaintenanceWindowRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    name: str = WindowName
    timeZone: str | None = Field(default=None, min_length=1, max_length=100)
    start: str | None = Field(default=None, min_length=1, max_length=40)
    end: str | None = Field(default=None, min_length=1, max_length=40)
    recurrence: str | None = Field(default=None, max_length=500, description="the empty string makes it one-off")
    targets: list[str] | None = Field(default=None, min_length=1, max_length=50)
    description: str | None = Field(default=None, max_length=1000)


@operation("UpdateMaintenanceWindow", service=OWN_SERVICE, request=UpdateMaintenanceWindowRequest)
async def update_maintenance_window(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Change a window's times, recurrence (the empty string makes it one-off), targets or
    description; incidents it holds are re-decided at once (released if it no longer covers them)."""
    row = await _load(ctx, req["name"])
    doc = await _checked(ctx, {**loads(row["doc"]), **{k: req[k] for k in DOC_FIELDS if k in req}})
    await ctx.tx.execute(
        "UPDATE maintenance_windows SET doc = ?, updated_us = ? WHERE id = ?", (dumps(doc), to_us(ctx.now), row["id"])
    )
    await _save_targets(ctx, row["id"], doc["targets"])
    await maintenance.recheck_holds(ctx, row["id"])
    await maintenance.schedule_boundary(ctx, row["id"], doc)
    row = await _load(ctx, row["name"])
    _changed(ctx, row, "updated")
    return {"maintenanceWindow": _view(ctx, row)}


class WindowNameRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    name: str = WindowName


@operation("DeleteMaintenanceWindow", service=OWN_SERVICE, request=WindowNameRequest)
async def delete_maintenance_window(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete a window; the open incidents it held engage their plans now."""
    row = await _load(ctx, req["name"])
    await maintenance.recheck_holds(ctx, row["id"])
    await ctx.core.scheduler.cancel(ctx.tx, f"maintenance-window:{row['id']}")
    await ctx.tx.execute("DELETE FROM maintenance_windows WHERE id = ?", (row["id"],))
    _changed(ctx, row, "deleted")
    return {}


class ListMaintenanceHoldsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    incidentArns: list[str] = Field(min_length=1, max_length=100)


@operation("ListMaintenanceHolds", service=OWN_SERVICE, readonly=True, request=ListMaintenanceHoldsRequest)
async def list_maintenance_holds(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Which of these incidents started in a maintenance window: the window, when it held the
    pages back, until when, and when it released them."""
    held = await maintenance.held_incidents(ctx, req["incidentArns"])
    return {"holds": [held[a] for a in req["incidentArns"] if a in held]}
