"""Maintenance windows at work: which window covers a resource now, holding a new incident's
engagement back while one does, and engaging its response plan when the window ends.

A window's times are wall-clock times in its IANA zone (``start``/``end`` of the first
occurrence, repeated by an optional RRULE), so a weekly 22:00 window stays at 22:00 local time
across a DST change. An incident started while a window covers its response plan or its source
(``incidentRecordSource.resourceArn``: the integration or heartbeat that started it) is created,
deduped and recorded as usual, but engages no one: a hold row and a timeline event name the
window, and a durable timer at the window's end engages the plan then if the incident is still
open (or holds it on if a window still covers it).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from core.engine.context import Context
from core.engine.incident_engagements import engage_response_plan
from core.engine.scheduler import timer_handler
from core.engine.timeline import add_event
from core.errors import ResourceNotFoundException
from core.model import events as ev
from core.model.incidents import IncidentStatus, TimelineEventType
from core.store.db import loads
from core.store.documents import load_doc
from core.timeutil import from_us, iso, to_us

RELEASE_TIMER = "maintenance.release"
BOUNDARY_TIMER = "maintenance.boundary"
FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY")


def parse_rule(text: str, start: datetime) -> rrule:
    """An RRULE (with or without the ``RRULE:`` prefix) starting at ``start`` (naive, local).
    ValueError names what is wrong."""
    body = text.strip()
    body = body[len("RRULE:"):] if body.upper().startswith("RRULE:") else body
    upper = body.upper()
    if "DTSTART" in upper or "\n" in body:
        raise ValueError("one RRULE line without DTSTART (the window's start is its DTSTART)")
    freq = dict(p.split("=", 1) for p in upper.split(";") if "=" in p).get("FREQ")
    if freq not in FREQUENCIES:
        raise ValueError(f"FREQ must be one of {', '.join(FREQUENCIES)}")
    try:
        rule = rrulestr(body, dtstart=start)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a valid RRULE: {exc}") from None
    assert isinstance(rule, rrule)
    return rule


def _utc(local: datetime, zone: ZoneInfo) -> datetime:
    return local.replace(tzinfo=zone).astimezone(UTC)


def occurrences(doc: dict[str, Any], since: datetime, until: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The window's occurrences (UTC start, end) that overlap ``[since, until]``, in order."""
    zone = ZoneInfo(doc["timeZone"])
    start, end = datetime.fromisoformat(doc["start"]), datetime.fromisoformat(doc["end"])
    length = end - start
    if not doc.get("recurrence"):
        first = (_utc(start, zone), _utc(end, zone))
        if first[1] > since and first[0] <= until:
            yield first
        return
    rule = parse_rule(doc["recurrence"], start)
    # search in local wall-clock time, a day wider on each side for any zone offset
    lo = since.astimezone(zone).replace(tzinfo=None) - length - timedelta(days=1)
    hi = until.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
    for local in rule.between(lo, hi, inc=True):
        s, e = _utc(local, zone), _utc(local + length, zone)
        if e > since and s <= until:
            yield s, e


def occurrence_at(doc: dict[str, Any], now: datetime) -> tuple[datetime, datetime] | None:
    """The occurrence covering ``now`` (start inclusive, end exclusive), if any."""
    covering = [(s, e) for s, e in occurrences(doc, now, now) if s <= now < e]
    return max(covering, key=lambda o: o[1]) if covering else None


def next_occurrence(doc: dict[str, Any], now: datetime) -> tuple[datetime, datetime] | None:
    """The first occurrence starting after ``now``."""
    zone = ZoneInfo(doc["timeZone"])
    start, end = datetime.fromisoformat(doc["start"]), datetime.fromisoformat(doc["end"])
    if not doc.get("recurrence"):
        first = (_utc(start, zone), _utc(end, zone))
        return first if first[0] > now else None
    rule = parse_rule(doc["recurrence"], start)
    local = rule.after(now.astimezone(zone).replace(tzinfo=None) - timedelta(hours=3))
    while local is not None and _utc(local, zone) <= now:
        local = rule.after(local)
    return None if local is None else (_utc(local, zone), _utc(local + (end - start), zone))


async def window_holding(ctx: Context, target_arns: list[str]) -> dict[str, Any] | None:
    """The maintenance window covering any of ``target_arns`` (integrations, response plans,
    heartbeats) now: ``{"id", "arn", "name", "until"}``, the one that ends last; None outside
    every window."""
    wanted = [a for a in target_arns if a]
    if not wanted:
        return None
    rows = await ctx.tx.fetchall(
        "SELECT DISTINCT w.id, w.arn, w.name, w.doc FROM maintenance_window_targets t"
        f" JOIN maintenance_windows w ON w.id = t.window_id WHERE t.target_arn IN ({','.join('?' * len(wanted))})",
        tuple(wanted),
    )
    best: dict[str, Any] | None = None
    for row in rows:
        found = occurrence_at(loads(row["doc"]), ctx.now)
        if found and (best is None or found[1] > best["until"]):
            best = {"id": row["id"], "arn": row["arn"], "name": row["name"], "until": found[1]}
    return best


def _sources(record: dict[str, Any]) -> list[str]:
    return [record.get("responsePlanArn") or "", (record.get("incidentRecordSource") or {}).get("resourceArn") or ""]


