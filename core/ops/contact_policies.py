"""ssm-contacts resource policies on contacts: stored by PutContactPolicy, enforced by
``core.ops.access`` on every call that touches the contact.

PutContactPolicy checks the document against the supported subset of IAM policies (see
``core.security.policy``) and refuses anything outside it, naming the element. A call touches a
contact when one of its members names the contact, one of its channels, engagements or pages
(their ARNs carry the contact's alias), or the contact as a tagged resource. Calls that only
list (ListContacts, ListEngagements...), name contacts as plan or rotation members, or find a
page by its accept code (AcceptPageByCode) are governed by the role alone. GetContactPolicy
answers the contact's ARN and, once one was put, its policy. Deleting the contact deletes its
policy.
"""

from __future__ import annotations

from typing import Any

from core import arns
from core.engine.context import Context
from core.model import events as ev
from core.ops.contacts import invalid, load_contact
from core.ops.registry import operation
from core.security.policy import Policy, PolicyError, parse_policy
from core.store.db import Tx

SERVICE = "ssm-contacts"
# the request members that name a contact's resource, and the ARN kinds that belong to a contact
CONTACT_MEMBERS = ("ContactId", "ContactArn", "ContactChannelId", "EngagementId", "PageId", "ResourceARN")
CONTACT_KINDS = ("contact", "contact-channel", "engagement", "page")


def contact_of(arn: str) -> str | None:
    """The ARN of the contact that ``arn`` (a contact, channel, engagement or page) belongs to."""
    m = arns.ARN_RE.match(arn)
    if m is None or m["service"] != SERVICE:
        return None
    kind, _, rest = m["resource"].partition("/")
    alias = rest.split("/", 1)[0]
    if kind not in CONTACT_KINDS or not alias:
        return None
    return arns.contacts_arn(m["region"], m["account"], f"contact/{alias}")


async def policies_touched(tx: Tx, request: dict[str, Any]) -> list[tuple[str, Policy | None]]:
    """(resource ARN, its contact's policy or None) for each contact resource the request names."""
    out: list[tuple[str, Policy | None]] = []
    for member in CONTACT_MEMBERS:
        resource = request.get(member)
        contact = contact_of(resource) if isinstance(resource, str) else None
        if contact is None:
            continue
        text = await tx.scalar("SELECT policy FROM contact_policies WHERE arn = ?", (contact,))
        out.append((resource, parse_policy(text) if text is not None else None))
    return out


@operation("PutContactPolicy", service=SERVICE)
async def put_contact_policy(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Attach a resource policy to a contact (replacing the previous one)."""
    contact = await load_contact(ctx, req["ContactArn"], field="ContactArn")
    try:
        parse_policy(req["Policy"])
    except PolicyError as exc:
        raise invalid("Policy", str(exc)) from None
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
