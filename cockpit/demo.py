"""The demo workspace: realistic data seeded through the Client only (and one alert posted to
the core's own intake endpoint, as a monitoring source would).

History is written on a FakeClock that walks forward through the last 30 days, so incidents
have real ages, durations and timelines; the cockpit then opens the workspace on the system
clock. Every area has something in it: contacts on call who acknowledge the open incidents'
pages within minutes, a runbook running on the critical incident, an Alertmanager integration
whose payload started the replica lag incident, heartbeats (one missed), an upcoming maintenance
window and an analysis of a resolved incident (``cockpit.demo_areas``), and users with their roles
and keys (``cockpit.demo_contacts``). Deterministic for a
given ``end`` (titles, times, order), apart from generated ids.
"""

from __future__ import annotations

import json
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cockpit.demo_areas import ALERT_TITLE, DemoAreas, post_alert, prepare_areas, schedule_areas
from cockpit.demo_contacts import PLAN_ENGAGES, acknowledge_one, seed_contacts
from cockpit.factory import Post, embedded_client_and_http
from core.client.base import Client
from core.clock import FakeClock
from core.config import load_config

DEMO_ACCOUNT = "123456789012"
CUSTOM = "Custom Event"


def sns(topic: str) -> dict[str, Any]:
    return {"chatbotSns": [f"arn:aws:sns:us-east-1:{DEMO_ACCOUNT}:{topic}"]}


PLANS: list[dict[str, Any]] = [
    {
        "name": "api-outage",
        "displayName": "API outage",
        "chatChannel": sns("api-war-room"),
        "incidentTemplate": {
            "title": "Public API returning errors", "impact": 2,
            "summary": "Customers see 5xx from the public API. Check the load balancer, the last "
                       "deploy and the database first.",
        },
    },
    {
        "name": "database-degraded",
        "displayName": "Database degraded",
        "chatChannel": sns("db-oncall"),
        "incidentTemplate": {
            "title": "Primary database degraded", "impact": 3,
            "summary": "Replication lag or slow queries on the primary cluster.",
        },
    },
    {
        "name": "payments-down",
        "displayName": "Payments down",
        "chatChannel": sns("payments-incident"),
        "incidentTemplate": {
            "title": "Payments failing", "impact": 1,
            "summary": "Card payments fail at checkout. Page payments and the PSP liaison.",
            "dedupeString": "payments-down",
        },
    },
]


@dataclass
class Story:
    """One incident: when it starts, from which plan, what happens to it and when."""

    plan: str
    title: str
    impact: int
    started: datetime
    resolved_after: timedelta | None = None
    notes: list[tuple[timedelta, str]] = field(default_factory=list)
    links: list[tuple[timedelta, str, str, dict[str, str]]] = field(default_factory=list)
    impact_change: tuple[timedelta, int] | None = None
    summary: str | None = None
    acked_after: timedelta | None = None
    """When the paged on-call person acknowledges (None: still paging)."""
    by_alert: bool = False
    """Started by the monitoring integration's alert (its title is the alert's), not by a person."""


