"""Engaging contacts: engagement plans, escalation plans and on-call schedules, stage by stage.

* A PERSONAL contact gets one page per engagement. Each stage of its engagement plan sends the
  page through that stage's channels (only ACTIVATED channels are ever paged); after the
  stage's ``DurationInMinutes`` the next stage starts. It runs until the page is accepted
  (READ) or the engagement is stopped.
* An ESCALATION contact's stage engages each target contact (a child engagement running that
  contact's own plan); after ``DurationInMinutes`` the next stage starts. A READ from an
  ``IsEssential`` target stops the progression; a non-essential one does not.
* An ONCALL_SCHEDULE contact engages whoever its rotations put on call at that moment.

Each engagement has at most one pending ``engagement.stage`` timer (dedupe key
``stage:<engagement arn>``): stopping or acknowledging cancels it in the same transaction,
together with every unsent message of the engagements that end (pending, held by the rate
limit, or waiting for a retry).

An acknowledgement ends the engagement it reaches: the acknowledger's own, and while the
acknowledger was essential, its parent's, up the chain. Every engagement under the highest one
it reached stops paging: the acknowledged ones keep their acknowledgement, the others (the
other contacts of that escalation stage) are stopped.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from core import arns
from core.engine import accept_codes
from core.engine.ack_links import issue_ack_link
from core.engine.context import Context
from core.engine.limits import AUDIT_TRAIL, RECEIPT_INFO_MAX, fit
from core.engine.oncall import on_call_contacts
from core.engine.outbox import cancel_unsent, enqueue_message
from core.engine.scheduler import timer_handler
from core.engine.timeline import add_event
from core.errors import ResourceNotFoundException
from core.model import events as ev
from core.model.incidents import TimelineEventType
from core.paging.render import fit_sms, incident_block, incident_link, render_page_email
from core.store.db import loads
from core.timeutil import to_us

log = logging.getLogger("cockpit.core.escalation")



def stage_key(engagement_arn: str) -> str:
    return f"stage:{engagement_arn}"


async def load_contact(ctx: Context, arn: str) -> Any:
    row = await ctx.tx.fetchone("SELECT arn, alias, display_name, type, doc FROM contacts WHERE arn = ?", (arn,))
    if row is None:
        raise ResourceNotFoundException(f"contact {arn} does not exist", "CONTACT", arn)
    return row


def _stages(contact: Any) -> list[dict[str, Any]]:
    return ((loads(contact["doc"]) or {}).get("Plan") or {}).get("Stages") or []


async def engage(
    ctx: Context,
    *,
    contact_arn: str,
    message: dict[str, Any],
    root_arn: str | None = None,
    parent_arn: str | None = None,
    stage_index: int | None = None,
    is_essential: bool = False,
) -> str:
    """Start engaging a contact (in the caller's transaction); returns the engagement ARN."""
    contact = await load_contact(ctx, contact_arn)
    arn = arns.contacts_arn(ctx.region, ctx.account_id, f"engagement/{contact['alias']}/{arns.new_id()}")
    await ctx.tx.execute(
        "INSERT INTO engagements (arn, root_arn, parent_arn, contact_arn, contact_type, is_essential,"
        " stage_index, incident_id, sender, subject, content, public_subject, public_content, start_us)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            arn, root_arn or arn, parent_arn, contact_arn, contact["type"], int(is_essential), stage_index,
            message.get("IncidentId"), message["Sender"], message["Subject"], message["Content"],
            message.get("PublicSubject"), message.get("PublicContent"), to_us(ctx.now),
        ),
    )
    incident = message.get("IncidentId")
    if incident and await ctx.tx.scalar("SELECT 1 FROM incidents WHERE arn = ?", (incident,)):
        await add_event(
            ctx, incident, TimelineEventType.ENGAGEMENT.value,
            {"contact": contact_arn, "alias": contact["alias"], "type": contact["type"], "engagement": arn,
             "via": parent_arn},
        )
    ctx.emit(ev.ENGAGEMENT_STARTED, arn, contact=contact_arn, incidentId=incident)
    if contact["type"] == "PERSONAL":
        await _create_page(ctx, arn, contact, message)
    await run_stage(ctx, arn, 0)
    return arn


