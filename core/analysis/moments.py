"""Key moments of an incident, derived from its records, and the times between them.

- start: the incident record's creation;
- trigger: the time the alarm or event that started it fired (its trigger details), if any;
- first engagement: the earliest engagement started for the incident;
- first acknowledgement: the earliest engagement an acknowledgement stopped;
- mitigation start: the first timeline point that acts on the impact (a runbook execution, an
  update that lowers the impact, or a custom event that speaks of mitigation);
- resolved: the record's resolved time.

Time to detect runs from the trigger to the start, the others from the start. The first
engagement and acknowledgement are the incident record's engaged_us and acked_us, which the
store keeps as MIN(start_us) and MIN(acked_us) over its engagements (migration 0012); reports
read the same columns, so an analysis and a report agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.model.analyses import TIMES
from core.model.incidents import TimelineEventType
from core.store.db import Tx
from core.timeutil import from_us, parse_timestamp


def _mentions_mitigation(text: str) -> bool:
    return "mitigat" in text.lower()


def _is_mitigation(event_type: str, data: str) -> bool:
    if event_type == TimelineEventType.RUNBOOK.value:
        return True
    if event_type == TimelineEventType.CUSTOM.value:
        return _mentions_mitigation(data)
    if event_type == TimelineEventType.UPDATED.value:
        try:
            impact = (json.loads(data).get("changes") or {}).get("impact") or {}
        except (ValueError, AttributeError):
            return False
        return isinstance(impact.get("from"), int) and isinstance(impact.get("to"), int) and impact["to"] > impact["from"]
    return False


def _trigger_time(data: str) -> datetime | None:
    try:
        trigger = (json.loads(data) or {}).get("trigger") or {}
        return parse_timestamp(trigger["timestamp"]) if trigger.get("timestamp") else None
    except (ValueError, AttributeError, KeyError):
        return None


@dataclass(frozen=True)
class KeyMoments:
    times: dict[str, datetime]

    def durations(self) -> dict[str, int]:
        """Whole seconds between moments; a duration whose ends are not both known is left out."""
        out = {}
        for name, _, since, until in TIMES:
            if since in self.times and until in self.times:
                out[name] = int((self.times[until] - self.times[since]).total_seconds())
        return out


async def key_moments(tx: Tx, incident_arn: str) -> KeyMoments:
    """The key moments of one incident, from its record, timeline and engagements."""
    row = await tx.fetchone("SELECT creation_us, resolved_us, engaged_us, acked_us FROM incidents WHERE arn = ?",
                            (incident_arn,))
    times: dict[str, datetime] = {"incidentStart": from_us(row["creation_us"])}
    if row["resolved_us"] is not None:
        times["resolved"] = from_us(row["resolved_us"])
    events = await tx.fetchall(
        "SELECT event_us, event_type, event_data FROM timeline_events WHERE incident_arn = ? ORDER BY event_us, id",
        (incident_arn,),
    )
    for event in events:
        if event["event_type"] == TimelineEventType.CREATED.value and "trigger" not in times:
            trigger = _trigger_time(event["event_data"])
            if trigger is not None:
                times["trigger"] = trigger
        if "mitigationStart" not in times and _is_mitigation(event["event_type"], event["event_data"]):
            times["mitigationStart"] = from_us(event["event_us"])
    if row["engaged_us"] is not None:
        times["firstEngagement"] = from_us(row["engaged_us"])
        if row["acked_us"] is not None:
            times["firstAcknowledgement"] = from_us(row["acked_us"])
    return KeyMoments(times)


def stored_moments(doc: dict[str, Any]) -> KeyMoments:
    """The key moments an analysis document holds (times as stored JSON text)."""
    return KeyMoments({k: parse_timestamp(v) for k, v in (doc.get("keyMoments") or {}).items()})

