"""The audit trail: every call, successful or failed, with secrets redacted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import ResourceNotFoundException, ValidationException
from core.security.principals import Principal
from core.security.redact import REDACTED, redact
from core.security.roles import principal_for_role
from tests.support.core_state import setup_workspace


async def _trail(c, **flt):
    return (await c.call("LookupAuditEvents", flt))["events"]


async def test_success_and_failure_are_recorded(core, clock):
    plan = await setup_workspace(core)
    c = core.client(origin="http:10.0.0.7")
    arn = (await c.call("StartIncident", {"responsePlanArn": plan, "impact": 2}))["incidentRecordArn"]
    await clock.advance(minutes=1)
    missing = arn[:-4] + "0000"
    with pytest.raises(ResourceNotFoundException):
        await c.call("GetIncidentRecord", {"arn": missing})
    with pytest.raises(ValidationException):
        await c.call("StartIncident", {"responsePlanArn": plan, "impact": 9})
    with pytest.raises(ValidationException):
        await c.call("NoSuchOperation", {})
    events = await _trail(c, startTime=clock.now() - timedelta(minutes=2))
    newest_first = [(e["operation"], e["result"]) for e in events]
    assert newest_first == [
        ("NoSuchOperation", "ValidationException"),
        ("StartIncident", "ValidationException"),
        ("GetIncidentRecord", "ResourceNotFoundException"),
        ("StartIncident", "OK"),
        ("CreateResponsePlan", "OK"),
        ("CreateReplicationSet", "OK"),
    ]
    started = events[3]
    assert started["principal"] == c.principal.arn
    assert started["resourceArn"] == arn
    assert started["parameters"] == {"responsePlanArn": plan, "impact": 2}
    assert started["time"] == clock.now() - timedelta(minutes=1)
    assert events[0]["origin"] == "http:10.0.0.7"
    assert events[2]["resourceArn"] == missing
    assert "does not exist" in events[2]["errorMessage"]
    assert events[1]["parameters"]["impact"] == 9


async def test_filters_by_time_operation_principal_and_resource(core, clock):
    plan = await setup_workspace(core)
    admin = core.client()
    eve = core.client(principal_for_role(f"arn:aws:iam::{core.account_id}:user/eve", "eve", "responder"))
    t0 = clock.now()
    a = (await admin.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await clock.advance(minutes=10)
    b = (await eve.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await eve.call("GetIncidentRecord", {"arn": a})

    assert [e["principal"] for e in await _trail(admin, principal=eve.principal.arn)] == [eve.principal.arn] * 2
    assert {e["resourceArn"] for e in await _trail(admin, operation="StartIncident")} == {a, b}
    assert [e["operation"] for e in await _trail(admin, resourceArn=a)] == ["GetIncidentRecord", "StartIncident"]
    window = await _trail(admin, startTime=t0, endTime=t0 + timedelta(minutes=5))
    assert [e["operation"] for e in window] == ["StartIncident", "CreateResponsePlan", "CreateReplicationSet"]
    assert await _trail(admin, result="ResourceNotFoundException") == []


async def test_a_principal_without_the_action_is_denied_and_audited(core):
    from core.errors import AccessDeniedException

    plan = await setup_workspace(core)
    reader = core.client(Principal(arn="arn:aws:iam::1:user/ro", name="ro",
                                   allowed_actions=frozenset({"ssm-incidents:Get*", "ssm-incidents:List*"})))
    with pytest.raises(AccessDeniedException):
        await reader.call("StartIncident", {"responsePlanArn": plan})
    [event] = await _trail(core.client(), principal="arn:aws:iam::1:user/ro")
    assert event["result"] == "AccessDeniedException"
    assert (await core.client().call("ListIncidentRecords", {}))["incidentRecordSummaries"] == []


async def test_secrets_are_redacted_in_the_trail(core):
    await setup_workspace(core)
    c = core.client()
    with pytest.raises(ValidationException):  # not a member: refused, but still audited
        await c.call("LookupAuditEvents", {"password": "hunter2", "nested": {"apiKey": "k-123"}})
    [event] = await _trail(c, operation="LookupAuditEvents", result="ValidationException")
    assert event["parameters"] == {"password": REDACTED, "nested": {"apiKey": REDACTED}}
    async with core.db.transaction() as tx:
        dump = " ".join(r[0] for r in await tx.fetchall("SELECT params FROM audit"))
    assert "hunter2" not in dump and "k-123" not in dump


def test_redact_unit():
    value = {
        "Password": "p", "secret_key": "s", "X-Auth-Token": "t", "ActivationCode": "123456",
        "list": [{"access_token": "a", "name": "keep"}], "title": "keep", "password": None,
        "custom": "c",
    }
    out = redact(value, {"custom"})
    assert out == {
        "Password": REDACTED, "secret_key": REDACTED, "X-Auth-Token": REDACTED,
        "ActivationCode": REDACTED, "list": [{"access_token": REDACTED, "name": "keep"}],
        "title": "keep", "password": None, "custom": REDACTED,
    }
    assert value["Password"] == "p"  # a copy, not in place
