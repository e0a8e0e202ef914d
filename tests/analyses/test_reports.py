"""GetIncidentReport over a scripted month of incidents on the fake clock; every expected figure
is worked out by hand below, and the report agrees with the analyses of the same incidents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import ValidationException
from tests.analyses.scripted import at, engage_and_ack, workspace
from tests.support.contacts import personal_contact

MONTH_START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
MONTH_END = datetime(2026, 3, 30, tzinfo=UTC)


def t(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


# (start, plan, contact or None, engage after, ack after engagement or None, resolve after or None), minutes
SCRIPT = [
    (t(2, 9, 10), "api", "alice", 2, 8, 60),
    (t(4, 14, 0), "api", "bob", 1, 4, 30),
    (t(10, 3, 0), "db", "alice", 5, 15, 120),
    (t(18, 22, 30), "db", "bob", 3, None, 90),
    (t(25, 10, 0), "api", None, None, None, None),  # still open, nobody engaged
    (t(31, 8, 0), "api", "alice", 1, 1, 10),  # after the period: never counted
]


async def _month(client, clock) -> dict[str, str]:
    api, alice = await workspace(client)
    bob, _ = await personal_contact(client, "bob", [("EMAIL", "bob@example.com")])
    db = (await client.call("CreateResponsePlan", {"name": "db", "incidentTemplate": {
        "title": "Database down", "impact": 1}}))["arn"]
    plans, people = {"api": api, "db": db}, {"alice": alice, "bob": bob}
    incidents = {}
    for start, plan, who, engage, ack, resolve in SCRIPT:
        await at(clock, start)
        arn = (await client.call("StartIncident", {"responsePlanArn": plans[plan]}))["incidentRecordArn"]
        incidents[start] = arn
        if who:
            await at(clock, start + timedelta(minutes=engage))
            await engage_and_ack(client, clock, arn, people[who], None if ack is None else timedelta(minutes=ack))
        if resolve:
            await at(clock, start + timedelta(minutes=resolve))
            await client.call("UpdateIncidentRecord", {"arn": arn, "status": "RESOLVED"})
    await at(clock, t(31, 12))
    return incidents


def _s(median, p90, mean, count):
    return {"count": count, "median": float(median), "p90": float(p90), "mean": float(mean)}


async def test_a_month_of_incidents_by_hand(client, clock):
    await _month(client, clock)
    report = (await client.call("GetIncidentReport", {"startTime": MONTH_START, "endTime": MONTH_END}))["report"]
    assert report["incidentCount"] == 5
    overall = report["overall"]
    # engage: 120, 60, 300, 180 s -> sorted 60 120 180 300: median 150, p90 the 4th (ceil 3.6), mean 165
    assert overall["timeToEngage"] == _s(150, 300, 165, 4)
    # acknowledge: 600, 300, 1200 s (the 4th was never acknowledged): median 600, p90 1200, mean 700
    assert overall["timeToAcknowledge"] == _s(600, 1200, 700, 3)
    # resolve: 3600, 1800, 7200, 5400 s (the 5th is open): median 4500, p90 7200, mean 4500
    assert overall["timeToResolve"] == _s(4500, 7200, 4500, 4)

    plans = {g["label"]: g for g in report["byResponsePlan"]}
    assert plans["api-outage"]["incidentCount"] == 3 and plans["db"]["incidentCount"] == 2
    assert plans["api-outage"]["timeToEngage"] == _s(90, 120, 90, 2)
    assert plans["api-outage"]["timeToAcknowledge"] == _s(450, 600, 450, 2)
    assert plans["db"]["timeToAcknowledge"] == _s(1200, 1200, 1200, 1)
    assert plans["db"]["timeToResolve"] == _s(6300, 7200, 6300, 2)
    impacts = {g["key"]: g["incidentCount"] for g in report["byImpact"]}
    assert impacts == {"1": 2, "2": 3}
    assert [g["label"] for g in report["byImpact"]] == ["1 Critical", "2 High"]  # named as the app names impact

    people = {g["label"]: g for g in report["byContact"]}
    assert people["alice"]["timeToEngage"] == _s(210, 300, 210, 2)
    assert people["alice"]["timeToAcknowledge"] == _s(900, 1200, 900, 2)
    assert people["bob"]["timeToAcknowledge"] == _s(300, 300, 300, 1)
    assert people["bob"]["timeToResolve"] == _s(3600, 5400, 3600, 2)

    assert [(p["label"], p["pages"]) for p in report["pagesPerContact"]] == [("alice", 2), ("bob", 2)]
    by_hour = {h["hour"]: h["pages"] for h in report["pagesPerHour"] if h["pages"]}
    assert by_hour == {9: 1, 14: 1, 3: 1, 22: 1}  # 09:12, 14:01, 03:05, 22:33 UTC
    assert [(w["weekStart"], w["incidents"]) for w in report["incidentsPerWeek"]] == [
        ("2026-03-02", 2), ("2026-03-09", 1), ("2026-03-16", 1), ("2026-03-23", 1)]


async def test_hours_and_weeks_follow_the_time_zone(client, clock):
    await _month(client, clock)
    report = (await client.call("GetIncidentReport", {"startTime": MONTH_START, "endTime": MONTH_END,
                                                      "timeZone": "America/New_York"}))["report"]
    # New York is UTC-5 until 8 March, then UTC-4: 04:12, 09:01, 23:05 (on 9 March), 18:33
    by_hour = {h["hour"]: h["pages"] for h in report["pagesPerHour"] if h["pages"]}
    assert by_hour == {4: 1, 9: 1, 23: 1, 18: 1}
    # the period begins on Sunday 1 March at 19:00 in New York, in the week of 23 February
    assert [(w["weekStart"], w["incidents"]) for w in report["incidentsPerWeek"]] == [
        ("2026-02-23", 0), ("2026-03-02", 2), ("2026-03-09", 1), ("2026-03-16", 1), ("2026-03-23", 1)]


async def test_the_report_agrees_with_the_analyses_of_the_incidents_it_counts(client, clock):
    incidents = await _month(client, clock)
    report = (await client.call("GetIncidentReport", {"startTime": MONTH_START, "endTime": MONTH_END}))["report"]
    engage, ack, resolve = [], [], []
    for start, arn in incidents.items():
        record = (await client.call("GetIncidentRecord", {"arn": arn}))["incidentRecord"]
        if record["status"] != "RESOLVED" or start >= MONTH_END:
            continue
        aid = (await client.call("CreateAnalysis", {"incidentRecordArn": arn, "name": "review"}))["analysisId"]
        metrics = (await client.call("GetAnalysis", {"analysisId": aid}))["analysis"]["metrics"]
        engage += [metrics["timeToEngageSeconds"]] if "timeToEngageSeconds" in metrics else []
        ack += [metrics["timeToAcknowledgeSeconds"]] if "timeToAcknowledgeSeconds" in metrics else []
        resolve.append(metrics["timeToResolveSeconds"])
    assert report["overall"]["timeToEngage"]["mean"] == sum(engage) / len(engage)
    assert report["overall"]["timeToAcknowledge"]["mean"] == sum(ack) / len(ack)
    assert report["overall"]["timeToResolve"]["mean"] == sum(resolve) / len(resolve)


async def test_bad_periods_and_zones_are_refused(client):
    with pytest.raises(ValidationException, match="startTime: must be before endTime"):
        await client.call("GetIncidentReport", {"startTime": MONTH_END, "endTime": MONTH_START})
    with pytest.raises(ValidationException, match="at most 400 days"):
        await client.call("GetIncidentReport", {"startTime": MONTH_START - timedelta(days=500), "endTime": MONTH_END})
    with pytest.raises(ValidationException, match="'Mars/Olympus' is not an IANA time zone"):
        await client.call("GetIncidentReport", {"timeZone": "Mars/Olympus"})
