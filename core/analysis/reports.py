"""Reports over the incidents started in a period: time to engage, acknowledge and resolve
(median, 90th percentile, mean) overall and by response plan, impact and contact; pages per
contact and per hour of the day; incidents per week.

The figures come from the same records as an analysis's key moments: the incident record's
start and resolved times, and its first engagement and acknowledgement (engaged_us, acked_us),
which the store's triggers keep as MIN(start_us) and MIN(acked_us) over its engagement records;
incident_responders holds the same per personal contact (migration 0012). So a report never
disagrees with the incidents it counts, and it is two grouped reads of covering indexes (the
durations come back as text, sorted here) and two counts: incidents per week and pages per
contact and local hour, local times computed by SQL from the zone's offsets over the period
(``_offsets``).
"""

from __future__ import annotations

import asyncio
import json
import math
from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

from core.model.incidents import impact_label
from core.store.db import Tx
from core.timeutil import from_us, to_us

MEASURES = ("timeToEngage", "timeToAcknowledge", "timeToResolve")
US = 1_000_000
HOUR_US = 3600 * US
WEEK_US = 7 * 24 * HOUR_US
SAMPLE_S = 3 * 3600  # zone offsets are sampled this often (tz transitions are months apart), then bisected

# per impact and response plan (and, from incident_responders, per personal contact engaged):
# how many, and the times from the start to the first engagement, acknowledgement and resolution
# in microseconds as text ("," between; NULL ones left out), read from covering indexes
INCIDENTS_SQL = ("SELECT impact, response_plan_arn, COUNT(*), group_concat(engaged_us - creation_us),"
                 " group_concat(acked_us - creation_us), group_concat(resolved_us - creation_us)"
                 " FROM incidents WHERE creation_us >= ? AND creation_us < ? GROUP BY impact, response_plan_arn")
RESPONDERS_SQL = ("SELECT contact_arn, COUNT(*), group_concat(engaged_us - creation_us),"
                  " group_concat(acked_us - creation_us), group_concat(resolved_us - creation_us)"
                  " FROM incident_responders WHERE creation_us >= ? AND creation_us < ? GROUP BY contact_arn")
WEEKS_SQL = ("SELECT ({local} - ?) / ? AS week, COUNT(*) FROM incidents"
             " WHERE creation_us >= ? AND creation_us < ? GROUP BY week")
PAGES_SQL = ("SELECT contact_arn, ({local} - ?) / ? % 24 AS hour, COUNT(*) FROM pages"
             " WHERE created_us >= ? AND created_us < ? GROUP BY contact_arn, hour")


def summary(ordered: list[int]) -> dict[str, Any]:
    """count, median, p90 (nearest rank: the smallest value at or above 90% of them) and mean, in
    seconds, of durations in microseconds given in ascending order; without any, only the count (0)."""
    n = len(ordered)
    if not n:
        return {"count": 0}
    middle = n // 2
    median = ordered[middle] / US if n % 2 else (ordered[middle - 1] + ordered[middle]) / (2 * US)
    return {"count": n, "median": median, "p90": ordered[math.ceil(0.9 * n) - 1] / US, "mean": sum(ordered) / (n * US)}


Group = tuple[int, tuple[list[int], ...]]  # (incidents, each measure's durations in microseconds, ascending)


def _durations(text: str | None) -> list[int]:
    return sorted(json.loads(f"[{text}]")) if text else []  # json parses integers fastest


def _group(count: int, *measures: str | None) -> Group:
    return count, tuple(map(_durations, measures))


def _merge(groups: list[Group]) -> Group:
    """One group of several (timsort merges their sorted runs)."""
    return sum(n for n, _ in groups), tuple(sorted(chain.from_iterable(m)) for m in zip(*(v for _, v in groups), strict=True))


def _merged(cells: dict[tuple[Any, Any], Group], side: int) -> dict[Any, Group]:
    """The cells (key pairs -> group) merged by one side of their key."""
    by: defaultdict[Any, list[Group]] = defaultdict(list)
    for key, group in cells.items():
        by[key[side]].append(group)
    return {k: _merge(groups) for k, groups in by.items()}


def _fold(incidents: list[Any], responders: list[Any]) -> tuple[Group, dict[Any, Group], dict[Any, Group], dict[Any, Group]]:
    """The groups (overall, by impact, by plan, by contact) of the rows of INCIDENTS_SQL and RESPONDERS_SQL."""
    cells = {(impact, plan or ""): _group(*figures) for impact, plan, *figures in incidents}
    by_impact, by_plan = _merged(cells, 0), _merged(cells, 1)
    overall = _merge(list(by_impact.values())) if cells else (0, ([], [], []))
    return overall, by_impact, by_plan, {contact: _group(*figures) for contact, *figures in responders}


def _out(key: str, label: str, group: Group) -> dict[str, Any]:
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
    # a year's rows take a while to read and sort: off the event loop, which goes on (drawing a screen)
    incidents = await tx.fetchall(INCIDENTS_SQL, (lo, hi), off_loop=True)
    responders = await tx.fetchall(RESPONDERS_SQL, (lo, hi), off_loop=True)
    overall, by_impact, by_plan, by_contact = await asyncio.to_thread(_fold, incidents, responders)

    # weeks and hours in the zone: local microseconds from the first Monday's local midnight
    offsets = _offsets(lo, hi, tz)
    mondays = _weeks(start, end, tz)
    origin = to_us(datetime.combine(datetime.fromisoformat(mondays[0]), time(), UTC))
    local, params = _local("creation_us", offsets)
    weeks = dict(await tx.fetchall(WEEKS_SQL.format(local=local), [*params, origin, WEEK_US, lo, hi], off_loop=True))
    local, params = _local("created_us", offsets)
    pages: Counter[str] = Counter()
    hours = [0] * 24
    counted = await tx.fetchall(PAGES_SQL.format(local=local), [*params, origin, HOUR_US, lo, hi], off_loop=True)
    for contact, hour, count in counted:
        pages[contact] += count
        hours[hour] += count

    def label(arn: str) -> str:
        return contacts.get(arn) or _tail(arn)

    return {
        "startTime": start, "endTime": end, "timeZone": zone,
        "incidentCount": overall[0],
        "overall": _out("all", "All incidents", overall),
        "byResponsePlan": [_out(k, plans.get(k) or (_tail(k) if k else "(none)"), g)
                           for k, g in sorted(by_plan.items(), key=lambda kv: (-kv[1][0], kv[0]))],
        "byImpact": [_out(str(k), impact_label(k), g) for k, g in sorted(by_impact.items())],
        "byContact": [_out(k, label(k), g) for k, g in sorted(by_contact.items(), key=lambda kv: label(kv[0]))],
        "pagesPerContact": [{"key": k, "label": label(k), "pages": n}
                            for k, n in sorted(pages.items(), key=lambda kv: (-kv[1], label(kv[0])))],
        "pagesPerHour": [{"hour": h, "pages": n} for h, n in enumerate(hours)],
        "incidentsPerWeek": [{"weekStart": w, "incidents": weeks.get(i, 0)} for i, w in enumerate(mondays)],
    }
