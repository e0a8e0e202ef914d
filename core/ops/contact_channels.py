"""ssm-contacts contact channels (EMAIL, SMS, VOICE) and their activation.

* **Addresses** are checked by type (E.164 ``^\\+[1-9]\\d{1,14}$`` for SMS and VOICE, a
  plausible ``local@domain.tld`` for EMAIL), stored encrypted (``address_enc``, the
  workspace key) and kept out of the audit trail (``SimpleAddress`` is redacted there).
* **Activation.** A new channel is sent a 6-digit code through its own provider (the pager
  outbox, ``kind="activation"``) unless ``DeferActivation`` is true. Only the code's salted
  SHA-256 is stored (salt: the channel ARN); it expires 15 minutes after it was sent. Five
  wrong codes lock the channel until SendActivationCode sends a new code, which also resets
  the count. Only ACTIVATED channels are ever paged. An activated channel takes no code unless
  SendActivationCode sent it one (then only that code, with the same rules).
* **UpdateContactChannel** with a new address returns the channel to NOT_ACTIVATED and sends
  a code to the new address: an address nobody has confirmed is never paged.
* **DeleteContactChannel** never refuses (the model gives it no ConflictException): the channel
  is removed from its contact's engagement plan in the same transaction. A stage left with no
  targets is kept, empty, so the later stages keep their timing (one of 0 minutes goes: a stage
  with no targets cannot last 0 minutes).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta
from typing import Any

from core import arns
from core.engine.context import Context
from core.engine.outbox import enqueue_message
from core.errors import ConflictException, ResourceNotFoundException
from core.model import events as ev
from core.ops import pagination
from core.ops.contacts import invalid, load_contact, save_contact
from core.ops.registry import operation
from core.paging.render import render_activation_email
from core.timeutil import from_us, to_us

SERVICE = "ssm-contacts"
CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=15)
MAX_ATTEMPTS = 5
ADDRESS_FIELD = "DeliveryAddress.SimpleAddress"
ADDRESS_SECRET = frozenset({"SimpleAddress"})  # PII: kept out of the audit trail

E164 = re.compile(r"^\+[1-9]\d{1,14}$")
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")



def check_address(channel_type: str, address: str | None) -> str:
    if not address:
        raise invalid(ADDRESS_FIELD, "is required")
    if channel_type in ("SMS", "VOICE"):
        if not E164.match(address):
            raise invalid(
                ADDRESS_FIELD,
                f"must be an E.164 phone number such as +14155550123 for {channel_type} (got {address!r})",
            )
    elif channel_type == "EMAIL":
        if len(address) > 254 or ".." in address or not EMAIL.match(address):
            raise invalid(ADDRESS_FIELD, f"must be an email address such as ana@example.com (got {address!r})")
    return address


def channel_arn_for(ctx: Context, alias: str) -> str:
    return arns.contacts_arn(ctx.region, ctx.account_id, f"contact-channel/{alias}/{arns.new_uuid()}")


def code_hash(channel_arn: str, code: str) -> str:
    return hashlib.sha256(f"{channel_arn}\x00{code}".encode()).hexdigest()


async def load_channel(ctx: Context, arn: str) -> Any:
    row = await ctx.tx.fetchone("SELECT * FROM contact_channels WHERE arn = ?", (arn,))
    if row is None:
        raise ResourceNotFoundException(f"contact channel {arn} does not exist (ContactChannelId)", "CONTACT_CHANNEL", arn)
    return row


def _describe(ctx: Context, row: Any) -> dict[str, Any]:
    return {
        "ContactArn": row["contact_arn"],
        "ContactChannelArn": row["arn"],
        "Name": row["name"],
        "Type": row["type"],
        "DeliveryAddress": {"SimpleAddress": ctx.core.cipher.decrypt(row["address_enc"])},
        "ActivationStatus": row["activation_status"],
    }


def _render(code: str, channel_name: str, alias: str) -> tuple[str, str, str]:
    rendered = render_activation_email(activation_code=code, channel_name=channel_name, contact_alias=alias)
    return rendered.subject, rendered.body, rendered.short_body


async def send_code(ctx: Context, row: Any, address: str | None = None) -> None:
    """Make a new code (the old one stops working), store its hash and send it."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    arn = row["arn"]
    await ctx.tx.execute(
        "UPDATE contact_channels SET code_hash = ?, code_expires_us = ?, code_sent_us = ?,"
        " failed_attempts = 0, locked = 0 WHERE arn = ?",
        (code_hash(arn, code), to_us(ctx.now + CODE_TTL), to_us(ctx.now), arn),
    )
    alias = await ctx.tx.scalar("SELECT alias FROM contacts WHERE arn = ?", (row["contact_arn"],))
    subject, body, short_body = _render(code, row["name"], alias)
    await enqueue_message(  # commits with this transaction
        ctx,
        channel_type=row["type"],
        address=address if address is not None else ctx.core.cipher.decrypt(row["address_enc"]),
        kind="activation",
        accept_code=code,
        subject=subject,
        body=body,
        short_body=short_body,
        contact_arn=row["contact_arn"],
        channel_arn=arn,
    )
    ctx.emit(ev.CONTACT_CHANNEL_CHANGED, arn, change="code-sent", contactArn=row["contact_arn"])


