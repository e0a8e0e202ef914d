"""ARN construction and parsing, in AWS's formats, for this workspace's account."""

from __future__ import annotations

import re
import uuid

from core.errors import ValidationException

ARN_RE = re.compile(r"^arn:aws:(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):(?P<account>\d{12})?:(?P<resource>.+)$")


def new_id() -> str:
    return uuid.uuid4().hex


def new_uuid() -> str:
    return str(uuid.uuid4())


def incidents_arn(account: str, resource: str) -> str:
    return f"arn:aws:ssm-incidents::{account}:{resource}"


def contacts_arn(region: str, account: str, resource: str) -> str:
    return f"arn:aws:ssm-contacts:{region}:{account}:{resource}"


def parse(arn: str, *, field: str = "arn", service: str | None = None, kind: str | None = None) -> dict[str, str]:
    """Split an ARN; ValidationException naming ``field`` if it is not the expected kind."""
    m = ARN_RE.match(arn or "")
    if not m:
        raise ValidationException(f"{field} {arn!r} is not an ARN", fields=[{"name": field, "message": "not an ARN"}])
    parts = m.groupdict()
    if service and parts["service"] != service:
        raise ValidationException(
            f"{field} {arn!r} is not an {service} ARN",
            fields=[{"name": field, "message": f"must be an {service} ARN"}],
        )
    if kind and not parts["resource"].startswith(kind + "/"):
        raise ValidationException(
            f"{field} {arn!r} is not a {kind} ARN",
            fields=[{"name": field, "message": f"must be a {kind} ARN"}],
        )
    return parts
