"""Analyses in the store: finding one by id or ARN, its document, its timeline and its action
items, as GetAnalysis shows them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.analysis.moments import stored_moments
from core.engine.context import Context
from core.errors import ConflictException, ResourceNotFoundException
from core.model import events as ev
from core.store.db import Tx, dumps, loads
from core.timeutil import from_us, parse_timestamp, to_us

OPEN, CLOSED = "OPEN", "CLOSED"
OVERVIEW_FIELDS = ("background", "whatHappened", "why", "mitigation", "duration", "keyActions")
ITEM_STATUSES = ("RECOMMENDED", "ACCEPTED", "COMPLETED", "DISMISSED")


@dataclass
class Analysis:
    arn: str
    analysis_id: str
    status: str
    doc: dict[str, Any]


def analysis_id_of(value: str) -> str:
    """``analysisId`` members take the id or the whole ARN."""
    return value.rsplit("/", 1)[-1] if value.startswith("arn:") else value


async def load(tx: Tx, value: str, *, for_change: bool = False) -> Analysis:
    """The analysis ``value`` names; ResourceNotFoundException, or ConflictException when it is
    closed and ``for_change``."""
    row = await tx.fetchone("SELECT * FROM analyses WHERE analysis_id = ?", (analysis_id_of(value),))
    if row is None:
        raise ResourceNotFoundException(f"analysisId: analysis {value!r} does not exist", "ANALYSIS", value)
    if for_change and row["status"] == CLOSED:
        raise ConflictException(f"analysis {row['name']!r} is closed; a closed analysis is kept as it was")
    return Analysis(row["arn"], row["analysis_id"], row["status"], loads(row["doc"]))


async def save_change(ctx: Context, analysis: Analysis, change: str) -> None:
    """Store a changed analysis and announce it (``change`` names what changed)."""
    analysis.doc["lastModifiedTime"] = ctx.now
    analysis.doc["lastModifiedBy"] = ctx.principal.arn
    await ctx.tx.execute(
        "UPDATE analyses SET name = ?, status = ?, updated_us = ?, doc = ? WHERE arn = ?",
        (analysis.doc["name"], analysis.status, to_us(ctx.now), dumps(analysis.doc), analysis.arn),
    )
    ctx.resource_arn = analysis.arn
    ctx.emit(ev.ANALYSIS_CHANGED, analysis.arn, change=change, incidentArn=analysis.doc["incidentRecordArn"])


def _time(value: Any) -> Any:
    return parse_timestamp(value) if value is not None else None


async def timeline(tx: Tx, arn: str) -> list[dict[str, Any]]:
    rows = await tx.fetchall(
        "SELECT * FROM analysis_timeline WHERE analysis_arn = ? ORDER BY event_us, id", (arn,))
    return [{"eventId": r["event_id"], "eventTime": from_us(r["event_us"]), "eventType": r["event_type"],
             "eventData": r["event_data"], "copiedFromIncident": r["copied_from"] is not None} for r in rows]


async def action_items(tx: Tx, arn: str) -> list[dict[str, Any]]:
    rows = await tx.fetchall("SELECT * FROM action_items WHERE analysis_arn = ? ORDER BY id", (arn,))
    return [{"itemId": r["item_id"], "source": r["source"], "title": r["title"], "description": r["description"],
             "status": r["status"], "owner": r["owner"], "dueDate": r["due_date"],
             "createdTime": from_us(r["created_us"]), "lastModifiedTime": from_us(r["updated_us"])} for r in rows]


def due_date(row: Any) -> date | None:
    """An action item row's due date (stored as YYYY-MM-DD)."""
    return date.fromisoformat(row["due_date"]) if row["due_date"] else None


async def add_action_item(tx: Tx, arn: str, item_id: str, source: str, title: str, description: str,
                          now_us: int, rule: str | None = None, *, owner: str = "",
                          due_date: date | None = None) -> bool:
    """Add an item (a recommended one only once per rule); True if it was added."""
    if rule and await tx.scalar("SELECT 1 FROM action_items WHERE analysis_arn = ? AND rule = ?", (arn, rule)):
        return False
    await tx.execute(
        "INSERT INTO action_items (item_id, analysis_arn, source, rule, title, description, status, owner, due_date,"
        " created_us, updated_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (item_id, arn, source, rule, title, description, "RECOMMENDED" if source == "RECOMMENDED" else "ACCEPTED",
         owner, due_date.isoformat() if due_date else None, now_us, now_us),
    )
    return True


async def document(tx: Tx, analysis: Analysis) -> dict[str, Any]:
    """The whole analysis, as GetAnalysis answers it."""
    doc = dict(analysis.doc)
    moments = stored_moments(doc)
    props = dict(doc["properties"])
    for key in ("creationTime", "resolvedTime"):
        props[key] = _time(props.get(key))
    return {
        **doc,
        "status": analysis.status,
        "createdTime": _time(doc["createdTime"]),
        "lastModifiedTime": _time(doc["lastModifiedTime"]),
        "closedTime": _time(doc.get("closedTime")),
        "properties": props,
        "keyMoments": moments.times,
        "metrics": moments.durations(),
        "questions": [{**q, "answeredTime": _time(q.get("answeredTime"))} for q in doc["questions"]],
        "timeline": await timeline(tx, analysis.arn),
        "actionItems": await action_items(tx, analysis.arn),
    }

