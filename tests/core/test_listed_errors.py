"""An AWS-named operation answers only the errors its botocore model lists: dispatch turns a
class the model does not list into the closest listed one, audits that one, and says so in
the core log. Our own operations may answer any error."""

from __future__ import annotations

import logging

import pytest

from core.errors import (
    ConflictException,
    DataEncryptionException,
    InternalServerException,
    ResourceNotFoundException,
    ValidationException,
)
from core.ops.aws_models import operation_model
from core.ops.registry import REGISTRY

# ListTimelineEvents lists AccessDenied, InternalServer, Throttling and Validation only
NARROW = "ssm-incidents:ListTimelineEvents"


def _raising(err):
    async def handler(ctx, req):
        raise err

    return handler


@pytest.fixture
def narrow(monkeypatch):
    op = REGISTRY.resolve(NARROW)
    assert {"ResourceNotFoundException", "ConflictException", "DataEncryptionException"}.isdisjoint(
        operation_model("ssm-incidents", "ListTimelineEvents").error_codes)
    return lambda err: monkeypatch.setattr(op, "handler", _raising(err))


async def _last_audit(core) -> tuple[str, str]:
    async with core.db.transaction() as tx:
        row = await tx.fetchone("SELECT result, error_message FROM audit ORDER BY rowid DESC LIMIT 1")
    return row["result"], row["error_message"]


@pytest.mark.parametrize("raised, answered", [
    (ResourceNotFoundException("incident record x does not exist", "INCIDENT_RECORD", "x"), ValidationException),
    (ConflictException("x is in use"), ValidationException),
    (DataEncryptionException("the key cannot decrypt x"), InternalServerException),
])
async def test_an_unlisted_error_becomes_the_closest_listed_one(ready, core, narrow, caplog, raised, answered):
    client, _ = ready
    narrow(raised)
    inc = "arn:aws:ssm-incidents::123456789012:incident-record/p/0"
    with caplog.at_level(logging.WARNING, logger="cockpit.core.dispatch"), pytest.raises(answered) as info:
        await client.call("ListTimelineEvents", {"incidentRecordArn": inc})
    err = info.value
    assert type(err) is answered and err.message == raised.message
    if answered is ValidationException:
        assert err.fields and err.fields[0]["message"] == raised.message
    assert await _last_audit(core) == (answered.__name__, raised.message)
    assert f"raised {raised.code}, which its model does not list; answering {answered.__name__}" in caplog.text


async def test_a_listed_error_passes_unchanged(ready, core, narrow, caplog):
    client, _ = ready
    raised = ValidationException("bad", fields=[{"name": "incidentRecordArn", "message": "bad"}])
    narrow(raised)
    with caplog.at_level(logging.WARNING, logger="cockpit.core.dispatch"), pytest.raises(ValidationException) as info:
        await client.call("ListTimelineEvents", {"incidentRecordArn": "arn:aws:ssm-incidents::123456789012:incident-record/p/0"})
    assert info.value is raised
    assert "does not list" not in caplog.text


async def test_own_operations_may_answer_any_error(ready, core, monkeypatch):
    client, _ = ready
    op = REGISTRY.resolve("LookupAuditEvents")
    assert op.model is None
    monkeypatch.setattr(op, "handler", _raising(ResourceNotFoundException("gone", "AUDIT", "x")))
    with pytest.raises(ResourceNotFoundException):
        await client.call("LookupAuditEvents", {})
