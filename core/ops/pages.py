"""Pages: one per personal contact per engagement, with an accept code, receipts and the
resolution chain (which escalation plan or schedule led to the contact)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from core.engine import accept_codes, escalation
from core.engine.context import Context
from core.engine.limits import AUDIT_TRAIL, RECEIPT_INFO_MAX, fit
from core.errors import (
    AccessDeniedException,
    ConflictException,
    ResourceNotFoundException,
    ValidationException,
)
from core.ops import pagination
from core.ops.engagements import load_engagement
from core.ops.registry import OWN_SERVICE, operation
from core.ops.users import linked_contact
from core.timeutil import from_us, to_us

SERVICE = "ssm-contacts"


async def load_page(ctx: Context, arn: str) -> Any:
    row = await ctx.tx.fetchone(
        "SELECT p.*, e.sender, e.subject, e.content, e.public_subject, e.public_content "
        "FROM pages p JOIN engagements e ON e.arn = p.engagement_arn WHERE p.arn = ?",
        (arn,),
    )
    if row is None:
        raise ResourceNotFoundException(f"page {arn} does not exist", "PAGE", arn)
    return row


def _summary(row: Any) -> dict[str, Any]:
    return {
        "PageArn": row["arn"],
        "EngagementArn": row["engagement_arn"],
        "ContactArn": row["contact_arn"],
        "Sender": row["sender"],
        "IncidentId": row["incident_id"],
        "SentTime": from_us(row["sent_us"]),
        "DeliveryTime": from_us(row["delivery_us"]),
        "ReadTime": from_us(row["read_us"]),
    }


@operation("DescribePage", service=SERVICE, readonly=True)
async def describe_page(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Show a page."""
    row = await load_page(ctx, req["PageId"])
    return {
        **_summary(row),
        "Subject": row["subject"],
        "Content": row["content"],
        "PublicSubject": row["public_subject"],
        "PublicContent": row["public_content"],
    }


async def _list_pages(ctx: Context, where: str, arg: str, req: dict[str, Any]) -> dict[str, Any]:
    after = pagination.decode(req.get("NextToken"), "NextToken", scope="pages")
    limit = pagination.page_size(req.get("MaxResults") or None, ceiling=1024)
    rows = await ctx.tx.fetchall(
        "SELECT p.*, e.sender FROM pages p JOIN engagements e ON e.arn = p.engagement_arn "
        f"WHERE {where} AND p.rowid > ? ORDER BY p.rowid LIMIT ?",
        (arg, (after or {}).get("i", 0), limit + 1),
    )
    out: dict[str, Any] = {"Pages": [_summary(r) for r in rows[:limit]]}
    if len(rows) > limit:
        last = await ctx.tx.scalar("SELECT rowid FROM pages WHERE arn = ?", (rows[limit - 1]["arn"],))
        out["NextToken"] = pagination.encode({"s": "pages", "i": last})
    return out


