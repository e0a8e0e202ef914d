"""Reports over the incidents started in a period: time to engage, acknowledge and resolve
(median, 90th percentile, mean) overall and by response plan, impact and contact; pages per
contact and per hour of the day; incidents per week.

The figures come from the same records as an analysis's key moments (the incident record's
start and resolved times, the engagement records through ``moments.engagement_firsts``), so a
report never disagrees with the incidents it counts. Rows are read through covering
indexes (migration 0009) and folded in one pass; pages and week starts are counted per 15-minute
slot (every time zone's offset is a multiple of it) before they are placed in the report's zone.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.analysis.moments import engagement_firsts
from core.store.db import Tx
from core.timeutil import to_us

MEASURES = ("timeToEngage", "timeToAcknowledge", "timeToResolve")
US = 1_000_000
SLOT_S = 15 * 60
SLOT_US = SLOT_S * US


def summary(values: list[float]) -> dict[str, Any]:
    """count, median, p90 (nearest rank: the smallest value at or above 90% of them) and mean,
    in seconds; without values only the count (0)."""
    if not values:
        return {"count": 0}
    ordered = sorted(values)
    n = len(ordered)
    middle = n // 2
    median = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return {"count": n, "median": float(median), "p90": float(ordered[math.ceil(0.9 * n) - 1]),
            "mean": math.fsum(ordered) / n}


class _Group:
    def __init__(self) -> None:
        self.incidents = 0
        self.values: tuple[list[float], list[float], list[float]] = ([], [], [])

    def out(self, key: str, label: str) -> dict[str, Any]:
        return {"key": key, "label": label, "incidentCount": self.incidents,
                **{m: summary(v) for m, v in zip(MEASURES, self.values, strict=True)}}


def _add(groups: tuple[_Group, ...], engage: float | None, ack: float | None, resolve: float | None) -> None:
    for group in groups:
        group.incidents += 1
        if engage is not None:
            group.values[0].append(engage)
        if ack is not None:
            group.values[1].append(ack)
        if resolve is not None:
            group.values[2].append(resolve)


def _tail(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


async def _labels(tx: Tx) -> tuple[dict[str, str], dict[str, str]]:
    plans = {r["arn"]: r["name"] for r in await tx.fetchall("SELECT arn, name FROM response_plans")}
    contacts = {r["arn"]: r["alias"] for r in await tx.fetchall("SELECT arn, alias FROM contacts")}
    return plans, contacts


def _weeks(start: datetime, end: datetime, tz: ZoneInfo) -> list[str]:
    """The Mondays of every week the period touches."""
    first = start.astimezone(tz).date()
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    monday = first - timedelta(days=first.weekday())
    out = []
    while monday <= last:
        out.append(monday.isoformat())
        monday += timedelta(days=7)
    return out


async def build(tx: Tx, start: datetime, end: datetime, zone: str) -> dict[str, Any]:
    """The report for incidents started (and pages created) in [start, end), hours and weeks in ``zone``."""
    tz = ZoneInfo(zone)
    args = [to_us(start), to_us(end)]
    plans, contacts = await _labels(tx)
    incidents = await tx.fetchall(
        "SELECT arn, creation_us, resolved_us, impact, response_plan_arn FROM incidents"
        " WHERE creation_us >= ? AND creation_us < ?", args)
    first = await engagement_firsts(tx, args[0])
    overall: _Group = _Group()
    by_plan: defaultdict[str, _Group] = defaultdict(_Group)
    by_impact: defaultdict[int, _Group] = defaultdict(_Group)
    slots: Counter[int] = Counter()
    created: dict[str, tuple[int, float | None]] = {}
    none = (None, None)
    for arn, begun, resolved, impact, plan in incidents:
        engaged, acked = first.get(arn, none)
        resolve = None if resolved is None else (resolved - begun) / US
        created[arn] = (begun, resolve)
        groups = (overall, by_plan[plan or ""], by_impact[impact])
        for group in groups:
            group.incidents += 1
        if engaged is not None:
            engage = (engaged - begun) / US
            for group in groups:
                group.values[0].append(engage)
        if acked is not None:
            ack = (acked - begun) / US
            for group in groups:
                group.values[1].append(ack)
        if resolve is not None:
            for group in groups:
                group.values[2].append(resolve)
        slots[begun // SLOT_US] += 1
    weeks: Counter[str] = Counter()
    for slot, n in slots.items():
        day = datetime.fromtimestamp(slot * SLOT_S, tz).date()
        weeks[(day - timedelta(days=day.weekday())).isoformat()] += n

    # each person's own first engagement and acknowledgement per incident, and how long it took
    by_contact: defaultdict[str, _Group] = defaultdict(_Group)
    for incident, contact, engaged, acked in await tx.fetchall(
        "SELECT incident_id, contact_arn, MIN(start_us), MIN(acked_us) FROM engagements"
        " WHERE start_us >= ? AND contact_type = 'PERSONAL' AND incident_id IS NOT NULL"
        " GROUP BY incident_id, contact_arn", args[:1],
    ):
        if incident in created:
            begun, resolve = created[incident]
            _add((by_contact[contact],), (engaged - begun) / US, None if acked is None else (acked - begun) / US,
                 resolve)

    pages = {r[0]: r[1] for r in await tx.fetchall(
        "SELECT contact_arn, COUNT(*) FROM pages WHERE created_us >= ? AND created_us < ? GROUP BY contact_arn", args)}
    hours = [0] * 24
    for slot, n in await tx.fetchall(
        "SELECT created_us / ? AS slot, COUNT(*) FROM pages WHERE created_us >= ? AND created_us < ? GROUP BY slot",
        [SLOT_US, *args],
    ):
        hours[datetime.fromtimestamp(slot * SLOT_S, tz).hour] += n

    def label(arn: str) -> str:
        return contacts.get(arn) or _tail(arn)

    return {
        "startTime": start, "endTime": end, "timeZone": zone,
        "incidentCount": overall.incidents,
        "overall": overall.out("all", "All incidents"),
        "byResponsePlan": [g.out(k, plans.get(k) or (_tail(k) if k else "(none)"))
                           for k, g in sorted(by_plan.items(), key=lambda kv: (-kv[1].incidents, kv[0]))],
        "byImpact": [g.out(str(k), str(k)) for k, g in sorted(by_impact.items())],
        "byContact": [g.out(k, label(k)) for k, g in sorted(by_contact.items(), key=lambda kv: label(kv[0]))],
        "pagesPerContact": [{"key": k, "label": label(k), "pages": n}
                            for k, n in sorted(pages.items(), key=lambda kv: (-kv[1], label(kv[0])))],
        "pagesPerHour": [{"hour": h, "pages": n} for h, n in enumerate(hours)],
        "incidentsPerWeek": [{"weekStart": w, "incidents": weeks[w]} for w in _weeks(start, end, tz)],
    }