async def _create_page(ctx: Context, engagement_arn: str, contact: Any, message: dict[str, Any]) -> str:
    page_arn = arns.contacts_arn(ctx.region, ctx.account_id, f"page/{contact['alias']}/{arns.new_id()}")
    code = accept_codes.seal(ctx, await accept_codes.unused_code(ctx))
    await ctx.tx.execute(
        "INSERT INTO pages (arn, engagement_arn, contact_arn, incident_id, code_salt, code_hash, code_enc, created_us)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (page_arn, engagement_arn, contact["arn"], message.get("IncidentId"), code["code_salt"], code["code_hash"],
         code["code_enc"], to_us(ctx.now)),
    )
    return page_arn


@timer_handler("engagement.stage")
async def _stage_due(ctx: Context, payload: dict[str, Any]) -> None:
    await run_stage(ctx, payload["engagement"], payload["stage"])


async def run_stage(ctx: Context, engagement_arn: str, index: int) -> None:
    """Run stage ``index`` of an engagement's plan and schedule the next one."""
    eng = await ctx.tx.fetchone("SELECT * FROM engagements WHERE arn = ?", (engagement_arn,))
    if eng is None or eng["stop_us"] is not None or eng["acked_us"] is not None:
        return
    contact = await ctx.tx.fetchone("SELECT * FROM contacts WHERE arn = ?", (eng["contact_arn"],))
    if contact is None:
        log.warning("engagement %s: contact %s is gone", engagement_arn, eng["contact_arn"])
        return
    message = {k: eng[c] for k, c in (("IncidentId", "incident_id"), ("Sender", "sender"), ("Subject", "subject"),
                                       ("Content", "content"), ("PublicSubject", "public_subject"),
                                       ("PublicContent", "public_content"))}
    stages = _stages(contact)
    kind = contact["type"]
    if kind == "ONCALL_SCHEDULE":
        await _engage_on_call(ctx, eng, message)
        return
    if kind == "PERSONAL":
        if not stages and index == 0:
            await _page_channels(ctx, eng, None, first=True)
            return
        if index < len(stages):
            await _page_channels(ctx, eng, stages[index], first=index == 0)
    elif kind == "ESCALATION" and index < len(stages):
        for target in stages[index].get("Targets") or []:
            info = target.get("ContactTargetInfo")
            if not info or not info.get("ContactId"):
                continue
            try:
                await engage(
                    ctx, contact_arn=info["ContactId"], message=message, root_arn=eng["root_arn"],
                    parent_arn=engagement_arn, stage_index=index, is_essential=bool(info.get("IsEssential")),
                )
            except ResourceNotFoundException:
                log.warning("escalation %s stage %d: target %s no longer exists", engagement_arn, index, info["ContactId"])
    if index + 1 < len(stages):
        delay = stages[index].get("DurationInMinutes", 0)
        due = ctx.now + timedelta(minutes=delay)
        await ctx.core.scheduler.schedule(
            ctx.tx, "engagement.stage", due, {"engagement": engagement_arn, "stage": index + 1},
            dedupe_key=stage_key(engagement_arn),
        )


async def _engage_on_call(ctx: Context, eng: Any, message: dict[str, Any]) -> None:
    members = await on_call_contacts(ctx, eng["contact_arn"], ctx.now)
    if not members:
        log.warning("on-call schedule %s has nobody on call at %s", eng["contact_arn"], ctx.now)
    for member in members:
        await engage(
            ctx, contact_arn=member, message=message, root_arn=eng["root_arn"], parent_arn=eng["arn"],
            stage_index=0, is_essential=True,
        )


