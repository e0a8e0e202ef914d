"""Twilio's callbacks: acknowledging a page from a phone, by SMS reply or by pressing 1.

* ``POST /callbacks/twilio/sms`` (the number's "A message comes in" webhook). The sender must
  be the address of an SMS contact channel. A reply carrying an accept code acknowledges that
  page (AcceptPageByCode); ``STOP`` or ``UNSUBSCRIBE`` deactivates the sender's channels;
  ``START`` sends a new activation code, so the channel can be activated again; anything else
  gets a short help reply. Every answer is TwiML ``<Response><Message>``.
* ``POST /callbacks/twilio/voice?page=ARN`` (the ``<Gather action>`` of a page's call, see
  core.engine.outbox.voice_callback_url): ``Digits=1`` acknowledges that page.

Every request must carry a valid ``X-Twilio-Signature`` for the URL Twilio called (under
``paging.public_url`` when set, as behind a reverse proxy), checked by the ``twilio`` package's
RequestValidator with the account's auth token. A request handled once (same MessageSid, or
CallSid for that page) is not handled again. Anything refused is audited.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from twilio.request_validator import RequestValidator

from core.errors import ServiceError
from core.ops.dispatch import dispatch
from core.paging.base import mask_address
from core.server.framing import note_operation, source_ip
from core.server.outside_callers import (
    PHONE_ACTIONS,
    Refused,
    accept_read,
    anonymous,
    audit_refusal,
    form_of,
    outside_principal,
)
from core.timeutil import to_us

if TYPE_CHECKING:
    from core.runtime import Core

SIGNATURE_HEADER = "X-Twilio-Signature"
STOP_WORDS = frozenset({"STOP", "UNSUBSCRIBE"})
START_WORDS = frozenset({"START"})
CODE_RE = re.compile(r"(?<!\d)(\d{6,10})(?!\d)")
HELP = (
    "Incident Cockpit: reply with a page's accept code to acknowledge it. "
    "STOP stops pages to this number; START sends a new activation code."
)
XML = "application/xml"
REPLAY_WINDOW = timedelta(days=30)


def twiml(verb: str, text: str) -> Response:
    root = ET.Element("Response")
    ET.SubElement(root, verb).text = text
    body = '<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, encoding="unicode")
    return Response(body, 200, media_type=XML)


def _signed_url(core: Core, request: Request) -> str:
    """The URL Twilio signed: the public one when the core sits behind a proxy."""
    public = core.paging.public_url
    if not public:
        return str(request.url)
    query = request.url.query
    return public.rstrip("/") + request.url.path + (f"?{query}" if query else "")


async def _verified_form(core: Core, request: Request) -> dict[str, str]:
    twilio = core.paging.twilio
    if twilio is None:
        raise Refused(403, "AccessDeniedException", "Twilio is not configured on this core (paging.twilio)")
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature:
        raise Refused(403, "MissingAuthenticationTokenException", f"the request has no {SIGNATURE_HEADER}")
    form = form_of(request)
    validator = RequestValidator(twilio.auth_token.get_secret_value())
    if not validator.validate(_signed_url(core, request), form, signature):
        raise Refused(403, "InvalidSignatureException", f"{SIGNATURE_HEADER} does not match this request")
    return form


async def _first_time(core: Core, key: str) -> None:
    """Refuse a callback already handled (Twilio's ids are unique per message and call). Ids
    are kept for REPLAY_WINDOW; by then a page's code and call no longer acknowledge anything."""
    now = core.clock.now()
    async with core.db.transaction() as tx:
        if await tx.scalar("SELECT 1 FROM webhook_requests WHERE key = ?", (key,)):
            raise Refused(409, "ConflictException", "this Twilio request was already handled (a replay)")
        await tx.execute("DELETE FROM webhook_requests WHERE seen_us < ?", (to_us(now - REPLAY_WINDOW),))
        await tx.execute("INSERT INTO webhook_requests (key, seen_us) VALUES (?, ?)", (key, to_us(now)))


async def _channels(core: Core, channel_type: str, number: str, page_arn: str | None = None) -> list[str]:
    """The contact channels of ``channel_type`` whose address is ``number`` (of the paged
    contact only, given ``page_arn``)."""
    sql = "SELECT arn, address_enc FROM contact_channels WHERE type = ?"
    args: tuple[str, ...] = (channel_type,)
    if page_arn is not None:
        sql += " AND contact_arn = (SELECT contact_arn FROM pages WHERE arn = ?)"
        args += (page_arn,)
    async with core.db.transaction() as tx:
        rows = await tx.fetchall(sql, args)
    return [r["arn"] for r in rows if core.cipher.decrypt(r["address_enc"]).strip() == number.strip()]


async def _handle_sms(core: Core, form: dict[str, str], ip: str | None) -> str:
    number = form.get("From", "")
    channels = await _channels(core, "SMS", number)
    if not channels:
        return "Incident Cockpit: this number is not a contact channel here, so there is nothing to acknowledge."
    principal = outside_principal(core, "sms", number, PHONE_ACTIONS)
    origin = f"twilio-sms {number}"
    words = form.get("Body", "").strip().upper().split()
    word = words[0] if len(words) == 1 else ""
    try:
        if word in STOP_WORDS:
            for arn in channels:
                await dispatch(core, principal, "DeactivateContactChannel", {"ContactChannelId": arn}, origin, ip)
            return "Incident Cockpit: this number will not be paged any more. Reply START to activate it again."
        if word in START_WORDS:
            for arn in channels:
                await dispatch(core, principal, "SendActivationCode", {"ContactChannelId": arn}, origin, ip)
            return "Incident Cockpit: an activation code is on its way; enter it in the cockpit to activate this number."
        code = CODE_RE.search(form.get("Body", ""))
        if code is None:
            return HELP
        await dispatch(core, principal, "AcceptPageByCode", {"acceptCode": code.group(1)}, origin, ip)
    except ServiceError as err:
        return f"Incident Cockpit: not done: {err.message}"[:320]
    return "Incident Cockpit: acknowledged. Your escalation stops here."


async def _handle_voice(core: Core, page_arn: str, form: dict[str, str], ip: str | None) -> str:
    if form.get("Digits") != "1":
        return "No acknowledgement was recorded. Goodbye."
    callee = form.get("To") or form.get("Called") or "unknown"
    principal = outside_principal(core, "voice", callee, PHONE_ACTIONS)
    request = accept_read(page_arn, "pressed 1 on the call")
    called = await _channels(core, "VOICE", callee, page_arn)
    if called:
        request["ContactChannelId"] = called[0]
    try:
        await dispatch(core, principal, "AcceptPage", request, f"twilio-voice {callee}", ip)
    except ServiceError as err:
        return f"The page could not be acknowledged: {err.message}"[:300]
    return "Acknowledged. Your escalation stops here. Goodbye."


def _who(form: dict[str, str]) -> dict[str, Any]:
    """What the audit keeps of a refused callback: masked numbers, never the message body."""
    return {k: mask_address(form[k]) for k in ("From", "To") if form.get(k)}


def public_routes(core: Core) -> list[BaseRoute]:
    async def sms(request: Request) -> Response:
        note_operation(request.scope, "TwilioSms")
        form: dict[str, str] = {}
        try:
            form = await _verified_form(core, request)
            sid = form.get("MessageSid") or form.get("SmsSid")
            if not sid:
                raise Refused(400, "ValidationException", "the request has no MessageSid")
            await _first_time(core, f"sms:{sid}")
        except Refused as refused:
            return await _refuse(core, request, "TwilioSms", "twilio-sms", form, refused)
        return twiml("Message", await _handle_sms(core, form, source_ip(request.scope)))

    async def voice(request: Request) -> Response:
        note_operation(request.scope, "TwilioVoice")
        form: dict[str, str] = {}
        try:
            form = await _verified_form(core, request)
            page_arn = request.query_params.get("page")
            call = form.get("CallSid")
            if not page_arn or not call:
                raise Refused(400, "ValidationException", "the callback needs ?page= and a CallSid")
            await _first_time(core, f"voice:{call}:{page_arn}")
        except Refused as refused:
            return await _refuse(core, request, "TwilioVoice", "twilio-voice", form, refused)
        return twiml("Say", await _handle_voice(core, page_arn, form, source_ip(request.scope)))

    return [
        Route("/callbacks/twilio/sms", sms, methods=["POST"]),
        Route("/callbacks/twilio/voice", voice, methods=["POST"]),
    ]


async def _refuse(
    core: Core, request: Request, operation: str, origin: str, form: dict[str, str], refused: Refused
) -> Response:
    await audit_refusal(
        core, operation=operation, principal=anonymous(core, origin), origin=origin,
        params=_who(form), code=refused.code, message=refused.message, source_ip=source_ip(request.scope),
    )
    return Response(refused.message, refused.status, media_type="text/plain")
