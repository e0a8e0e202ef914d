"""Engaged and acknowledged counts for the open-incident tiles, kept live from engagement
events: one ListIncidentEngagements per changed open incident, after a short debounce."""

from __future__ import annotations

from typing import Any

from core.model import events as ev
from core.model.events import DomainEvent

ENGAGEMENT_EVENTS = frozenset({ev.ENGAGEMENT_STARTED, ev.ENGAGEMENT_STOPPED, ev.PAGE_ACCEPTED})
DEBOUNCE_SECONDS = 0.2
"""A burst of events (an escalation stage engages several contacts) costs one call each."""


def count(engagements: list[dict[str, Any]]) -> tuple[int, int]:
    """(engaged, acknowledged): everyone but those a pending stage will engage counts as engaged."""
    engaged = sum(1 for e in engagements if e.get("state") != "waiting")
    acknowledged = sum(1 for e in engagements if e.get("state") == "acknowledged")
    return engaged, acknowledged


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