@operation("CreateContactChannel", service=SERVICE, secrets=ADDRESS_SECRET)
async def create_contact_channel(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Add an EMAIL, SMS or VOICE channel to a contact and send it an activation code."""
    try:
        contact = await load_contact(ctx, req["ContactId"])
    except ResourceNotFoundException as missing:  # the model gives this operation no such error
        raise invalid("ContactId", f"names no contact: {req['ContactId']} does not exist") from missing
    if contact["Type"] != "PERSONAL":
        raise invalid("ContactId", f"is a {contact['Type']} contact; only PERSONAL contacts have channels")
    address = check_address(req["Type"], (req.get("DeliveryAddress") or {}).get("SimpleAddress"))
    if await ctx.tx.scalar(
        "SELECT 1 FROM contact_channels WHERE contact_arn = ? AND name = ?", (contact["ContactArn"], req["Name"])
    ):
        raise ConflictException(
            f"contact {contact['Alias']} already has a channel named {req['Name']!r}",
            resourceIdentifier=contact["ContactArn"], resourceType="CONTACT_CHANNEL",
        )
    arn = channel_arn_for(ctx, contact["Alias"])
    await ctx.tx.execute(
        "INSERT INTO contact_channels (arn, contact_arn, name, type, address_enc, activation_status, created_us)"
        " VALUES (?, ?, ?, ?, ?, 'NOT_ACTIVATED', ?)",
        (arn, contact["ContactArn"], req["Name"], req["Type"], ctx.core.cipher.encrypt(address), to_us(ctx.now)),
    )
    ctx.resource_arn = arn
    ctx.emit(ev.CONTACT_CHANNEL_CHANGED, arn, change="created", contactArn=contact["ContactArn"], type=req["Type"])
    if not req.get("DeferActivation"):
        await send_code(ctx, await load_channel(ctx, arn), address)
    return {"ContactChannelArn": arn}


@operation("GetContactChannel", service=SERVICE, readonly=True)
async def get_contact_channel(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show a channel, its address and its activation status."""
    return _describe(ctx, await load_channel(ctx, req["ContactChannelId"]))


@operation("ListContactChannels", service=SERVICE, readonly=True)
async def list_contact_channels(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List a contact's channels in creation order."""
    contact = await load_contact(ctx, req["ContactId"])
    after = pagination.decode(req.get("NextToken"), field="NextToken", scope="channels")
    if after and after.get("c") != contact["ContactArn"]:
        raise invalid("NextToken", "belongs to another contact's list")
    limit = pagination.page_size(req.get("MaxResults"))
    rows = await ctx.tx.fetchall(
        "SELECT rowid AS seq, * FROM contact_channels WHERE contact_arn = ? AND (created_us, rowid) > (?, ?)"
        " ORDER BY created_us, rowid LIMIT ?",
        (contact["ContactArn"], (after or {}).get("t", -1), (after or {}).get("q", -1), limit + 1),
    )
    out: dict[str, Any] = {"ContactChannels": [_describe(ctx, r) for r in rows[:limit]]}
    if len(rows) > limit:
        last = rows[limit - 1]
        out["NextToken"] = pagination.encode(
            {"s": "channels", "c": contact["ContactArn"], "t": last["created_us"], "q": last["seq"]}
        )
    return out


@operation("UpdateContactChannel", service=SERVICE, secrets=ADDRESS_SECRET)
async def update_contact_channel(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Rename a channel or change its address (a new address must be activated again)."""
    row = await load_channel(ctx, req["ContactChannelId"])
    arn = row["arn"]
    ctx.resource_arn = arn
    name = req.get("Name")
    if name and name != row["name"]:
        if await ctx.tx.scalar(
            "SELECT 1 FROM contact_channels WHERE contact_arn = ? AND name = ? AND arn != ?",
            (row["contact_arn"], name, arn),
        ):
            raise ConflictException(
                f"the contact already has a channel named {name!r}",
                resourceIdentifier=arn, resourceType="CONTACT_CHANNEL",
            )
        await ctx.tx.execute("UPDATE contact_channels SET name = ? WHERE arn = ?", (name, arn))
    if "DeliveryAddress" in req:
        address = check_address(row["type"], req["DeliveryAddress"].get("SimpleAddress"))
        if address != ctx.core.cipher.decrypt(row["address_enc"]):
            await ctx.tx.execute(
                "UPDATE contact_channels SET address_enc = ?, activation_status = 'NOT_ACTIVATED' WHERE arn = ?",
                (ctx.core.cipher.encrypt(address), arn),
            )
            await send_code(ctx, await load_channel(ctx, arn), address)
    ctx.emit(ev.CONTACT_CHANNEL_CHANGED, arn, change="updated", contactArn=row["contact_arn"])
    return {}


@operation("DeleteContactChannel", service=SERVICE)
async def delete_contact_channel(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Delete a channel; it is removed from its contact's engagement plan too."""
    row = await load_channel(ctx, req["ContactChannelId"])
    arn = row["arn"]
    contact = await load_contact(ctx, row["contact_arn"])
    plan = contact.get("Plan") or {}
    changed = False
    stages = []
    for stage in plan.get("Stages") or []:
        targets = stage.get("Targets") or []
        kept = [t for t in targets if (t.get("ChannelTargetInfo") or {}).get("ContactChannelId") != arn]
        if len(kept) != len(targets):
            stage["Targets"] = kept
            changed = True
        if kept or stage.get("DurationInMinutes"):  # an empty stage of 0 minutes holds no timing either
            stages.append(stage)
    plan["Stages"] = stages
    if changed:
        await save_contact(ctx, contact)
        ctx.emit(ev.CONTACT_CHANGED, contact["ContactArn"], change="updated", type=contact["Type"])
    await ctx.tx.execute("DELETE FROM contact_channels WHERE arn = ?", (arn,))
    await ctx.tx.execute("DELETE FROM tags WHERE resource_arn = ?", (arn,))
    ctx.resource_arn = arn
    ctx.emit(ev.CONTACT_CHANNEL_CHANGED, arn, change="deleted", contactArn=row["contact_arn"], removedFromPlan=changed)
    return {}


@operation("SendActivationCode", service=SERVICE)
async def send_activation_code(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Send a new activation code (the previous one stops working; a lock is lifted)."""
    row = await load_channel(ctx, req["ContactChannelId"])
    ctx.resource_arn = row["arn"]
    await send_code(ctx, row)
    return {}


def _count_failure(ctx: Context, arn: str, pending_hash: str) -> None:
    """Record a wrong code. The call answers an error, so its transaction rolls back; the count
    is kept with ``write_even_if_refused`` and commits with the failure's audit record. It
    counts against this code only."""
    ctx.write_even_if_refused(
        "UPDATE contact_channels SET failed_attempts = failed_attempts + 1,"
        " locked = CASE WHEN failed_attempts + 1 >= ? THEN 1 ELSE locked END"
        " WHERE arn = ? AND code_hash = ?",
        (MAX_ATTEMPTS, arn, pending_hash),
    )


@operation("ActivateContactChannel", service=SERVICE)
async def activate_contact_channel(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Activate a channel with the code it was sent."""
    row = await load_channel(ctx, req["ContactChannelId"])
    arn = row["arn"]
    ctx.resource_arn = arn
    field = "ActivationCode"
    if row["locked"]:
        raise invalid(
            field,
            f"cannot be checked: the channel is locked after {MAX_ATTEMPTS} wrong codes; "
            "send a new code with SendActivationCode",
        )
    if not row["code_hash"]:  # no code, no activation: an activated channel takes no code either
        if row["activation_status"] == "ACTIVATED":
            raise invalid(field, "is not needed: the channel is already activated")
        raise invalid(field, "cannot be checked: no code is pending for this channel; send one with SendActivationCode")
    if ctx.now >= from_us(row["code_expires_us"]):
        raise invalid(
            field,
            f"has expired (codes are valid for {int(CODE_TTL.total_seconds() // 60)} minutes); "
            "send a new one with SendActivationCode",
        )
    if not hmac.compare_digest(code_hash(arn, req["ActivationCode"]), row["code_hash"]):
        _count_failure(ctx, arn, row["code_hash"])
        left = MAX_ATTEMPTS - row["failed_attempts"] - 1
        if left <= 0:
            raise invalid(
                field,
                f"is wrong; after {MAX_ATTEMPTS} wrong codes the channel is locked until a new code is sent",
            )
        raise invalid(field, f"is wrong ({left} attempt{'s' if left != 1 else ''} left before the channel locks)")
    await ctx.tx.execute(
        "UPDATE contact_channels SET activation_status = 'ACTIVATED', code_hash = NULL, code_expires_us = NULL,"
        " failed_attempts = 0, locked = 0 WHERE arn = ?",
        (arn,),
    )
    ctx.emit(ev.CONTACT_CHANNEL_CHANGED, arn, change="activated", contactArn=row["contact_arn"])
    return {}


@operation("DeactivateContactChannel", service=SERVICE)
async def deactivate_contact_channel(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Stop paging a channel until it is activated again."""
    row = await load_channel(ctx, req["ContactChannelId"])
    ctx.resource_arn = row["arn"]
    await ctx.tx.execute(
        "UPDATE contact_channels SET activation_status = 'NOT_ACTIVATED', code_hash = NULL,"
        " code_expires_us = NULL, failed_attempts = 0, locked = 0 WHERE arn = ?",
        (row["arn"],),
    )
    ctx.emit(ev.CONTACT_CHANNEL_CHANGED, row["arn"], change="deactivated", contactArn=row["contact_arn"])
    return {}
