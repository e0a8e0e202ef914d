"""Roles over the whole registry: deny by default, every operation classified, and the
roles enforced through dispatch."""

from __future__ import annotations

import pytest

from core.errors import AccessDeniedException
from core.ops.registry import REGISTRY
from core.security.principals import Principal
from core.security.roles import ROLES, principal_for_role

# Every mutation, classified: what a responder may change (AWS's IncidentManagerResolverAccess
# plus paging), and what only an administrator may. A new operation fails
# test_every_operation_is_classified until it is placed in one of these.
RESPONDER_MUTATIONS = {
    "ssm-incidents:StartIncident",
    "ssm-incidents:UpdateIncidentRecord",
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
ADMIN_ONLY_MUTATIONS = {
    "ssm-incidents:CreateReplicationSet",
    "ssm-incidents:UpdateReplicationSet",
    "ssm-incidents:DeleteReplicationSet",
    "ssm-incidents:UpdateDeletionProtection",
    "ssm-incidents:CreateResponsePlan",
    "ssm-incidents:UpdateResponsePlan",
    "ssm-incidents:DeleteResponsePlan",
    "ssm-incidents:DeleteIncidentRecord",
    "ssm-incidents:TagResource",
    "ssm-incidents:UntagResource",
    "ssm-contacts:CreateContact",
    "ssm-contacts:UpdateContact",
    "ssm-contacts:DeleteContact",
    "ssm-contacts:CreateContactChannel",
    "ssm-contacts:UpdateContactChannel",
    "ssm-contacts:DeleteContactChannel",
    "ssm-contacts:ActivateContactChannel",
    "ssm-contacts:DeactivateContactChannel",
    "ssm-contacts:SendActivationCode",
    "ssm-contacts:PutContactPolicy",
    "ssm-contacts:StopEngagement",
    "ssm-contacts:CreateRotation",
    "ssm-contacts:UpdateRotation",
    "ssm-contacts:DeleteRotation",
    "ssm-contacts:CreateRotationOverride",
    "ssm-contacts:DeleteRotationOverride",
    "ssm-contacts:TagResource",
    "ssm-contacts:UntagResource",
    "cockpit:CreateUser",
    "cockpit:CreateHeartbeat",
    "cockpit:UpdateHeartbeat",
    "cockpit:DeleteHeartbeat",
    "cockpit:CreateMaintenanceWindow",
    "cockpit:UpdateMaintenanceWindow",
    "cockpit:DeleteMaintenanceWindow",
    "cockpit:UpdateUser",
    "cockpit:DeleteUser",
    "cockpit:CreateAccessKey",
    "cockpit:DeleteAccessKey",
    "cockpit:RotateAccessKey",
    "cockpit:CreateRunbook",
    "cockpit:UpdateRunbook",
    "cockpit:DeleteRunbook",
    "cockpit:CreateAnalysisTemplate",
    "cockpit:UpdateAnalysisTemplate",
    "cockpit:DeleteAnalysisTemplate",
    "cockpit:CreateIntegration",
    "cockpit:UpdateIntegration",
    "cockpit:DeleteIntegration",
    "cockpit:RotateIntegrationToken",
    "cockpit:ReplayIntakeEvent",
}

OPS = REGISTRY.all()


def role(name: str) -> Principal:
    return principal_for_role(f"arn:aws:iam::111122223333:user/{name}", name, name)


def test_every_operation_is_classified():
    unclassified = [
        op.action
        for op in OPS
        if not op.readonly and op.action not in RESPONDER_MUTATIONS | ADMIN_ONLY_MUTATIONS
    ]
    assert unclassified == [], "classify these mutations in tests/security/test_roles.py"
    registered = {op.action for op in OPS}
    assert (RESPONDER_MUTATIONS | ADMIN_ONLY_MUTATIONS) - registered == set()


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.action)
def test_each_role_over_each_operation(op):
    admin, responder, readonly = role("admin"), role("responder"), role("readonly")
    assert admin.may(op.action)
    # readonly's patterns (Get*/List*/Describe*/LookupAuditEvents) match exactly the reads
    assert readonly.may(op.action) is op.readonly
    assert responder.may(op.action) is (op.readonly or op.action in RESPONDER_MUTATIONS)
    nobody = Principal(arn="arn:aws:iam::111122223333:user/nobody", name="nobody")
    assert not nobody.may(op.action)


def test_unknown_role_is_refused():
    with pytest.raises(ValueError, match="unknown role 'root'"):
        principal_for_role("arn:aws:iam::1:user/x", "x", "root")
    assert set(ROLES) == {"admin", "responder", "readonly"}


async def test_roles_through_dispatch(ready, core):
    admin, plan = ready
    arn = (await admin.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    responder = core.client(role("responder"))
    readonly = core.client(role("readonly"))
    nobody = core.client(Principal(arn="arn:aws:iam::111122223333:user/nobody", name="nobody"))

    # responder: works the incident, cannot touch the plan
    await responder.call("CreateTimelineEvent", {"incidentRecordArn": arn, "eventTime": core.clock.now(),
                                                 "eventType": "Custom Event", "eventData": "\"rolled back\""})
    await responder.call("UpdateIncidentRecord", {"arn": arn, "status": "RESOLVED"})
    with pytest.raises(AccessDeniedException, match="DeleteResponsePlan"):
        await responder.call("DeleteResponsePlan", {"arn": plan})
    assert (await admin.call("GetResponsePlan", {"arn": plan}))["arn"] == plan

    # readonly: reads, starts nothing
    assert (await readonly.call("GetIncidentRecord", {"arn": arn}))["incidentRecord"]["status"] == "RESOLVED"
    await readonly.call("LookupAuditEvents", {})
    with pytest.raises(AccessDeniedException, match="StartIncident"):
        await readonly.call("StartIncident", {"responsePlanArn": plan})

    # no actions: nothing at all, not even a read
    with pytest.raises(AccessDeniedException):
        await nobody.call("ListIncidentRecords", {})
    records = (await admin.call("ListIncidentRecords", {}))["incidentRecordSummaries"]
    assert [r["arn"] for r in records] == [arn]