async def engage_unless_held(ctx: Context, record: dict[str, Any], plan: dict[str, Any]) -> None:
    """The ``incident_started`` hook: engage the plan's contacts, unless a maintenance window
    covers the plan or the incident's source; then hold the engagement until the window ends."""
    window = await window_holding(ctx, _sources(record))
    if window is None:
        await engage_response_plan(ctx, record, plan)
        return
    arn = record["arn"]
    await ctx.tx.execute(
        "INSERT INTO maintenance_holds (incident_arn, window_id, window_name, held_us, until_us)"
        " VALUES (?, ?, ?, ?, ?)",
        (arn, window["id"], window["name"], to_us(ctx.now), to_us(window["until"])),
    )
    await add_event(
        ctx, arn, TimelineEventType.ENGAGEMENT.value,
        {"message": f"Maintenance window {window['name']} held this incident's pages back"
                    f" until {iso(window['until'])}",
         "maintenanceWindow": window["arn"], "heldUntil": iso(window["until"])},
    )
    await _schedule_release(ctx, arn, window["until"])
    ctx.emit(ev.MAINTENANCE_WINDOW_CHANGED, arn, name=window["name"], change="held")


async def _schedule_release(ctx: Context, incident_arn: str, due: datetime) -> None:
    await ctx.core.scheduler.schedule(
        ctx.tx, RELEASE_TIMER, due, {"incidentArn": incident_arn}, dedupe_key=f"maintenance-release:{incident_arn}"
    )


async def recheck_holds(ctx: Context, window_id: str) -> None:
    """A window changed or went away: re-decide each incident it holds, now."""
    rows = await ctx.tx.fetchall(
        "SELECT incident_arn FROM maintenance_holds WHERE window_id = ? AND released_us IS NULL", (window_id,)
    )
    for row in rows:
        await _schedule_release(ctx, row["incident_arn"], ctx.now)


@timer_handler(RELEASE_TIMER)
async def _release(ctx: Context, payload: dict[str, Any]) -> None:
    arn = payload["incidentArn"]
    hold = await ctx.tx.fetchone(
        "SELECT window_name FROM maintenance_holds WHERE incident_arn = ? AND released_us IS NULL", (arn,)
    )
    doc = await ctx.tx.scalar("SELECT doc FROM incidents WHERE arn = ?", (arn,))
    if hold is None or doc is None:
        return
    record = loads(doc)
    if record["status"] == IncidentStatus.OPEN.value and (window := await window_holding(ctx, _sources(record))):
        await ctx.tx.execute(
            "UPDATE maintenance_holds SET window_id = ?, window_name = ?, until_us = ? WHERE incident_arn = ?",
            (window["id"], window["name"], to_us(window["until"]), arn),
        )
        await _schedule_release(ctx, arn, window["until"])
        return
    await ctx.tx.execute("UPDATE maintenance_holds SET released_us = ? WHERE incident_arn = ?", (to_us(ctx.now), arn))
    if record["status"] != IncidentStatus.OPEN.value:
        return
    await add_event(
        ctx, arn, TimelineEventType.ENGAGEMENT.value,
        {"message": f"Maintenance window {hold['window_name']} is over: engaging the response plan now"},
    )
    try:
        plan = await load_doc(ctx.tx, "response_plans", record["responsePlanArn"], kind="response plan")
    except ResourceNotFoundException:
        await add_event(ctx, arn, TimelineEventType.ENGAGEMENT.value,
                        {"message": "the response plan no longer exists; no one was engaged"})
        return
    await engage_response_plan(ctx, record, plan)
    ctx.emit(ev.MAINTENANCE_WINDOW_CHANGED, arn, name=hold["window_name"], change="released")


async def schedule_boundary(ctx: Context, window_id: str, doc: dict[str, Any]) -> None:
    """A timer at the window's next start or end, which announces it (MaintenanceWindowChanged
    started/ended: screens and event streams follow) and sets the one after."""
    current = occurrence_at(doc, ctx.now)
    upcoming = next_occurrence(doc, ctx.now)
    due = current[1] if current else upcoming[0] if upcoming else None
    if due is None:
        await ctx.core.scheduler.cancel(ctx.tx, f"maintenance-window:{window_id}")
        return
    await ctx.core.scheduler.schedule(
        ctx.tx, BOUNDARY_TIMER, due, {"windowId": window_id}, dedupe_key=f"maintenance-window:{window_id}"
    )


@timer_handler(BOUNDARY_TIMER)
async def _boundary(ctx: Context, payload: dict[str, Any]) -> None:
    row = await ctx.tx.fetchone("SELECT arn, name, doc FROM maintenance_windows WHERE id = ?", (payload["windowId"],))
    if row is None:
        return
    doc = loads(row["doc"])
    change = "started" if occurrence_at(doc, ctx.now) else "ended"
    ctx.emit(ev.MAINTENANCE_WINDOW_CHANGED, row["arn"], name=row["name"], change=change)
    await schedule_boundary(ctx, payload["windowId"], doc)


async def held_incidents(ctx: Context, incident_arns: list[str]) -> dict[str, dict[str, Any]]:
    """incident ARN -> its hold (windowName, heldTime, until, releasedTime) for those started in a window."""
    if not incident_arns:
        return {}
    rows = await ctx.tx.fetchall(
        "SELECT * FROM maintenance_holds WHERE incident_arn IN"
        f" ({','.join('?' * len(incident_arns))})",
        tuple(incident_arns),
    )
    return {
        r["incident_arn"]: {
            "incidentArn": r["incident_arn"],
            "windowName": r["window_name"],
            "heldTime": from_us(r["held_us"]),
            "until": from_us(r["until_us"]),
            **({"releasedTime": from_us(r["released_us"])} if r["released_us"] else {}),
        }
        for r in rows
    }
