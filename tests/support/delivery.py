"""A core that delivers for real: EMAIL to an aiosmtpd server (tests/support/mail.py) and SMS
and VOICE to a local HTTP server speaking Twilio's wire format (tests/paging/servers.py).

    async with delivering_core(data_dir, clock) as (core, client, sink, twilio):
        sink.fail_next_to("ana@example.com")   # the next DATA for ana answers 451 (retryable)
        twilio.fail_next(500, {...})             # the next Twilio request answers 500
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from core import open_core
from tests.paging.servers import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.support.http_server import LocalHTTPServer
from tests.support.mail import MailSink

FROM_NUMBER = "+15005550006"
TEMPORARY_FAILURE = "451 4.3.0 Mailbox temporarily unavailable, try again later"


class FlakyMailSink(MailSink):
    """A MailSink that can answer 451 to the next message for an address (not recorded)."""

    def __init__(self) -> None:
        super().__init__()
        self._failing: dict[str, int] = {}
        self.refused: list[list[str]] = []

    def fail_next_to(self, address: str, times: int = 1) -> None:
        self._failing[address] = self._failing.get(address, 0) + times

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        for rcpt in envelope.rcpt_tos:
            if self._failing.get(rcpt, 0) > 0:
                self._failing[rcpt] -= 1
                self.refused.append(list(envelope.rcpt_tos))
                return TEMPORARY_FAILURE
        return await super().handle_DATA(server, session, envelope)

    def pages_to(self, address: str) -> list[Any]:
        """Pages and bundles delivered to ``address`` (activation codes left out)."""
        return [m for m in self.to(address) if m["X-Cockpit-Kind"] != "activation"]


def twilio_pages_to(twilio: FakeTwilio, number: str) -> list[str]:
    """The text of every SMS (or the TwiML of every call) sent to ``number``, activation codes left out."""
    out = []
    for request in twilio.requests:
        if request.form.get("To") != number:
            continue
        text = request.form.get("Body") or request.form.get("Twiml") or ""
        if not re.search(r"activation code", text, re.IGNORECASE):
            out.append(text)
    return out


@asynccontextmanager
async def delivering_core(
    data_dir: Any, clock: Any, public_url: str | None = None
) -> AsyncIterator[tuple[Any, Any, FlakyMailSink, FakeTwilio]]:
    twilio = FakeTwilio()
    async with FlakyMailSink() as sink, LocalHTTPServer(twilio.app) as server:
        paging = {**sink.paging_config(), **({"public_url": public_url} if public_url else {}), "twilio": {
            "account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN, "from_number": FROM_NUMBER, "base_url": server.url}}
        async with open_core(data_dir, clock=clock, config={"paging": paging}) as core:
            client = core.client()
            await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
            yield core, client, sink, twilio
