"""Which domain events a principal may see: those of resources it may read.

An event's resource ARN names what changed; its service and resource type give the read
action that would show that resource (an incident's events need
``ssm-incidents:GetIncidentRecord``, a page's ``ssm-contacts:DescribePage``...). An event
without a resource, or of a kind not listed here, reaches only principals allowed every action.
"""

from __future__ import annotations

from core import arns
from core.model.events import DomainEvent
from core.security.principals import EVERY_ACTION, Principal

READ_ACTIONS: dict[tuple[str, str], str] = {
    ("ssm-incidents", "incident-record"): "ssm-incidents:GetIncidentRecord",
    ("ssm-incidents", "response-plan"): "ssm-incidents:GetResponsePlan",
    ("ssm-incidents", "replication-set"): "ssm-incidents:GetReplicationSet",
    ("ssm-contacts", "contact"): "ssm-contacts:GetContact",
    ("ssm-contacts", "contact-channel"): "ssm-contacts:GetContactChannel",
    ("ssm-contacts", "engagement"): "ssm-contacts:DescribeEngagement",
    ("ssm-contacts", "page"): "ssm-contacts:DescribePage",
    ("ssm-contacts", "rotation"): "ssm-contacts:GetRotation",
    ("ssm", "document"): "cockpit:GetRunbook",
    ("ssm-incidents", "integration"): "cockpit:GetIntegration",
    ("ssm-incidents", "analysis"): "cockpit:GetAnalysis",
    ("ssm-incidents", "analysis-template"): "cockpit:GetAnalysisTemplate",
    ("ssm-incidents", "heartbeat"): "cockpit:GetHeartbeat",
    ("ssm-incidents", "maintenance-window"): "cockpit:ListMaintenanceWindows",
}


def read_action(resource_arn: str | None) -> str:
    """The action that reads the resource an event is about."""
    m = arns.ARN_RE.match(resource_arn or "")
    if m is None:
        return EVERY_ACTION
    kind = m["resource"].split("/", 1)[0]
    return READ_ACTIONS.get((m["service"], kind), EVERY_ACTION)


def visible_to(principal: Principal, event: DomainEvent) -> DomainEvent | None:
    """The event as ``principal`` may see it, or None when it is not for them."""
    action = read_action(event.resource_arn)
    if action == EVERY_ACTION:
        return event if principal.admin else None
    return event if principal.may(action) else None
