"""Who is calling: every route outside ``public_routes`` sits behind ``Authenticate``.

Two credentials, one user's access key either way:

* ``Authorization: Bearer <AccessKeyId>:<SecretAccessKey>`` (the native binding's simple form);
* SigV4 (what boto3 and the AWS CLI send), verified in core.server.sigv4.

Deny by default: a request with no credential, an unknown key, a disabled user, a wrong secret
or signature is answered with AWS's error for it and never reaches a route. The secret is
compared in constant time and never logged.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from core.errors import ServiceError
from core.ops.users import resolve_access_key
from core.security.principals import Principal
from core.server import sigv4
from core.server.errors import (
    IncompleteSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)
from core.server.framing import CALLER, body_of, source_ip
from core.server.wire import error_response

if TYPE_CHECKING:
    from core.runtime import Core

_UNRECOGNIZED = "The security token included in the request is invalid."


@dataclass(frozen=True)
class Caller:
    principal: Principal
    access_key_id: str
    source_ip: str | None


def caller(request: Request) -> Caller:
    """The authenticated caller of a request that passed ``Authenticate``."""
    return request.scope[CALLER]


def _headers(scope: Scope) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in scope["headers"]:
        out.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
    return out


def _authorization(scope: Scope) -> str | None:
    """The first Authorization header (what ``_headers`` would give first), without decoding
    every header: a Bearer call needs only this one."""
    for name, value in scope["headers"]:
        if name.lower() == b"authorization":
            return value.decode("latin-1")
    return None


async def _lookup(core: Core, access_key_id: str) -> tuple[Principal, str]:
    found = await resolve_access_key(core, access_key_id)
    if found is None:
        raise UnrecognizedClientException(_UNRECOGNIZED)
    return found


async def authenticate(core: Core, scope: Scope) -> Caller:
    value = _authorization(scope)
    if value is None or not value.strip():
        raise MissingAuthenticationTokenException(
            "Missing Authentication Token: sign the request with SigV4, or send "
            "'Authorization: Bearer ACCESS_KEY_ID:SECRET_ACCESS_KEY' (`cockpit user create` makes a key)"
        )
    value = value.strip()
    if value.startswith("Bearer "):
        key_id, sep, secret = value[len("Bearer "):].strip().partition(":")
        if not sep or not key_id or not secret:
            raise IncompleteSignatureException(
                "a Bearer credential is 'Bearer ACCESS_KEY_ID:SECRET_ACCESS_KEY'"
            )
        principal, expected = await _lookup(core, key_id)
        if not hmac.compare_digest(expected.encode(), secret.encode()):
            raise UnrecognizedClientException(_UNRECOGNIZED)
        return Caller(principal, key_id, source_ip(scope))
    if value.startswith(sigv4.ALGORITHM + " "):
        credential = sigv4.parse_authorization(value)
        principal, secret = await _lookup(core, credential.access_key_id)
        sigv4.verify(
            credential,
            secret,
            method=scope["method"],
            raw_path=scope.get("raw_path", scope["path"].encode()).decode("latin-1"),
            query=scope.get("query_string", b"").decode("latin-1"),
            headers=_headers(scope),
            body=body_of(scope),
            now=core.clock.now(),
        )
        return Caller(principal, credential.access_key_id, source_ip(scope))
    scheme = value.split(" ", 1)[0]
    raise IncompleteSignatureException(
        f"unsupported Authorization scheme {scheme[:40]!r}: use SigV4 (AWS4-HMAC-SHA256) or Bearer"
    )


class Authenticate:
    """ASGI middleware: authenticate, then pass the caller to the route in the scope."""

    def __init__(self, app: ASGIApp, core: Core) -> None:
        self.app = app
        self.core = core

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            scope[CALLER] = await authenticate(self.core, scope)
        except ServiceError as err:
            await error_response(err)(scope, receive, send)
            return
        await self.app(scope, receive, send)
