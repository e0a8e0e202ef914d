"""Domain events: what happened, published after the transaction that did it commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class DomainEvent:
    """One committed change. ``seq`` is its id in the durable event log: it only increases."""

    seq: int
    type: str
    time: datetime
    resource_arn: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "type": self.type,
            "time": self.time.isoformat(),
            "resourceArn": self.resource_arn,
            "detail": self.detail,
        }


# Event types (one place, so the TUI and tests match on names, not strings scattered about)
INCIDENT_STARTED = "IncidentStarted"
INCIDENT_DEDUPLICATED = "IncidentDeduplicated"
INCIDENT_UPDATED = "IncidentUpdated"
INCIDENT_RESOLVED = "IncidentResolved"
INCIDENT_DELETED = "IncidentDeleted"
TIMELINE_EVENT_ADDED = "TimelineEventAdded"
TIMELINE_EVENT_UPDATED = "TimelineEventUpdated"
TIMELINE_EVENT_DELETED = "TimelineEventDeleted"
RELATED_ITEMS_UPDATED = "RelatedItemsUpdated"
RESPONSE_PLAN_CHANGED = "ResponsePlanChanged"
REPLICATION_SET_CHANGED = "ReplicationSetChanged"
ROTATION_CHANGED = "RotationChanged"  # detail: change=created|updated|deleted|override-created|override-deleted
CONTACT_CHANGED = "ContactChanged"  # detail: change=created|updated|deleted, type
CONTACT_CHANNEL_CHANGED = "ContactChannelChanged"  # detail: change=created|updated|deleted|activated|deactivated|code-sent
CONTACT_POLICY_CHANGED = "ContactPolicyChanged"
ENGAGEMENT_STARTED = "EngagementStarted"
ENGAGEMENT_STOPPED = "EngagementStopped"
PAGE_ACCEPTED = "PageAccepted"
USER_CHANGED = "UserChanged"  # detail: userName, change=created|updated|deleted|key-created|key-rotated|key-deleted
OUTBOX_MESSAGE_CHANGED = "OutboxMessageChanged"  # detail: status=sent|failed|retry, id
RUNBOOK_CHANGED = "RunbookChanged"  # resource: the document's ARN; detail: name, version, change=created|updated|deleted
RUNBOOK_EXECUTION_CHANGED = "RunbookExecutionChanged"  # resource: the incident's ARN; detail: executionId, step, status
ANALYSIS_CHANGED = "AnalysisChanged"  # detail: change=created|updated|answered|timeline|action-item|checklist|closed
INTEGRATION_CHANGED = "IntegrationChanged"  # detail: integrationId, change=created|updated|deleted|token-rotated|received
ANALYSIS_TEMPLATE_CHANGED = "AnalysisTemplateChanged"  # detail: change=created|updated|deleted, name
HEARTBEAT_CHANGED = "HeartbeatChanged"  # detail: name, state, change=created|updated|deleted|pinged|missed
MAINTENANCE_WINDOW_CHANGED = "MaintenanceWindowChanged"  # resource: the window, or the incident it held/released; detail: name, change=created|updated|deleted|started|ended|held|released
# Only a RemoteClient yields these: its event stream broke (it is reconnecting), and it is back
# (the events missed meanwhile follow, replayed from the core's event log).
CONNECTION_LOST = "ConnectionLost"  # detail: url, reason
CONNECTION_RESTORED = "ConnectionRestored"  # detail: url
EVENTS_MISSED = "EventsMissed"  # detail: lastEventId, oldestEventId (older than the log keeps)