async def _render(
    ctx: Context, eng: Any, contact: Any, code: str | None, ack_url: str | None = None
) -> tuple[str, str, str]:
    """(subject, body, short body), carrying ``code`` when it is given (and, in the body, the
    email acknowledgement link ``ack_url``). Email gets the full text; SMS and voice get the
    short body, built from the engagement's PublicSubject and PublicContent (they travel over
    channels that are not private), fitted to one SMS segment where it can be."""
    public_subject = eng["public_subject"] or eng["subject"]
    template = "{title}" + (f"\n{eng['public_content']}" if eng["public_content"] else "")
    short = fit_sms(template + (f"\nCode {code}" if code else ""), public_subject)
    incident = None
    if eng["incident_id"]:
        doc = await ctx.tx.scalar("SELECT doc FROM incidents WHERE arn = ?", (eng["incident_id"],))
        incident = loads(doc) if doc else None
    if incident:
        link = incident_link(ctx.core.paging.public_url, incident["arn"])
        block = incident_block(incident["title"], incident["impact"], link)
        message = eng["content"].removesuffix(block).strip()
        rendered = render_page_email(
            title=incident["title"], impact=incident["impact"], accept_code=code, ack_url=ack_url,
            incident_arn=incident["arn"], summary=incident.get("summary"),
            contact_name=contact["display_name"] or contact["alias"], link=link,
            message=None if message in ((incident.get("summary") or "").strip(), " ".join(incident["title"].split()))
            else message,
        )
        return rendered.subject, rendered.body, short
    body = f"{eng['content']}\n" + (f"\nAcknowledge: {ack_url}\n" if ack_url else "")
    return eng["subject"], body + (f"\nAccept code: {code}\n" if code else ""), short


async def _page_channels(ctx: Context, eng: Any, stage: dict[str, Any] | None, *, first: bool) -> None:
    page = await ctx.tx.fetchone("SELECT * FROM pages WHERE engagement_arn = ?", (eng["arn"],))
    contact = await ctx.tx.fetchone("SELECT * FROM contacts WHERE arn = ?", (eng["contact_arn"],))
    if stage is None:
        rows = await ctx.tx.fetchall(
            "SELECT arn FROM contact_channels WHERE contact_arn = ? ORDER BY created_us, rowid", (eng["contact_arn"],)
        )
        targets = [{"ChannelTargetInfo": {"ContactChannelId": r["arn"]}} for r in rows]
    else:
        targets = stage.get("Targets") or []
    code = accept_codes.open_code(ctx, page)
    subject, body, short = await _render(ctx, eng, contact, code)
    common = {
        "kind": "page", "contact_arn": eng["contact_arn"], "engagement_arn": eng["arn"], "page_arn": page["arn"],
        "incident_arn": eng["incident_id"],
    }
    webhook = ctx.core.paging.webhook
    if webhook is not None and first:
        # a signed copy of each page, once, for bridges: it carries no accept code (a chat room
        # is not the paged person)
        copy_subject, copy_body, copy_short = await _render(ctx, eng, contact, None)
        for url in webhook.page_urls:
            await enqueue_message(ctx, channel_type="WEBHOOK", address=url, subject=copy_subject, body=copy_body,
                                  short_body=copy_short, **common)
    for target in targets:
        info = target.get("ChannelTargetInfo")
        if not info:
            continue
        channel = await ctx.tx.fetchone("SELECT * FROM contact_channels WHERE arn = ?", (info["ContactChannelId"],))
        if channel is None or channel["activation_status"] != "ACTIVATED":
            reason = "channel no longer exists" if channel is None else "channel is not activated; it is never paged"
            await ctx.tx.execute(
                "INSERT INTO page_receipts (page_arn, channel_arn, type, info, time_us) VALUES (?, ?, 'ERROR', ?, ?)",
                (page["arn"], info["ContactChannelId"], reason, to_us(ctx.now)),
            )
            continue
        retry = info.get("RetryIntervalInMinutes")
        ack_url = await issue_ack_link(ctx, page["arn"]) if channel["type"] == "EMAIL" else None
        text = await _render(ctx, eng, contact, code, ack_url) if ack_url else (subject, body, short)
        await enqueue_message(
            ctx,
            channel_type=channel["type"],
            address=ctx.core.cipher.decrypt(channel["address_enc"]),
            channel_arn=channel["arn"],
            retry_interval_s=retry * 60 if retry else None,
            subject=text[0], body=text[1], short_body=text[2], accept_code=code,
            **common,
        )


