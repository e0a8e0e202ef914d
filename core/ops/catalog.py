"""Imports every operation module so the registry (and the timer kinds) are complete.

Add a module here when you add an area; each module registers its operations with
``@operation`` at import time.
"""

from core.ops import (  # noqa: F401
    analyses,
    analysis_items,
    analysis_templates,
    audit_ops,
    contact_channels,
    contact_policies,
    contact_tags,
    contacts,
    engagements,
    heartbeats,
    incidents,
    intake,
    integrations,
    maintenance_windows,
    outbox_ops,
    pages,
    related_items,
    replication,
    reports,
    response_plans,
    rotations,
    runbook_executions,
    runbooks,
    tags,
    timeline,
    users,
    workspace,
)
