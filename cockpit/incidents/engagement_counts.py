"""Who is engaged and who acknowledged, for the open-incident tiles, kept live from engagement
events: one ListIncidentEngagements per changed open incident, after a short debounce."""

from __future__ import annotations

from typing import Any

from core.model import events as ev
from core.model.events import DomainEvent

ENGAGEMENT_EVENTS = frozenset({ev.ENGAGEMENT_STARTED, ev.ENGAGEMENT_STOPPED, ev.PAGE_ACCEPTED})
DEBOUNCE_SECONDS = 0.2
"""A burst of events (an escalation stage engages several contacts) costs one call each."""


def people(engagements: list[dict[str, Any]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(engaged, acknowledged): the people (PERSONAL contacts) paged so far and those who
    acknowledged, each named once, in the order they were engaged. Escalation plans and
    schedules are how people are reached, not people; those a pending stage will engage are
    not engaged yet."""
    engaged: list[str] = []
    acknowledged: list[str] = []
    for e in engagements:
        if e.get("contactType") != "PERSONAL" or e.get("state") == "waiting":
            continue
        name = e.get("contactName") or e["contactArn"].rsplit("/", 1)[-1]
        if name not in engaged:
            engaged.append(name)
        if e.get("state") == "acknowledged" and name not in acknowledged:
            acknowledged.append(name)
    return tuple(engaged), tuple(acknowledged)


class EngagementCounts:
    """Which incidents need their counts reloaded, and which incident each engagement is for
    (an EngagementStopped event names only the engagement)."""

    def __init__(self) -> None:
        self.pending: set[str] = set()
        self._incident_of: dict[str, str] = {}

    def incident_for(self, event: DomainEvent) -> str | None:
        if event.type in ENGAGEMENT_EVENTS:
            return event.detail.get("incidentId") or self._incident_of.get(event.resource_arn or "")
        if event.type == ev.INCIDENT_UPDATED:
            return event.resource_arn
        return None

    def learn(self, incident_arn: str, engagements: list[dict[str, Any]]) -> None:
        for e in engagements:
            if e.get("engagementArn"):
                self._incident_of[e["engagementArn"]] = incident_arn

    def forget(self, incident_arn: str) -> None:
        self.pending.discard(incident_arn)
        for key in [k for k, v in self._incident_of.items() if v == incident_arn]:
            del self._incident_of[key]
