"""The authorize step of dispatch: deny by default.

A call is allowed when nothing denies it and something allows it:

- the principal's role (its action patterns, ``core.security.roles``) may allow the action;
- a contact's resource policy (PutContactPolicy) may allow or deny it for the contact resource
  the call names. As IAM does within one account, an Allow in either is enough, and a Deny in
  the policy wins over every Allow.

The local administrator and the core itself (``Principal.local``) are bound by roles only,
so a policy can never lock the workspace's owner out of a contact.
"""

from __future__ import annotations

from typing import Any

from core.engine.context import Context
from core.ops.contact_policies import policies_touched
from core.security.policy import PolicyError
from core.security.principals import Principal, denied


async def authorize_call(ctx: Context, action: str, request: dict[str, Any]) -> None:
    principal: Principal = ctx.principal
    try:
        touched = [] if principal.local else await policies_touched(ctx.tx, request)
    except PolicyError as exc:  # stored before this subset was enforced: refuse, never guess
        raise denied(principal, action, f"a contact policy it touches cannot be evaluated ({exc})") from None
    decisions = [
        (resource, policy.evaluate(principal.arn, action, resource) if policy else None)
        for resource, policy in touched
    ]
    for resource, decision in decisions:
        if decision == "Deny":
            raise denied(principal, action, f"the contact policy of {resource} denies it")
    if principal.may(action):
        return
    if decisions and all(decision == "Allow" for _, decision in decisions):
        return
    raise denied(principal, action)
