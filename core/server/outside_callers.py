"""Callers that hold no access key: a phone answering through Twilio, a person following an
email link. Each acts as a narrow principal named for where it came from (``sms/+15551234567``,
``email-link/<contact>``), allowed only the actions its route performs, so every
acknowledgement it makes is audited with who and from where, like any other call. A refused
callback (bad signature, replay, used token) is audited too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from core.security import audit
from core.security.principals import Principal
from core.server.framing import body_of

if TYPE_CHECKING:
    from core.runtime import Core

PHONE_ACTIONS = frozenset({
    "cockpit:AcceptPageByCode",
    "ssm-contacts:AcceptPage",
    "ssm-contacts:DeactivateContactChannel",
    "ssm-contacts:SendActivationCode",
})
LINK_ACTIONS = frozenset({"ssm-contacts:AcceptPage"})


def accept_read(page_arn: str, note: str) -> dict[str, str]:
    """AcceptPage (READ) for a caller whose signature or token already proved the page: the
    code is not what authenticates them, so it is not checked (IGNORE takes any value)."""
    return {"PageId": page_arn, "AcceptType": "READ", "AcceptCode": "000000",
            "AcceptCodeValidation": "IGNORE", "Note": note}


class Refused(Exception):
    """A callback refused: its HTTP status, error code and a message for the caller."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def form_of(request: Request) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body (what Twilio and an HTML form post)."""
    try:
        return dict(parse_qsl(body_of(request.scope).decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        raise Refused(400, "SerializationException", "the form is not UTF-8") from None


def outside_principal(core: Core, kind: str, who: str, actions: frozenset[str]) -> Principal:
    return Principal(
        arn=f"arn:aws:iam::{core.account_id}:user/{kind}/{who}", name=f"{kind} {who}", allowed_actions=actions
    )


def anonymous(core: Core, kind: str) -> Principal:
    """Whoever sent a request that was refused before we knew who they are."""
    return outside_principal(core, kind, "unverified", frozenset())


async def audit_refusal(
    core: Core, *, operation: str, principal: Principal, origin: str, params: dict[str, Any], code: str,
    message: str, source_ip: str | None,
) -> None:
    async with core.db.transaction() as tx:
        await audit.record(
            tx,
            when=core.clock.now(),
            operation=operation,
            principal=principal,
            origin=origin,
            params=params,
            result=code,
            error_message=message,
            source_ip=source_ip,
        )
