"""client.events() delivers only the events of resources its principal may read."""

from __future__ import annotations

from core.model import events as ev
from core.security.principals import Principal
from core.security.roles import principal_for_role
from core.security.visibility import read_action


async def _drain(subscriptions):
    """Everything each subscription received (the bus is closed first, so iteration ends)."""
    out = []
    for sub in subscriptions:
        out.append([event async for event in sub])
    return out


async def test_events_follow_what_the_principal_may_read(ready, core):
    admin, plan = ready
    account = core.account_id
    readonly = core.client(principal_for_role(f"arn:aws:iam::{account}:user/ro", "ro", "readonly"))
    limited = core.client(Principal(arn=f"arn:aws:iam::{account}:user/inc", name="inc",
                                    allowed_actions=frozenset({"ssm-incidents:GetIncidentRecord"})))
    nobody = core.client(Principal(arn=f"arn:aws:iam::{account}:user/no", name="no"))
    subs = [c.events() for c in (admin, readonly, limited, nobody)]

    await admin.call("UpdateResponsePlan", {"arn": plan, "displayName": "API outage (v2)"})
    arn = (await admin.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await admin.call("CreateContact", {"Alias": "ana", "Type": "PERSONAL", "Plan": {"Stages": []}})
    await admin.call("UpdateIncidentRecord", {"arn": arn, "status": "RESOLVED"})
    core.bus.close()
    seen_admin, seen_readonly, seen_limited, seen_nobody = await _drain(subs)

    kinds = {e.type for e in seen_admin}
    assert {ev.RESPONSE_PLAN_CHANGED, ev.INCIDENT_STARTED, ev.INCIDENT_RESOLVED, "ContactChanged"} <= kinds
    readable = [e for e in seen_admin if read_action(e.resource_arn) != "*"]
    assert [e.seq for e in seen_readonly] == [e.seq for e in readable] and readable
    assert [e.seq for e in seen_limited] == [e.seq for e in seen_admin if e.resource_arn == arn]
    assert {e.type for e in seen_limited} >= {ev.INCIDENT_STARTED, ev.INCIDENT_RESOLVED}
    assert seen_nobody == []


def test_an_event_maps_to_the_read_action_of_its_resource():
    acct = "111122223333"
    cases = {
        f"arn:aws:ssm-incidents::{acct}:incident-record/plan/abc": "ssm-incidents:GetIncidentRecord",
        f"arn:aws:ssm-incidents::{acct}:response-plan/plan": "ssm-incidents:GetResponsePlan",
        f"arn:aws:ssm-incidents::{acct}:replication-set/x": "ssm-incidents:GetReplicationSet",
        f"arn:aws:ssm-contacts:local:{acct}:contact/ana": "ssm-contacts:GetContact",
        f"arn:aws:ssm-contacts:local:{acct}:contact-channel/ana/1": "ssm-contacts:GetContactChannel",
        f"arn:aws:ssm-contacts:local:{acct}:engagement/ana/1": "ssm-contacts:DescribeEngagement",
        f"arn:aws:ssm-contacts:local:{acct}:page/ana/1": "ssm-contacts:DescribePage",
        f"arn:aws:ssm-contacts:local:{acct}:rotation/r": "ssm-contacts:GetRotation",
        f"arn:aws:ssm-contacts:local:{acct}:something-new/x": "*",  # unknown: administrators only
        None: "*",
    }
    assert {arn: read_action(arn) for arn in cases} == cases