def _open_stories(end: datetime) -> list[Story]:
    m = lambda minutes: timedelta(minutes=minutes)  # noqa: E731
    return [
        Story("payments-down", "Checkout payments failing for EU cards", 1, end - m(25),
              notes=[(m(3), "PSP status page reports degraded 3-D Secure in the EU"),
                     (m(12), "Switched EU traffic to the secondary acquirer for 10% of payments")],
              links=[(m(5), "METRIC", "Payment success rate",
                      {"metricDefinition": '{"metrics":[["Payments","SuccessRate","Region","eu"]]}'}),
                     (m(6), "OTHER", "PSP status page", {"url": "https://status.psp.example.com"})],
              summary="EU card payments fail at 3-D Secure. Secondary acquirer takes 10% while the "
                      "PSP investigates. Next: raise to 50% if success rate holds above 98%.",
              acked_after=m(3)),
        Story("api-outage", "Login errors for SSO customers", 2, end - m(4),  # paged, its next stage waiting
              notes=[(m(2), "Identity provider certificate rotated at 09:00; suspect metadata cache")]),
        Story("api-outage", "Public API p99 latency above 2 s", 2, end - m(190),
              notes=[(m(15), "Rolled back deploy 2026.03.1 on api-gateway"),
                     (m(70), "Latency improved but still above SLO; scaling out the cache tier")],
              links=[(m(20), "METRIC", "API p99 latency",
                      {"metricDefinition": '{"metrics":[["API","Latency","Stat","p99"]]}'}),
                     (m(21), "INVOLVED_RESOURCE", "api-gateway service",
                      {"arn": f"arn:aws:ecs:us-east-1:{DEMO_ACCOUNT}:service/prod/api-gateway"})],
              impact_change=(m(40), 2), acked_after=m(4)),
        Story("database-degraded", ALERT_TITLE, 3, end - m(50), by_alert=True,
              notes=[(m(10), "Replica lag at 45 s; long-running analytics query found and killed")],
              links=[(m(11), "METRIC", "Replica lag",
                      {"metricDefinition": '{"metrics":[["RDS","ReplicaLag","DB","orders-1"]]}'})],
              acked_after=m(6)),
        Story("database-degraded", "Search results stale after reindex", 4, end - m(26 * 60),
              notes=[(m(30), "Reindex job paused; stale results limited to the catalogue search")],
              acked_after=m(8)),
        Story("api-outage", "Status page certificate expires in 5 days", 5, end - m(2 * 24 * 60),
              links=[(m(5), "TASK", "Renew certificate", {"url": "https://tickets.example.com/OPS-4312"})],
              acked_after=m(4)),
    ]


RESOLVED_TITLES = [
    ("api-outage", "Elevated 5xx on /v2/orders", 2),
    ("database-degraded", "Connection pool exhausted on orders-db", 2),
    ("payments-down", "Refunds stuck in pending", 2),
    ("api-outage", "Rate limiter rejecting partner traffic", 3),
    ("database-degraded", "Disk 90% full on analytics replica", 4),
    ("api-outage", "Webhook deliveries delayed", 3),
    ("payments-down", "Card tokenisation timeouts", 1),
    ("api-outage", "CDN purge failed after release", 4),
    ("database-degraded", "Failover drill left read-only flag set", 3),
    ("api-outage", "Mobile app login loop on Android 15", 2),
    ("api-outage", "GraphQL gateway memory leak", 3),
    ("database-degraded", "Slow queries after index rebuild", 3),
    ("payments-down", "Duplicate charges for subscription renewals", 1),
    ("api-outage", "DNS resolution errors in eu-central", 2),
    ("api-outage", "Image uploads failing over 10 MB", 4),
    ("database-degraded", "Backup job overlapping peak traffic", 5),
    ("api-outage", "Search API returns empty results", 3),
    ("payments-down", "3-D Secure challenge not shown", 2),
    ("api-outage", "Email verification links expired early", 4),
    ("database-degraded", "Replication broken after minor upgrade", 2),
    ("api-outage", "Partner API keys rejected after rotation", 3),
    ("api-outage", "Status page showing stale data", 5),
    ("payments-down", "Payout file rejected by bank", 3),
    ("api-outage", "Latency spike from noisy neighbour", 4),
    ("database-degraded", "Deadlocks in inventory reservation", 3),
]
RESOLVED_NOTES = [
    "Identified the change that caused it; rolling back",
    "Mitigation in place; watching the error rate",
    "Customer support informed; status page updated",
    "Root cause confirmed; follow-up ticket opened",
]


def _resolved_stories(end: datetime) -> list[Story]:
    rng = random.Random(7)
    stories = []
    for i, (plan, title, impact) in enumerate(RESOLVED_TITLES):
        started = end - timedelta(days=29.5) + timedelta(hours=i * 27.5 + rng.randint(0, 300) / 60)
        lasted = timedelta(minutes=rng.randint(12, 360))
        notes = [(lasted * 0.3, RESOLVED_NOTES[i % 4]), (lasted * 0.8, RESOLVED_NOTES[(i + 1) % 4])]
        stories.append(Story(plan, title, impact, started, resolved_after=lasted, notes=notes))
    return stories


