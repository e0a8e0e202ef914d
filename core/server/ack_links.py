"""``/ack/{token}``: the acknowledgement link of a page's email (core.engine.ack_links).

``GET`` only shows what the link would acknowledge, with a button; the button's ``POST``
acknowledges (AcceptPage, READ), so a mail scanner that follows links acknowledges nothing.
The form carries the page's ARN and the POST must name the same page: the token is bound to
it. A token works once, and only while its engagement runs and its page is unread; anything
else is refused with a page saying why, and audited.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from core.engine.ack_links import token_hash
from core.errors import ServiceError
from core.ops.dispatch import dispatch
from core.server.framing import note_operation, source_ip
from core.server.outside_callers import (
    LINK_ACTIONS,
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

OPERATION = "AckLink"
ORIGIN = "email-link"


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        "<!doctype html><html><head><meta charset='utf-8'><meta name='robots' content='noindex'>"
        f"<meta name='viewport' content='width=device-width'><title>{html.escape(title)}</title></head>"
        f"<body style='font-family:sans-serif;max-width:36em;margin:2em auto'><h1>{html.escape(title)}</h1>"
        f"{body}</body></html>",
        status,
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


async def _link(core: Core, token: str) -> Any:
    """The link's page, its incident and engagement; Refused if it cannot acknowledge."""
    async with core.db.transaction() as tx:
        row = await tx.fetchone(
            "SELECT a.used_us, p.arn AS page_arn, p.read_us, p.contact_arn, e.stop_us, e.acked_us,"
            " c.alias, i.title FROM ack_links a JOIN pages p ON p.arn = a.page_arn"
            " JOIN engagements e ON e.arn = p.engagement_arn LEFT JOIN contacts c ON c.arn = p.contact_arn"
            " LEFT JOIN incidents i ON i.arn = p.incident_id WHERE a.token_hash = ?",
            (token_hash(token),),
        )
    if row is None:
        raise Refused(404, "ResourceNotFoundException", "This link is not a valid acknowledgement link.")
    if row["used_us"] is not None:
        raise Refused(410, "ConflictException", "This link was already used.")
    if row["read_us"] is not None or row["acked_us"] is not None:
        raise Refused(410, "ConflictException", "This page was already acknowledged.")
    if row["stop_us"] is not None:
        raise Refused(410, "ConflictException", "This engagement has ended; the link no longer works.")
    return row


async def _use(core: Core, token: str) -> bool:
    """Use the token up; False if another request did first."""
    async with core.db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE ack_links SET used_us = ? WHERE token_hash = ? AND used_us IS NULL",
            (to_us(core.clock.now()), token_hash(token)),
        )
    return changed == 1


async def _unuse(core: Core, token: str) -> None:
    async with core.db.transaction() as tx:
        await tx.execute("UPDATE ack_links SET used_us = NULL WHERE token_hash = ?", (token_hash(token),))


def public_routes(core: Core) -> list[BaseRoute]:
    async def confirm(request: Request) -> Response:
        note_operation(request.scope, OPERATION)
        token = request.path_params["token"]
        try:
            row = await _link(core, token)
        except Refused as refused:
            return await _refuse(core, request, refused)
        title = html.escape(row["title"] or "an engagement")
        who = html.escape(row["alias"] or row["contact_arn"])
        return _page(
            "Acknowledge this page?",
            f"<p>Page for <b>{who}</b> about <b>{title}</b>.</p>"
            "<p>Acknowledging stops this engagement from paging you again.</p>"
            "<form method='post'>"
            f"<input type='hidden' name='page' value='{html.escape(row['page_arn'], quote=True)}'>"
            "<button type='submit' style='font-size:1.2em'>Acknowledge</button></form>",
        )

    async def acknowledge(request: Request) -> Response:
        note_operation(request.scope, OPERATION)
        token = request.path_params["token"]
        try:
            row = await _link(core, token)
            form = form_of(request)
            if form.get("page") != row["page_arn"]:
                raise Refused(400, "ValidationException", "The form does not belong to this link.")
            if not await _use(core, token):
                raise Refused(410, "ConflictException", "This link was already used.")
        except Refused as refused:
            return await _refuse(core, request, refused)
        principal = outside_principal(core, ORIGIN, row["alias"] or "contact", LINK_ACTIONS)
        try:
            await dispatch(core, principal, "AcceptPage", accept_read(row["page_arn"], "email link"), ORIGIN,
                           source_ip(request.scope))
        except ServiceError as err:
            await _unuse(core, token)
            return _page("Not acknowledged", f"<p>{html.escape(err.message)}</p>", err.http_status)
        return _page("Acknowledged", "<p>Thank you. Your escalation stops here.</p>")

    return [Route("/ack/{token}", confirm, methods=["GET"]), Route("/ack/{token}", acknowledge, methods=["POST"])]


async def _refuse(core: Core, request: Request, refused: Refused) -> Response:
    await audit_refusal(
        core, operation=OPERATION, principal=anonymous(core, ORIGIN), origin=ORIGIN,
        params={}, code=refused.code, message=refused.message, source_ip=source_ip(request.scope),
    )
    return _page("Not acknowledged", f"<p>{html.escape(refused.message)}</p>", refused.status)
