"""Reports over the incidents started in a period: time to engage, acknowledge and resolve
(median, 90th percentile, mean) overall and by response plan, impact and contact; pages per
contact and per hour of the day; incidents per week.

The figures come from the same records as an analysis's key moments (the incident record's
start and resolved times; MIN(start_us) and MIN(acked_us) over the engagement records, as
``moments.engagement_firsts``), so a report never disagrees with the incidents it counts. Two
reads through the covering indexes of migration 0009 (the period's incidents, and one grouped
scan of their engagements per contact) are joined and folded in Python; incidents per week and
pages per contact and local hour are counted by SQL, local times computed there from the zone's
offsets over the period (``_offsets``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.store.db import Tx
from core.timeutil import from_us, to_us

MEASURES = ("timeToEngage", "timeToAcknowledge", "timeToResolve")
US = 1_000_000
HOUR_US = 3600 * US
WEEK_US = 7 * 24 * HOUR_US
SAMPLE_S = 3 * 3600  # zone offsets are sampled this often (tz transitions are months apart), then bisected

INCIDENTS_SQL = ("SELECT arn, creation_us, resolved_us, impact, response_plan_arn FROM incidents"
                 " WHERE creation_us >= ? AND creation_us < ?")
# the first engagement and acknowledgement of each contact engaged per incident (an incident's
# engagements never start before it does), in the covering index's order: no sort
ENGAGEMENTS_SQL = ("SELECT incident_id, contact_arn, contact_type = 'PERSONAL', MIN(start_us), MIN(acked_us)"
                   " FROM engagements WHERE start_us >= ? AND incident_id IS NOT NULL"
                   " GROUP BY incident_id, contact_arn, contact_type")
WEEKS_SQL = ("SELECT ({local} - ?) / ? AS week, COUNT(*) FROM incidents"
             " WHERE creation_us >= ? AND creation_us < ? GROUP BY week")
PAGES_SQL = ("SELECT contact_arn, ({local} - ?) / ? % 24 AS hour, COUNT(*) FROM pages"
             " WHERE created_us >= ? AND created_us < ? GROUP BY contact_arn, hour")


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


Measure = tuple[list[int], list[float]]  # (the indexes of the rows it is known for, its values in seconds)


def _by(keys: list[Any], measures: tuple[Measure, ...]) -> dict[Any, tuple[int, tuple[list[float], ...]]]:
    """key -> (rows, each measure's values), ``keys`` given per row."""
    grouped = []
    for index, values in measures:
        groups: defaultdict[Any, list[float]] = defaultdict(list)
        for key, value in zip(map(keys.__getitem__, index), values, strict=True):
            groups[key].append(value)
        grouped.append(groups)
    return {k: (n, tuple(g.get(k, []) for g in grouped)) for k, n in Counter(keys).items()}


def _out(key: str, label: str, group: tuple[int, tuple[list[float], ...]]) -> dict[str, Any]:
    rows, values = group
    return {"key": key, "label": label, "incidentCount": rows,
            **{m: summary(v) for m, v in zip(MEASURES, values, strict=True)}}


def _tail(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


async def _labels(tx: Tx) -> tuple[dict[str, str], dict[str, str]]:
    plans = {r["arn"]: r["name"] for r in await tx.fetchall("SELECT arn, name FROM response_plans")}
    contacts = {r["arn"]: r["alias"] for r in await tx.fetchall("SELECT arn, alias FROM contacts")}
    return plans, contacts


def _offset_us(tz: ZoneInfo, us: int) -> int:
    offset = from_us(us).astimezone(tz).utcoffset()
    assert offset is not None  # a ZoneInfo always has one
    return offset // timedelta(microseconds=1)


def _offsets(lo: int, hi: int, tz: ZoneInfo) -> list[tuple[int, int]]:
    """The stretches of [lo, hi) with one UTC offset in ``tz``: (since, offset) in microseconds,
    the first since ``lo``; each change is found to the second (tz transitions fall on whole seconds)."""
    out = [(lo, _offset_us(tz, lo))]
    at = lo
    while at < hi:
        step = min(at + SAMPLE_S * US, hi)
        if _offset_us(tz, step) != out[-1][1]:
            low, high = at // US, -(-step // US)  # offset(low) is the current one, offset(high) a new one
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if _offset_us(tz, middle * US) == out[-1][1] else (low, middle)
            out.append((max(high * US, lo), _offset_us(tz, high * US)))
        at = step
    return out


def _local(column: str, offsets: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """SQL for ``column`` (UTC microseconds) as local wall-clock microseconds, and its parameters."""
    if len(offsets) == 1:
        return f"{column} + ?", [offsets[0][1]]
    cases = " ".join(f"WHEN {column} < ? THEN ?" for _ in offsets[1:])
    params = [p for (since, _), (_, offset) in zip(offsets[1:], offsets, strict=False) for p in (since, offset)]
    return f"{column} + CASE {cases} ELSE ? END", [*params, offsets[-1][1]]


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
    lo, hi = to_us(start), to_us(end)
    plans, contacts = await _labels(tx)
    rows = await tx.fetchall(INCIDENTS_SQL, (lo, hi))
    arns, begun, resolved, impacts, plan_arns = (list(c) for c in zip(*rows, strict=True)) if rows else ([],) * 5
    n = len(arns)

    # each incident's engagements in one grouped scan: per contact (PERSONAL ones count for that
    # person) and, over all of them, the incident's first engagement and acknowledgement
    at = dict(zip(arns, range(n), strict=True))
    engaged: dict[int, int] = {}
    acked: dict[int, int] = {}
    people = []
    for incident, contact, personal, e, a in await tx.fetchall(ENGAGEMENTS_SQL, (lo,)):
        j = at.get(incident)
        if j is None:
            continue
        if e < engaged.get(j, e + 1):
            engaged[j] = e
        if a is not None and a < acked.get(j, a + 1):
            acked[j] = a
        if personal:
            people.append((j, contact, e, a))
    closed = [j for j, r in enumerate(resolved) if r is not None]
    measures = (
        (list(engaged), [(e - begun[j]) / US for j, e in engaged.items()]),
        (list(acked), [(a - begun[j]) / US for j, a in acked.items()]),
        (closed, [(resolved[j] - begun[j]) / US for j in closed]),
    )
    overall = (n, tuple(values for _, values in measures))
    by_plan = _by([p or "" for p in plan_arns], measures)
    by_impact = _by(impacts, measures)

    # per person engaged in an incident (row k): their own first engagement and acknowledgement
    p_acked = [(k, j, a) for k, (j, _, _, a) in enumerate(people) if a is not None]
    p_closed = [(k, j) for k, (j, _, _, _) in enumerate(people) if resolved[j] is not None]
    by_contact = _by([c for _, c, _, _ in people], (
        (list(range(len(people))), [(e - begun[j]) / US for j, _, e, _ in people]),
        ([k for k, _, _ in p_acked], [(a - begun[j]) / US for _, j, a in p_acked]),
        ([k for k, _ in p_closed], [(resolved[j] - begun[j]) / US for _, j in p_closed]),
    ))

    # weeks and hours in the zone: local microseconds from the first Monday's local midnight
    offsets = _offsets(lo, hi, tz)
    mondays = _weeks(start, end, tz)
    origin = to_us(datetime.combine(datetime.fromisoformat(mondays[0]), time(), UTC))
    local, params = _local("creation_us", offsets)
    weeks = dict(await tx.fetchall(WEEKS_SQL.format(local=local), [*params, origin, WEEK_US, lo, hi]))
    local, params = _local("created_us", offsets)
    pages: Counter[str] = Counter()
    hours = [0] * 24
    for contact, hour, count in await tx.fetchall(PAGES_SQL.format(local=local), [*params, origin, HOUR_US, lo, hi]):
        pages[contact] += count
        hours[hour] += count

    def label(arn: str) -> str:
        return contacts.get(arn) or _tail(arn)

    return {
        "startTime": start, "endTime": end, "timeZone": zone,
        "incidentCount": n,
        "overall": _out("all", "All incidents", overall),
        "byResponsePlan": [_out(k, plans.get(k) or (_tail(k) if k else "(none)"), g)
                           for k, g in sorted(by_plan.items(), key=lambda kv: (-kv[1][0], kv[0]))],
        "byImpact": [_out(str(k), str(k), g) for k, g in sorted(by_impact.items())],
        "byContact": [_out(k, label(k), g) for k, g in sorted(by_contact.items(), key=lambda kv: label(kv[0]))],
        "pagesPerContact": [{"key": k, "label": label(k), "pages": n}
                            for k, n in sorted(pages.items(), key=lambda kv: (-kv[1], label(kv[0])))],
        "pagesPerHour": [{"hour": h, "pages": n} for h, n in enumerate(hours)],
        "incidentsPerWeek": [{"weekStart": w, "incidents": weeks.get(i, 0)} for i, w in enumerate(mondays)],
    }
