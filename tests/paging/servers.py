"""Test doubles speaking real wire protocols, for tests/paging: an aiosmtpd handler, a fake
Twilio REST API and a webhook receiver (Starlette apps, served by tests/support/http_server),
plus the fixed secrets every leak test looks for. Fixtures live in conftest.py."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import itertools
import json
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from core.paging.webhook import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    verify_signature,
)

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "tw-auth-token-DO-NOT-LEAK-7f3a"
SMTP_USER = "pager@example.com"
SMTP_PASSWORD = "smtp-pass-DO-NOT-LEAK-91b2"
WEBHOOK_SECRET = "whsec-DO-NOT-LEAK-0123456789"
SECRETS = (AUTH_TOKEN, SMTP_PASSWORD, WEBHOOK_SECRET)


# ---------------------------------------------------------------- TLS material


@dataclass
class TlsMaterial:
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert_file, self.key_file)
        return ctx


# ---------------------------------------------------------------- SMTP


class RecordingHandler:
    """aiosmtpd handler: records each message and sets ``received``."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        self.received = asyncio.Event()
        self.rcpt_reply: str | None = None  # e.g. "550 5.1.1 No such user"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        self.received.set()
        return "250 2.0.0 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: RecordingHandler
    logins: list[str] = field(default_factory=list)


def authenticator_for(logins: list[str]):
    def authenticate(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = auth_data.login.decode() == SMTP_USER and auth_data.password.decode() == SMTP_PASSWORD
        if ok:
            logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)  # unhandled failure: aiosmtpd answers 535

    return authenticate


# ---------------------------------------------------------------- fake Twilio


@dataclass
class TwilioRequest:
    resource: str  # "Messages" | "Calls"
    account_sid: str
    form: dict[str, str]
    headers: dict[str, str]


class FakeTwilio:
    """Twilio's REST wire format (2010-04-01), enough for Messages and Calls.

    Checks basic auth and form encoding; answers 201 with a Twilio-like resource, or
    Twilio's error JSON. Test numbers follow Twilio's magic numbers: +15005550001 is
    invalid (21211), +15005550009 cannot receive SMS (21614). ``fail_next`` queues a
    canned answer (status, JSON body or text) for the next request.
    """

    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.requests: list[TwilioRequest] = []
        self.received = asyncio.Event()
        self.canned: list[tuple[int, Any]] = []
        self._ids = itertools.count(1)
        self.app = Starlette(
            routes=[
                Route(
                    "/2010-04-01/Accounts/{sid}/{resource}.json",
                    self.create,
                    methods=["POST"],
                )
            ]
        )
        self.url = ""

    def fail_next(self, status: int, body: Any) -> None:
        self.canned.append((status, body))

    @staticmethod
    def error(status: int, code: int, message: str) -> JSONResponse:
        return JSONResponse(
            {
                "code": code,
                "message": message,
                "more_info": f"https://www.twilio.com/docs/errors/{code}",
                "status": status,
            },
            status_code=status,
        )

    async def create(self, request: Request) -> Response:
        sid = request.path_params["sid"]
        resource = request.path_params["resource"]
        raw = await request.body()
        try:
            return await self._create(request, sid, resource, raw)
        finally:
            self.received.set()

    async def _create(self, request: Request, sid: str, resource: str, raw: bytes) -> Response:
        headers = {k.lower(): v for k, v in request.headers.items()}
        expected = (
            "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        )
        if headers.get("authorization") != expected or sid != self.account_sid:
            self.requests.append(TwilioRequest(resource, sid, {}, headers))
            return self.error(401, 20003, "Authenticate")
        if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            self.requests.append(TwilioRequest(resource, sid, {}, headers))
            return self.error(400, 20001, "Content-Type must be application/x-www-form-urlencoded")
        parsed = parse_qs(raw.decode("ascii"), keep_blank_values=True, strict_parsing=True)
        form = {k: v[0] for k, v in parsed.items()}
        self.requests.append(TwilioRequest(resource, sid, form, headers))
        if self.canned:
            status, body = self.canned.pop(0)
            if isinstance(body, str):
                return PlainTextResponse(body, status_code=status)
            return JSONResponse(body, status_code=status)
        if resource not in ("Messages", "Calls"):
            return self.error(404, 20404, "The requested resource was not found")
        to, from_ = form.get("To"), form.get("From")
        if not to:
            return self.error(400, 21604, "A 'To' phone number is required.")
        if not from_:
            return self.error(400, 21603, "A 'From' phone number is required.")
        if to == "+15005550001":
            return self.error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        n = next(self._ids)
        base = {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "date_created": "Mon, 02 Mar 2026 09:00:00 +0000",
            "date_updated": "Mon, 02 Mar 2026 09:00:00 +0000",
            "from": from_,
            "to": to,
            "status": "queued",
        }
        if resource == "Messages":
            if to == "+15005550009":
                return self.error(400, 21614, f"'To' number {to} is not a valid mobile number")
            if "Body" not in form:
                return self.error(400, 21602, "Message body is required.")
            msid = f"SM{n:032x}"
            body = {
                **base,
                "sid": msid,
                "body": form["Body"],
                "direction": "outbound-api",
                "num_segments": "1",
                "error_code": None,
                "error_message": None,
                "uri": f"/2010-04-01/Accounts/{sid}/Messages/{msid}.json",
            }
        else:
            if "Twiml" not in form and "Url" not in form:
                return self.error(400, 21205, "Url parameter is required.")
            csid = f"CA{n:032x}"
            body = {
                **base,
                "sid": csid,
                "direction": "outbound-api",
                "uri": f"/2010-04-01/Accounts/{sid}/Calls/{csid}.json",
            }
        return JSONResponse(body, status_code=201)


# ---------------------------------------------------------------- webhook receiver


@dataclass
class WebhookDelivery:
    headers: dict[str, str]
    body: bytes
    verified: bool


class WebhookReceiver:
    """Verifies each POST with ``verify_signature`` against ``receiver_now``; answers 204 when
    the signature holds, 401 when not, or ``status_override`` when set."""

    def __init__(self, secret: str = WEBHOOK_SECRET) -> None:
        self.secret = secret
        self.receiver_now = NOW
        self.status_override: int | None = None
        self.deliveries: list[WebhookDelivery] = []
        self.received = asyncio.Event()
        self.app = Starlette(routes=[Route("/hooks/{name}", self.hook, methods=["POST"])])
        self.url = ""

    async def hook(self, request: Request) -> Response:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        ok = verify_signature(
            self.secret,
            headers.get(TIMESTAMP_HEADER.lower()),
            body,
            headers.get(SIGNATURE_HEADER.lower()),
            now=self.receiver_now,
        )
        self.deliveries.append(WebhookDelivery(headers, body, ok))
        self.received.set()
        if self.status_override is not None:
            return Response(status_code=self.status_override)
        if not ok:
            return JSONResponse({"error": "bad signature"}, status_code=401)
        json.loads(body)
        return Response(
            status_code=204, headers={"X-Seen": headers.get(DELIVERY_HEADER.lower(), "")}
        )