async def seed_history(client: Client, clock: FakeClock, region: str, end: datetime, post: Post) -> dict[str, str]:
    """Everything, written on ``clock`` as it walks from 30 days before ``end`` to ``end``: the
    replication set, the response plans, the runbook and integration, each incident's story and
    the other areas' moments. The contacts and on-call rotation come an hour before the first
    open incident, whose plans then engage them: each open incident pages the on-call person,
    who acknowledges minutes later (the newest is still paging). The month's resolved incidents
    engaged no one (paging them all would double the demo's start-up). Returns title -> ARN."""
    await client.call("CreateReplicationSet", {"regions": {region: {}}})
    plan_arns = {}
    for plan in PLANS:
        plan_arns[plan["name"]] = (await client.call("CreateResponsePlan", plan))["arn"]
    areas = await prepare_areas(client, plan_arns)

    steps: list[tuple[datetime, int, Callable[[], Awaitable[Any]]]] = []
    arns: dict[str, str] = {}
    order = 0

    def at(when: datetime, action: Callable[[], Awaitable[Any]]) -> None:
        nonlocal order
        order += 1
        steps.append((when, order, action))

    async def on_call() -> None:  # the contacts, and the plans engaging them, from before the open incidents
        contacts = await seed_contacts(client, clock.now(), override_at=end + timedelta(days=2))
        for name, arn in plan_arns.items():
            await client.call("UpdateResponsePlan", {"arn": arn, "engagements": [contacts.plans[PLAN_ENGAGES[name]]]})

    opened = _open_stories(end)
    at(min(s.started for s in opened) - timedelta(hours=1), on_call)
    stories = _resolved_stories(end) + opened
    for story in stories:
        _plan_story(client, post, areas, story, plan_arns, arns, at)
    schedule_areas(client, areas, arns, end, {s.title: s.started for s in stories},
                   {s.title: s.started + s.resolved_after for s in stories if s.resolved_after}, at)
    for when, _, action in sorted(steps, key=lambda s: (s[0], s[1])):
        if when > clock.now():
            await clock.set(when)
        await action()
    if end > clock.now():
        await clock.set(end)
    return arns


def _plan_story(client: Client, post: Post, areas: DemoAreas, story: Story, plan_arns: dict[str, str],
                arns: dict[str, str], at) -> None:
    async def start() -> None:
        if story.by_alert:
            arns[story.title] = await post_alert(post, areas, story.title, story.started)
            return
        out = await client.call("StartIncident", {
            "responsePlanArn": plan_arns[story.plan], "title": story.title, "impact": story.impact})
        arns[story.title] = out["incidentRecordArn"]

    at(story.started, start)
    if story.acked_after is not None:
        async def acknowledge() -> None:
            await acknowledge_one(client, arns[story.title])
        at(story.started + story.acked_after, acknowledge)
    for offset, text in story.notes:
        async def note(text: str = text, when: datetime = story.started + offset) -> None:
            await client.call("CreateTimelineEvent", {
                "incidentRecordArn": arns[story.title], "eventTime": when,
                "eventType": CUSTOM, "eventData": json.dumps(text)})
        at(story.started + offset, note)
    for offset, kind, title, value in story.links:
        async def link(kind: str = kind, title: str = title, value: dict = value) -> None:
            await client.call("UpdateRelatedItems", {
                "incidentRecordArn": arns[story.title],
                "relatedItemsUpdate": {"itemToAdd": {"identifier": {"type": kind, "value": value},
                                                     "title": title}}})
        at(story.started + offset, link)
    if story.summary:
        async def summarise() -> None:
            await client.call("UpdateIncidentRecord", {"arn": arns[story.title], "summary": story.summary})
        at(story.started + timedelta(minutes=14), summarise)
    if story.impact_change:
        offset, impact = story.impact_change

        async def change_impact(impact: int = impact) -> None:
            await client.call("UpdateIncidentRecord", {"arn": arns[story.title], "impact": 3})
            await client.call("UpdateIncidentRecord", {"arn": arns[story.title], "impact": impact})
        at(story.started + offset, change_impact)
    if story.resolved_after is not None:
        async def resolve() -> None:
            await client.call("UpdateIncidentRecord", {"arn": arns[story.title], "status": "RESOLVED"})
        at(story.started + story.resolved_after, resolve)


async def seed_demo_workspace(data_dir: Path, config: Any = None, end: datetime | None = None) -> dict[str, str]:
    """Seed ``data_dir`` so that its history ends at ``end`` (default: now)."""
    end = end or datetime.now(UTC)
    clock = FakeClock(end - timedelta(days=30))
    region = load_config(Path(data_dir), config).region
    async with embedded_client_and_http(Path(data_dir), clock=clock, config=config) as (client, post):
        return await seed_history(client, clock, region, end, post)
