"""The pager outbox: every message any provider sends goes through a row here.

    pending -> sending -> sent | failed        (and pending -> held -> bundled)

* ``enqueue_message`` inserts a ``pending`` row and a due-now ``outbox.send`` timer in the
  caller's transaction, so an escalation step and the pages it causes commit together.
* The timer marks the row ``sending`` (with a deadline) and commits; only then does the
  ``OutboxSender`` call the provider, outside any transaction. The outcome is written back:
  ``sent``, a retry with backoff (``pending`` + a later timer), or ``failed``. Every attempt is
  recorded in ``outbox_attempts`` (and, for pages, as a page receipt).
* A row found ``sending`` when a core starts had its outcome lost in a crash: it is sent once
  more with the same ``message_id`` (so SMTP Message-ID / Twilio idempotency token match); a
  second unknown outcome marks it ``failed`` rather than risk a second duplicate.
* Rate limit: at most one message a minute to one SMS, VOICE or EMAIL address. Pages held back
  (``held``) are folded into one bundle message sent when the minute is up, never dropped.
* A page whose engagement has ended (acknowledged or stopped) is never delivered: the ack or
  stop cancels its unsent messages (``cancel_unsent``, in the same transaction), and the sender
  checks again when it claims a message, just before it calls the provider and when it builds
  or sends a bundle, so a bundle never carries an acknowledged page.
* A message that carries a code (a page's accept code, an activation code) is ``sealed``: its
  body, short body and code are stored encrypted with the workspace key. Only an administrator's
  view of the outbox opens them (the LOCAL outbox is itself a delivery channel).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from core.arns import new_uuid
from core.engine.context import Context
from core.engine.limits import OUTBOX, RECEIPT_INFO_MAX, fit
from core.engine.scheduler import timer_handler
from core.engine.timeline import add_event
from core.model import events as ev
from core.model.incidents import TimelineEventType
from core.paging.base import DeliveryError, OutboundMessage, mask_address
from core.paging.render import BundledPage, incident_link, render_bundle_email
from core.timeutil import from_us, to_us

if TYPE_CHECKING:
    from core.runtime import Core
    from core.security.keys import Cipher

log = logging.getLogger("cockpit.core.outbox")

RATE_LIMITED = {"EMAIL", "SMS", "VOICE"}
RATE_WINDOW = timedelta(minutes=1)
SEND_DEADLINE = timedelta(seconds=60)
MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(minutes=10)


def voice_callback_url(public_url: str | None, page_arn: str | None) -> str | None:
    """Where Twilio posts the digit a callee pressed (TwiML ``<Gather action=...>``); the server
    receives it. None without ``paging.public_url`` (the call then reads the accept code)."""
    if not public_url or not page_arn:
        return None
    return f"{public_url}/callbacks/twilio/voice?page={quote(page_arn, safe='')}"


def rate_key(channel_type: str, address: str) -> str:
    return hashlib.sha256(f"{channel_type}:{address.strip().lower()}".encode()).hexdigest()


def _backoff(attempts: int, retry_interval_s: int | None) -> timedelta:
    if retry_interval_s:
        return timedelta(seconds=retry_interval_s)
    return min(MAX_BACKOFF, timedelta(seconds=15 * 2 ** max(0, attempts - 1)))


async def enqueue_message(
    ctx: Context,
    *,
    channel_type: str,
    address: str,
    kind: str,
    subject: str,
    body: str,
    short_body: str,
    contact_arn: str | None = None,
    channel_arn: str | None = None,
    engagement_arn: str | None = None,
    page_arn: str | None = None,
    incident_arn: str | None = None,
    accept_code: str | None = None,
    retry_interval_s: int | None = None,
    sealed: bool = False,
) -> str:
    """Queue one message in the caller's transaction; returns its message id. A message with an
    ``accept_code``, or ``sealed`` (a bundle carrying several codes), is stored encrypted."""
    message_id = new_uuid()
    key = rate_key(channel_type, address)
    sealed = sealed or accept_code is not None
    if sealed:
        cipher = ctx.core.cipher
        body, short_body = cipher.encrypt(body), cipher.encrypt(short_body)
        accept_code = cipher.encrypt(accept_code) if accept_code is not None else None
    status = "pending"
    due = ctx.now
    if kind == "page" and channel_type in RATE_LIMITED:
        last = await ctx.tx.scalar(
            "SELECT MAX(COALESCE(sent_us, created_us)) FROM outbox WHERE rate_key = ? "
            "AND status IN ('pending', 'sending', 'sent') AND kind != 'activation'",
            (key,),
        )
        if last is not None and ctx.now - from_us(last) < RATE_WINDOW:
            status = "held"
            due = from_us(last) + RATE_WINDOW
    outbox_id = await ctx.tx.execute(
        "INSERT INTO outbox (message_id, channel_type, rate_key, address_enc, kind, subject, body,"
        " short_body, contact_arn, channel_arn, engagement_arn, page_arn, incident_arn, accept_code,"
        " retry_interval_s, status, sealed, created_us) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            message_id, channel_type, key, ctx.core.cipher.encrypt(address), kind, subject, body,
            short_body, contact_arn, channel_arn, engagement_arn, page_arn, incident_arn, accept_code,
            retry_interval_s, status, int(sealed), to_us(ctx.now),
        ),
    )
    scheduler = ctx.core.scheduler
    if status == "held":
        await scheduler.schedule(
            ctx.tx, "outbox.bundle", due, {"rate_key": key}, dedupe_key=f"bundle:{key}"
        )
    else:
        await scheduler.schedule(ctx.tx, "outbox.send", due, {"id": outbox_id})
    return message_id


def opened(cipher: Cipher, row: Any) -> tuple[str, str, str | None]:
    """(body, short body, code) of a message, decrypted when it is sealed."""
    if not row["sealed"]:
        return row["body"], row["short_body"], row["accept_code"]
    code = cipher.decrypt(row["accept_code"]) if row["accept_code"] else None
    return cipher.decrypt(row["body"]), cipher.decrypt(row["short_body"]), code


async def cancel_unsent(ctx: Context, engagement_arn: str, why: str) -> int:
    """Cancel every message of an engagement that has not left: pending (due now or waiting for
    a retry) or held by the rate limit."""
    return await ctx.tx.execute(
        "UPDATE outbox SET status = 'cancelled', last_error = ? WHERE engagement_arn = ? AND status IN ('pending', 'held')",
        (why[:1000], engagement_arn),
    )


async def _ended(ctx: Context, engagement_arn: str | None) -> str | None:
    """Why a message of this engagement must no longer be delivered, or None."""
    if not engagement_arn:
        return None
    eng = await ctx.tx.fetchone("SELECT stop_us, acked_us FROM engagements WHERE arn = ?", (engagement_arn,))
    if eng is None:
        return "not sent: the engagement no longer exists"
    if eng["acked_us"] is not None:
        return "not sent: the engagement was acknowledged"
    return "not sent: the engagement was stopped" if eng["stop_us"] is not None else None


def _bundle_text(ctx: Context, rows: list[Any]) -> tuple[str, str, str]:
    """The bundle of ``rows``: each page with its own accept code and incident link."""
    pages = [BundledPage(r["subject"], opened(ctx.core.cipher, r)[2],
                         incident_link(ctx.core.paging.public_url, r["incident_arn"]) if r["incident_arn"] else None)
             for r in rows]
    rendered = render_bundle_email(pages=pages)
    return rendered.subject, rendered.body, rendered.short_body


async def _still_wanted(ctx: Context, row: Any, status: str) -> bool:
    """Re-check a message about to be claimed or sent: a page of an ended engagement is
    cancelled; a bundle drops the pages whose engagement ended (and is cancelled if none is left)."""
    why = await _ended(ctx, row["engagement_arn"])
    if why is None and row["kind"] == "bundle":
        carried = await ctx.tx.fetchall("SELECT * FROM outbox WHERE bundle_id = ? ORDER BY id", (row["id"],))
        live = []
        for item in carried:
            item_why = await _ended(ctx, item["engagement_arn"])
            if item_why is None:
                live.append(item)
                continue
            await ctx.tx.execute(
                "UPDATE outbox SET status = 'cancelled', bundle_id = NULL, last_error = ? WHERE id = ?", (item_why, item["id"])
            )
        if not live:
            why = "not sent: every page it carried was acknowledged or stopped"
        elif len(live) < len(carried):
            subject, body, short_body = _bundle_text(ctx, live)
            if row["sealed"]:
                body, short_body = ctx.core.cipher.encrypt(body), ctx.core.cipher.encrypt(short_body)
            await ctx.tx.execute(
                "UPDATE outbox SET subject = ?, body = ?, short_body = ? WHERE id = ?", (subject, body, short_body, row["id"])
            )
    if why is None:
        return True
    changed = await ctx.tx.execute(
        "UPDATE outbox SET status = 'cancelled', last_error = ? WHERE id = ? AND status = ?", (why, row["id"], status)
    )
    if changed:
        await _record_attempt(ctx, row["id"], "cancelled", why)
        ctx.emit(ev.OUTBOX_MESSAGE_CHANGED, row["page_arn"] or row["channel_arn"], status="cancelled", id=row["id"])
    return False


async def _record_attempt(ctx: Context, outbox_id: int, outcome: str, detail: str) -> None:
    await ctx.tx.execute(
        "INSERT INTO outbox_attempts (outbox_id, time_us, outcome, detail) VALUES (?, ?, ?, ?)",
        (outbox_id, to_us(ctx.now), outcome, detail[:1000]),
    )


async def _page_receipt(ctx: Context, row: Any, receipt: str, info: str) -> None:
    if not row["page_arn"]:
        return
    await ctx.tx.execute(
        "INSERT INTO page_receipts (page_arn, channel_arn, type, info, time_us) VALUES (?, ?, ?, ?, ?)",
        (row["page_arn"], row["channel_arn"], receipt, fit(info, RECEIPT_INFO_MAX, OUTBOX) or None, to_us(ctx.now)),
    )


@timer_handler("outbox.send")
async def _claim(ctx: Context, payload: dict[str, Any]) -> None:
    """Mark a pending message ``sending``; the send itself happens after this commits."""
    outbox_id = payload["id"]
    row = await ctx.tx.fetchone("SELECT * FROM outbox WHERE id = ?", (outbox_id,))
    if row is None or row["status"] != "pending" or not await _still_wanted(ctx, row, "pending"):
        return
    changed = await ctx.tx.execute(
        "UPDATE outbox SET status = 'sending', deadline_us = ?, attempts = attempts + 1 "
        "WHERE id = ? AND status = 'pending'",
        (to_us(ctx.now + SEND_DEADLINE), outbox_id),
    )
    if changed:
        sender = ctx.core.outbox
        ctx.tx.after_commit(lambda: sender.start_send(outbox_id))


@timer_handler("outbox.bundle")
async def _bundle(ctx: Context, payload: dict[str, Any]) -> None:
    """The rate window is over: send what was held for this address as one message."""
    key = payload["rate_key"]
    rows = await ctx.tx.fetchall(
        "SELECT * FROM outbox WHERE rate_key = ? AND status = 'held' ORDER BY id", (key,)
    )
    live = []
    for row in rows:
        why = await _ended(ctx, row["engagement_arn"])
        if why is None:
            live.append(row)
        else:  # acknowledged or stopped since it was held (an ack cancels these; this is the re-check)
            await ctx.tx.execute("UPDATE outbox SET status = 'cancelled', last_error = ? WHERE id = ?", (why, row["id"]))
    rows = live
    if not rows:
        return
    last = await ctx.tx.scalar(
        "SELECT MAX(COALESCE(sent_us, created_us)) FROM outbox WHERE rate_key = ? "
        "AND status IN ('pending', 'sending', 'sent') AND kind != 'activation'",
        (key,),
    )
    if last is not None and ctx.now - from_us(last) < RATE_WINDOW:
        await ctx.core.scheduler.schedule(
            ctx.tx, "outbox.bundle", from_us(last) + RATE_WINDOW, payload, dedupe_key=f"bundle:{key}"
        )
        return
    first = rows[0]
    if len(rows) == 1:
        await ctx.tx.execute("UPDATE outbox SET status = 'pending' WHERE id = ?", (first["id"],))
        await ctx.core.scheduler.schedule(ctx.tx, "outbox.send", ctx.now, {"id": first["id"]})
        return
    subject, body, short_body = _bundle_text(ctx, rows)
    address = ctx.core.cipher.decrypt(first["address_enc"])
    message_id = await enqueue_message(
        ctx,
        channel_type=first["channel_type"],
        address=address,
        kind="bundle",
        subject=subject,
        body=body,
        short_body=short_body,
        contact_arn=first["contact_arn"],
        channel_arn=first["channel_arn"],
        sealed=any(r["accept_code"] for r in rows),  # it carries their codes
    )
    bundle_id = await ctx.tx.scalar("SELECT id FROM outbox WHERE message_id = ?", (message_id,))
    await ctx.tx.executemany(
        "UPDATE outbox SET status = 'bundled', bundle_id = ? WHERE id = ?",
        [(bundle_id, r["id"]) for r in rows],
    )


class OutboxSender:
    """Runs provider calls outside transactions and writes their outcomes back."""

    def __init__(self, core: Core, providers: dict[str, Any]) -> None:
        self.core = core
        self.providers = providers
        self.public_url = core.paging.public_url
        self._tasks: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    async def start(self) -> None:
        self.core.clock.add_settler(self.wait_idle)
        await self._recover()

    async def stop(self) -> None:
        self.core.clock.remove_settler(self.wait_idle)
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=10)
        for task in list(self._tasks):
            task.cancel()

    async def wait_idle(self) -> bool:
        waited = False
        while self._tasks:
            waited = True
            await asyncio.wait(list(self._tasks))
        return waited

    async def _recover(self) -> None:
        """Messages left ``sending`` by a crash: their outcome is unknown."""
        async with self.core.db.transaction() as tx:
            ctx = Context(self.core, tx, self.core.system_principal, origin="recovery")
            rows = await tx.fetchall("SELECT id, unknown_outcomes FROM outbox WHERE status = 'sending'")
            for row in rows:
                if row["unknown_outcomes"] >= 1:
                    await tx.execute(
                        "UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?",
                        ("outcome unknown twice after crashes; not sent again to avoid a second duplicate", row["id"]),
                    )
                    await _record_attempt(ctx, row["id"], "failed", "outcome unknown twice")
                    continue
                await tx.execute(
                    "UPDATE outbox SET status = 'pending', unknown_outcomes = unknown_outcomes + 1 WHERE id = ?",
                    (row["id"],),
                )
                await _record_attempt(ctx, row["id"], "unknown", "the core stopped while sending; sending again with the same message id")
                await self.core.scheduler.schedule(tx, "outbox.send", ctx.now, {"id": row["id"]})
        if rows:
            log.warning("recovered %d message(s) whose send outcome was lost", len(rows))

    def start_send(self, outbox_id: int) -> None:
        task = asyncio.create_task(self._send(outbox_id), name=f"outbox-send-{outbox_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, outbox_id: int) -> None:
        core = self.core
        async with core.db.transaction() as tx:
            ctx = Context(core, tx, core.system_principal, origin="outbox")
            row = await tx.fetchone("SELECT * FROM outbox WHERE id = ?", (outbox_id,))
            wanted = row is not None and row["status"] == "sending" and await _still_wanted(ctx, row, "sending")
            if wanted:
                row = await tx.fetchone("SELECT * FROM outbox WHERE id = ?", (outbox_id,))
        if not wanted:
            return
        address = core.cipher.decrypt(row["address_enc"])
        body, short_body, code = opened(core.cipher, row)
        message = OutboundMessage(
            idempotency_key=row["message_id"],
            channel_type=row["channel_type"],
            address=address,
            kind=row["kind"],
            subject=row["subject"],
            body=body,
            short_body=short_body,
            accept_code=code,
            incident_arn=row["incident_arn"],
            page_arn=row["page_arn"],
            voice_callback_url=voice_callback_url(self.public_url, row["page_arn"]) if row["kind"] == "page" else None,
        )
        provider = self.providers.get(row["channel_type"]) or self.providers["EMAIL"]
        try:
            result = await provider.send(message, core.clock.now())
        except DeliveryError as exc:
            await self._failed(row, exc.message, exc.retryable)
        except Exception as exc:  # a provider bug must not lose the page
            log.exception("provider %s raised unexpectedly", getattr(provider, "name", "?"))
            await self._failed(row, f"{type(exc).__name__} in provider", True)
        else:
            await self._sent(row, result.provider, result.provider_message_id)

    async def _sent(self, row: Any, provider: str, provider_message_id: str | None) -> None:
        core = self.core
        async with core.db.transaction() as tx:
            ctx = Context(core, tx, core.system_principal, origin="outbox")
            await tx.execute(
                "UPDATE outbox SET status = 'sent', sent_us = ?, provider = ?, provider_message_id = ?,"
                " last_error = NULL WHERE id = ?",
                (to_us(ctx.now), provider, provider_message_id, row["id"]),
            )
            await _record_attempt(ctx, row["id"], "sent", f"via {provider}")
            carried = [row]
            if row["kind"] == "bundle":  # the held pages this bundle stood for were sent with it
                carried += await tx.fetchall("SELECT * FROM outbox WHERE bundle_id = ?", (row["id"],))
            masked = mask_address(core.cipher.decrypt(row["address_enc"]))
            for item in carried:
                await _mark_page_sent(ctx, item, f"sent by {provider} to {masked}")
            ctx.emit(ev.OUTBOX_MESSAGE_CHANGED, row["page_arn"] or row["channel_arn"], status="sent", id=row["id"])

    async def _failed(self, row: Any, error: str, retryable: bool) -> None:
        core = self.core
        async with core.db.transaction() as tx:
            ctx = Context(core, tx, core.system_principal, origin="outbox")
            current = await tx.fetchone("SELECT attempts FROM outbox WHERE id = ?", (row["id"],))
            attempts = current["attempts"] if current else row["attempts"]
            ended = await _ended(ctx, row["engagement_arn"])
            if ended:  # the engagement ended while this send was in flight: no retry
                await tx.execute(
                    "UPDATE outbox SET status = 'cancelled', last_error = ? WHERE id = ?",
                    (f"{error}; {ended.replace('not sent', 'not retried')}", row["id"]),
                )
                await _record_attempt(ctx, row["id"], "failed", f"{error}; {ended}")
            elif retryable and attempts < MAX_ATTEMPTS:
                delay = _backoff(attempts, row["retry_interval_s"])
                await tx.execute(
                    "UPDATE outbox SET status = 'pending', last_error = ? WHERE id = ?", (error, row["id"])
                )
                await core.scheduler.schedule(tx, "outbox.send", ctx.now + delay, {"id": row["id"]})
                await _record_attempt(ctx, row["id"], "retry", f"{error}; retrying in {int(delay.total_seconds())} s")
            else:
                await tx.execute(
                    "UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?", (error, row["id"])
                )
                await _record_attempt(ctx, row["id"], "failed", error)
            await _page_receipt(ctx, row, "ERROR", error)
            ctx.emit(ev.OUTBOX_MESSAGE_CHANGED, row["page_arn"] or row["channel_arn"], status="failed" if not retryable else "retry", id=row["id"])


async def _mark_page_sent(ctx: Context, row: Any, info: str) -> None:
    if not row["page_arn"]:
        return
    await _page_receipt(ctx, row, "SENT", info)
    first = await ctx.tx.execute(
        "UPDATE pages SET sent_us = ? WHERE arn = ? AND sent_us IS NULL", (to_us(ctx.now), row["page_arn"])
    )
    if first and row["incident_arn"]:
        await add_event(
            ctx, row["incident_arn"], TimelineEventType.PAGE.value,
            {"page": row["page_arn"], "contact": row["contact_arn"], "channel": row["channel_type"]},
        )


def outbox_view(row: Any, *, with_body: bool, cipher: Cipher) -> dict[str, Any]:
    """A message as ListOutboxMessages shows it; ``with_body`` (administrators only) opens it."""
    out = {
        "messageId": row["message_id"],
        "channelType": row["channel_type"],
        "kind": row["kind"],
        "status": row["status"],
        "attempts": row["attempts"],
        "subject": row["subject"],
        "contactArn": row["contact_arn"],
        "contactChannelArn": row["channel_arn"],
        "engagementArn": row["engagement_arn"],
        "pageArn": row["page_arn"],
        "incidentArn": row["incident_arn"],
        "provider": row["provider"],
        "providerMessageId": row["provider_message_id"],
        "lastError": row["last_error"],
        "createdTime": from_us(row["created_us"]),
        "sentTime": from_us(row["sent_us"]),
    }
    if with_body:
        out["body"], out["shortBody"], _ = opened(cipher, row)
    return {k: v for k, v in out.items() if v is not None}

