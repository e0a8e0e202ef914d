"""ssm-contacts resource policies on contacts (stored now; enforced by the server's authorizer).

PutContactPolicy stores the policy text as given, after checking that it is a JSON object
whose ``Statement`` is a list of statement objects (a single statement object is accepted
too, as IAM accepts it). GetContactPolicy answers the contact's ARN and, once one was put,
its policy. Deleting the contact deletes its policy.
"""

from __future__ import annotations

import json
from typing import Any

from core.engine.context import Context
from core.model import events as ev
from core.ops.contacts import invalid, load_contact
from core.ops.registry import operation

SERVICE = "ssm-contacts"


def check_policy(text: str) -> None:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise invalid("Policy", f"is not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise invalid("Policy", "must be a JSON object with a Statement list")
    statements = doc.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise invalid("Policy", "must hold a non-empty Statement list")
    for i, statement in enumerate(statements):
        if not isinstance(statement, dict):
            raise invalid("Policy", f"Statement[{i}] must be an object")
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise invalid("Policy", f"Statement[{i}].Effect must be Allow or Deny")


@operation("PutContactPolicy", service=SERVICE)
async def put_contact_policy(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Attach a resource policy to a contact (replacing the previous one)."""
    contact = await load_contact(ctx, req["ContactArn"], field="ContactArn")
    check_policy(req["Policy"])
    await ctx.tx.execute(
        "INSERT INTO contact_policies (arn, policy) VALUES (?, ?)"
        " ON CONFLICT (arn) DO UPDATE SET policy = excluded.policy",
        (contact["ContactArn"], req["Policy"]),
    )
    ctx.resource_arn = contact["ContactArn"]
    ctx.emit(ev.CONTACT_POLICY_CHANGED, contact["ContactArn"])
    return {}


@operation("GetContactPolicy", service=SERVICE, readonly=True)
async def get_contact_policy(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show a contact's resource policy."""
    contact = await load_contact(ctx, req["ContactArn"], field="ContactArn")
    policy = await ctx.tx.scalar("SELECT policy FROM contact_policies WHERE arn = ?", (contact["ContactArn"],))
    return {"ContactArn": contact["ContactArn"], "Policy": policy}