@operation("ListPagesByContact", service=SERVICE, readonly=True)
async def list_pages_by_contact(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List the pages sent to a contact."""
    await escalation.load_contact(ctx, req["ContactId"])
    return await _list_pages(ctx, "p.contact_arn = ?", req["ContactId"], req)


@operation("ListPagesByEngagement", service=SERVICE, readonly=True)
async def list_pages_by_engagement(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List the pages an engagement caused, including those of the contacts it escalated to."""
    eng = await load_engagement(ctx, req["EngagementId"])
    if eng["parent_arn"] is None:
        return await _list_pages(ctx, "e.root_arn = ?", eng["arn"], req)
    return await _list_pages(ctx, "p.engagement_arn = ?", eng["arn"], req)


@operation("ListPageReceipts", service=SERVICE, readonly=True)
async def list_page_receipts(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Every delivery attempt and acknowledgement of a page."""
    await load_page(ctx, req["PageId"])
    after = pagination.decode(req.get("NextToken"), "NextToken", scope="rcpt")
    limit = pagination.page_size(req.get("MaxResults") or None, ceiling=1024)
    rows = await ctx.tx.fetchall(
        "SELECT * FROM page_receipts WHERE page_arn = ? AND id > ? ORDER BY id LIMIT ?",
        (req["PageId"], (after or {}).get("i", 0), limit + 1),
    )
    out: dict[str, Any] = {
        "Receipts": [
            {"ContactChannelArn": r["channel_arn"], "ReceiptType": r["type"], "ReceiptInfo": r["info"],
             "ReceiptTime": from_us(r["time_us"])}
            for r in rows[:limit]
        ]
    }
    if len(rows) > limit:
        out["NextToken"] = pagination.encode({"s": "rcpt", "i": rows[limit - 1]["id"]})
    return out


@operation("ListPageResolutions", service=SERVICE, readonly=True)
async def list_page_resolutions(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """How the page reached its contact: the chain of plans from the engaged contact down."""
    page = await load_page(ctx, req["PageId"])
    chain = []
    eng = await ctx.tx.fetchone("SELECT * FROM engagements WHERE arn = ?", (page["engagement_arn"],))
    while eng is not None:
        chain.append({"ContactArn": eng["contact_arn"], "Type": eng["contact_type"], "StageIndex": eng["stage_index"]})
        eng = await ctx.tx.fetchone("SELECT * FROM engagements WHERE arn = ?", (eng["parent_arn"],)) if eng["parent_arn"] else None
    chain.reverse()
    return {"PageResolutions": chain}


@operation("AcceptPage", service=SERVICE, secrets={"AcceptCode"})
async def accept_page(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Acknowledge a page as DELIVERED or READ (READ stops the contact's plan; from an essential
    target it also stops the escalation). With ENFORCE the code must match; wrong codes count
    toward the lockout."""
    page = await load_page(ctx, req["PageId"])
    ctx.resource_arn = page["arn"]
    channel = req.get("ContactChannelId")
    if channel and not await ctx.tx.scalar(
        "SELECT 1 FROM contact_channels WHERE arn = ? AND contact_arn = ?", (channel, page["contact_arn"])
    ):
        raise ValidationException(
            "ContactChannelId must name a channel of the paged contact",
            fields=[{"name": "ContactChannelId", "message": "not a channel of the page's contact"}],
        )
    if req.get("AcceptCodeValidation", "IGNORE") == "ENFORCE":
        await accept_codes.refuse_if_locked(ctx)
        if not page["code_hash"]:
            raise ValidationException(
                "this page has no accept code to check (it was made before codes were hashed); "
                "accept it with AcceptCodeValidation IGNORE",
                fields=[{"name": "AcceptCodeValidation", "message": "no code to enforce"}],
            )
        if not accept_codes.matches(page, req["AcceptCode"]):
            left = await accept_codes.count_wrong(ctx)
            raise ValidationException(
                f"the accept code does not match this page; {left}",
                fields=[{"name": "AcceptCode", "message": "does not match"}],
            )
    await _accept(ctx, page, req["AcceptType"], channel, req.get("Note"), via="AcceptPage")
    return {}


async def _accept(ctx: Context, page: Any, kind: str, channel_arn: str | None, note: str | None, *, via: str) -> None:
    """Record who accepted, through which binding (and channel), and when; READ acknowledges."""
    column = "read_us" if kind == "READ" else "delivery_us"
    binding = f"{via} from {ctx.origin}"
    info = f"{kind} by {ctx.principal.name} ({ctx.principal.arn}) via {binding}" + (f": {note}" if note else "")
    await ctx.tx.execute(f"UPDATE pages SET {column} = COALESCE({column}, ?) WHERE arn = ?", (to_us(ctx.now), page["arn"]))
    await ctx.tx.execute(
        "INSERT INTO page_receipts (page_arn, channel_arn, type, info, time_us, principal_arn, via)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (page["arn"], channel_arn, kind, fit(info, RECEIPT_INFO_MAX, AUDIT_TRAIL), to_us(ctx.now), ctx.principal.arn,
         binding),
    )
    if kind == "READ":
        await escalation.acknowledge(ctx, page, via=binding, channel_arn=channel_arn)


class AcceptPageByCodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    acceptCode: str = Field(pattern=r"^[0-9]{6,10}$", description="the code the page carried")
    note: str | None = Field(default=None, min_length=1, max_length=2048)


@operation("AcceptPageByCode", service=OWN_SERVICE, request=AcceptPageByCodeRequest, secrets={"acceptCode"})
async def accept_page_by_code(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Acknowledge (READ) the one unacknowledged page of a running engagement that carries
    this code: what a responder types from their phone (`:ack CODE` in the cockpit). Wrong codes
    count toward the lockout (5 within 15 minutes lock the caller out for 15 minutes)."""
    await accept_codes.refuse_if_locked(ctx)
    found = [page for page in await accept_codes.open_pages(ctx) if accept_codes.matches(page, req["acceptCode"])]
    if not found:
        left = await accept_codes.count_wrong(ctx)
        raise ResourceNotFoundException(
            f"no unacknowledged page of a running engagement carries that code; {left}", "PAGE", None
        )
    if len(found) > 1:
        raise ConflictException(
            f"{len(found)} pages carry that code; acknowledge by page instead (AcceptPage with a PageId)"
        )
    page = found[0]
    ctx.resource_arn = page["arn"]
    await _accept(ctx, page, "READ", None, req.get("note"), via="AcceptPageByCode")
    return {"pageArn": page["arn"], "contactArn": page["contact_arn"], "incidentId": page["incident_id"]}


class AcknowledgePageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    pageId: str = Field(pattern=r"^arn:aws:ssm-contacts:[^:]*:[0-9]*:page/.+", description="the page to acknowledge")
    note: str | None = Field(default=None, min_length=1, max_length=2048)


async def _require_own_page(ctx: Context, contact_arn: str) -> None:
    who = ctx.principal
    if who.admin or who.local:
        return
    mine = await linked_contact(ctx, who.arn)
    if mine == contact_arn:
        return
    linked = f"is linked to {mine.rsplit('/', 1)[-1]}" if mine else "is linked to no contact"
    raise AccessDeniedException(
        f"{who.name} may acknowledge only the pages of their own contact: this page is "
        f"{contact_arn.rsplit('/', 1)[-1]}'s, and {who.name} {linked}"
    )


@operation("AcknowledgePage", service=OWN_SERVICE, request=AcknowledgePageRequest)
async def acknowledge_page(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Acknowledge (READ) a page directly as the caller, without its accept code: what the AWS
    console's "acknowledge engagement" does (`k` in an incident's Engagements tab). A user may
    acknowledge only the pages of the contact they are linked to; administrators any page. A
    page that is already acknowledged stays as it was (``acknowledged`` is false)."""
    page = await load_page(ctx, req["pageId"])
    ctx.resource_arn = page["arn"]
    await _require_own_page(ctx, page["contact_arn"])
    fresh = page["read_us"] is None
    if fresh:
        await _accept(ctx, page, "READ", None, req.get("note"), via="AcknowledgePage")
    return {"pageArn": page["arn"], "contactArn": page["contact_arn"], "incidentId": page["incident_id"],
            "acknowledged": fresh}
