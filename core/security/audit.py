"""The audit trail: every call, successful or failed, with who, when, from where, the
parameters (secrets redacted) and the result. It plays CloudTrail's role."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.security.principals import Principal
from core.security.redact import redact
from core.store.db import Tx, dumps
from core.timeutil import to_us

RESOURCE_KEYS = (
    "arn",
    "incidentRecordArn",
    "responsePlanArn",
    "resourceArn",
    "ResourceARN",
    "ContactId",
    "ContactChannelId",
    "EngagementId",
    "PageId",
    "RotationId",
    "RotationOverrideId",
)


def guess_resource(params: Any) -> str | None:
    if isinstance(params, dict):
        for key in RESOURCE_KEYS:
            value = params.get(key)
            if isinstance(value, str):
                return value
    return None


async def record(
    tx: Tx,
    *,
    when: datetime,
    operation: str,
    principal: Principal,
    origin: str,
    params: Any,
    result: str,
    error_message: str | None = None,
    resource_arn: str | None = None,
    secrets: frozenset[str] = frozenset(),
    source_ip: str | None = None,
) -> None:
    """``origin`` is the binding (local, cli, native, aws, twilio-sms ...); ``source_ip`` the
    address a remote call came from; the access key is the one the principal signed with."""
    await tx.execute(
        "INSERT INTO audit (time_us, operation, principal, origin, resource_arn, params, result,"
        " error_message, access_key_id, source_ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            to_us(when),
            operation,
            principal.arn,
            origin,
            resource_arn or guess_resource(params),
            dumps(redact(params, secrets)),
            result,
            error_message,
            principal.access_key_id,
            source_ip,
        ),
    )
