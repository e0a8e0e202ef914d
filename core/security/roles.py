"""The roles a user is given, as IAM-style action patterns over the registry's operation
actions (``service:OperationName``, see ``Operation.action``).

- ``admin`` may do everything.
- ``readonly`` may only read: ``Get*``, ``List*`` and ``Describe*`` operations of every service,
  and the audit trail (``LookupAuditEvents``).
- ``responder`` is AWS's ``AWSIncidentManagerResolverAccess`` for this site: it reads everything
  and may start, update and resolve incidents, manage custom timeline events and related items,
  accept pages and start engagements, and work on post-incident analyses (templates stay with
  admins), and start, step through and stop runbook executions (runbook documents stay with admins).

tests/security/test_roles.py classifies every registered operation, so a new one must be
placed here (or left to admins) before the tests pass.
"""

from __future__ import annotations

from core.security.principals import EVERY_ACTION, Principal

SERVICES = ("ssm-incidents", "ssm-contacts", "cockpit")
READ_ACTIONS = frozenset(
    {f"{service}:{verb}*" for service in SERVICES for verb in ("Get", "List", "Describe")}
    | {"cockpit:LookupAuditEvents"}
)
RESPONDER_ACTIONS = frozenset(
    {
        "ssm-incidents:StartIncident",
        "ssm-incidents:UpdateIncidentRecord",  # includes resolving
        "ssm-incidents:CreateTimelineEvent",
        "ssm-incidents:UpdateTimelineEvent",
        "ssm-incidents:DeleteTimelineEvent",
        "ssm-incidents:UpdateRelatedItems",
        "ssm-contacts:AcceptPage",
        "cockpit:AcceptPageByCode",
        "cockpit:AcknowledgePage",
        "ssm-contacts:StartEngagement",
        "cockpit:StartRunbookExecution",
        "cockpit:SignalRunbookStep",
        "cockpit:StopRunbookExecution",
        "cockpit:CreateAnalysis",
        "cockpit:UpdateAnalysis",
        "cockpit:AnswerQuestion",
        "cockpit:CloseAnalysis",
        "cockpit:CreateAnalysisTimelineEvent",
        "cockpit:UpdateAnalysisTimelineEvent",
        "cockpit:DeleteAnalysisTimelineEvent",
        "cockpit:CreateActionItem",
        "cockpit:UpdateActionItem",
        "cockpit:UpdateChecklistItem",
        "cockpit:PingHeartbeat",
    }
)
ROLES: dict[str, frozenset[str]] = {
    "admin": frozenset({EVERY_ACTION}),
    "responder": READ_ACTIONS | RESPONDER_ACTIONS,
    "readonly": READ_ACTIONS,
}


def principal_for_role(arn: str, name: str, role: str, access_key_id: str | None = None) -> Principal:
    """The principal of a user (or any caller) holding ``role``."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; the roles are {', '.join(ROLES)}")
    return Principal(arn=arn, name=name, allowed_actions=ROLES[role], role=role, access_key_id=access_key_id)