async def _end_paging(ctx: Context, engagement_arn: str, why: str) -> None:
    """This engagement sends nothing more: its stage timer and unsent messages are cancelled and
    its page's code is no longer kept for messages."""
    await ctx.core.scheduler.cancel(ctx.tx, stage_key(engagement_arn))
    await cancel_unsent(ctx, engagement_arn, why)
    await ctx.tx.execute("UPDATE pages SET code_enc = NULL WHERE engagement_arn = ?", (engagement_arn,))


async def stop_engagement(ctx: Context, engagement_arn: str, reason: str) -> int:
    """Stop an engagement and every engagement it spawned; cancel their timers and unsent messages."""
    stopped = 0
    pending = [engagement_arn]
    while pending:
        arn = pending.pop()
        changed = await ctx.tx.execute(
            "UPDATE engagements SET stop_us = ?, stop_reason = ? WHERE arn = ? AND stop_us IS NULL",
            (to_us(ctx.now), reason[:1000], arn),
        )
        if changed:
            stopped += 1
            await _end_paging(ctx, arn, f"engagement stopped: {reason}")
            page = await ctx.tx.scalar("SELECT arn FROM pages WHERE engagement_arn = ? AND read_us IS NULL", (arn,))
            if page:
                await ctx.tx.execute(
                    "INSERT INTO page_receipts (page_arn, type, info, time_us) VALUES (?, 'STOP', ?, ?)",
                    (page, fit(reason, RECEIPT_INFO_MAX, AUDIT_TRAIL) or None, to_us(ctx.now)),
                )
            ctx.emit(ev.ENGAGEMENT_STOPPED, arn, reason=reason)
        children = await ctx.tx.fetchall("SELECT arn FROM engagements WHERE parent_arn = ?", (arn,))
        pending.extend(r["arn"] for r in children)
    return stopped


async def acknowledge(ctx: Context, page: Any, *, via: str, channel_arn: str | None) -> None:
    """A READ receipt: stop this contact's plan, and walk up while the acknowledger was
    essential; everything under the highest engagement reached stops paging."""
    by = ctx.principal.arn
    eng = await ctx.tx.fetchone("SELECT * FROM engagements WHERE arn = ?", (page["engagement_arn"],))
    acked: set[str] = set()
    top = page["engagement_arn"]
    while eng is not None:
        if eng["acked_us"] is None:
            await ctx.tx.execute(
                "UPDATE engagements SET acked_us = ?, acked_by = ? WHERE arn = ?", (to_us(ctx.now), by, eng["arn"])
            )
        acked.add(eng["arn"])
        top = eng["arn"]
        if not eng["is_essential"] or eng["parent_arn"] is None:
            break
        eng = await ctx.tx.fetchone("SELECT * FROM engagements WHERE arn = ?", (eng["parent_arn"],))
    reason = f"acknowledged by {ctx.principal.name}"
    under = [top]
    while under:
        arn = under.pop()
        if arn not in acked:
            await stop_engagement(ctx, arn, reason)
            continue
        await _end_paging(ctx, arn, reason)
        under.extend(r["arn"] for r in await ctx.tx.fetchall("SELECT arn FROM engagements WHERE parent_arn = ?", (arn,)))
    if page["incident_id"] and await ctx.tx.scalar("SELECT 1 FROM incidents WHERE arn = ?", (page["incident_id"],)):
        await add_event(
            ctx, page["incident_id"], TimelineEventType.ACKNOWLEDGEMENT.value,
            {"page": page["arn"], "contact": page["contact_arn"], "by": by, "via": via,
             **({"channel": channel_arn} if channel_arn else {})},
        )
    ctx.emit(ev.PAGE_ACCEPTED, page["arn"], contact=page["contact_arn"], incidentId=page["incident_id"])
    if page["incident_id"]:
        ctx.emit(ev.INCIDENT_UPDATED, page["incident_id"], changed=["engagements"])
