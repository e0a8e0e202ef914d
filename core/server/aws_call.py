"""What the two AWS bindings share: run one AWS-named operation for the authenticated caller."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request

import core.ops.catalog  # noqa: F401  (the registry is complete before SERVED is taken)
from core.ops.dispatch import dispatch
from core.ops.registry import REGISTRY
from core.server.auth import caller
from core.server.errors import UnsupportedOperationException
from core.server.framing import note_operation

if TYPE_CHECKING:
    from core.runtime import Core

# why an operation AWS has is not served here, for the error that says so
NOT_SERVED = {
    "BatchGetIncidentFindings": "incident findings (CodeDeploy and CloudFormation changes)",
    "ListIncidentFindings": "incident findings (CodeDeploy and CloudFormation changes)",
    "GetResourcePolicies": "resource policies (sharing with other AWS accounts)",
    "PutResourcePolicy": "resource policies (sharing with other AWS accounts)",
    "DeleteResourcePolicy": "resource policies (sharing with other AWS accounts)",
}
SERVED = frozenset(op.key for op in REGISTRY.all())


async def run_aws(core: Core, request: Request, service: str, name: str, params: dict[str, Any]) -> dict[str, Any]:
    note_operation(request.scope, name)
    key = f"{service}:{name}"
    if key not in SERVED:
        what = NOT_SERVED.get(name, "this operation")
        raise UnsupportedOperationException(
            f"Incident Cockpit does not support {service} {name}: {what} is not available on a "
            "self-hosted site; `cockpit ops` lists the operations it serves"
        )
    who = caller(request)
    return await dispatch(core, who.principal, key, params, "aws", who.source_ip)
