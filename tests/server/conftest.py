"""A real core served over HTTP on 127.0.0.1 (uvicorn in-process), with users and keys; and
one that pages through (fake) Twilio and real SMTP, reachable back through its public_url."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from core import open_core
from core.runtime import Core
from core.server.app import build_server_app
from tests.paging.servers import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.support.http_server import LocalHTTPServer
from tests.support.mail import MailSink
from tests.support.served import Served, served_core


@pytest.fixture
async def served(core: Core) -> AsyncIterator[Served]:
    """The core (FakeClock) behind its HTTP server: see tests/support/served.py."""
    async with served_core(core) as running:
        yield running


class _AppLater:
    """An ASGI app set after the server's URL is known (the core's public_url needs it)."""

    app = None

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)


@dataclass
class Reachable:
    """A core that pages through (fake) Twilio and real SMTP, served on 127.0.0.1 with its
    public_url pointing at that server, so SMS replies, calls and email links come back."""

    core: Core
    url: str
    twilio: FakeTwilio
    mail: MailSink


@pytest.fixture
async def reachable(data_dir, clock) -> AsyncIterator[Reachable]:
    twilio = FakeTwilio()
    later = _AppLater()
    async with LocalHTTPServer(twilio.app) as twilio_server, MailSink() as mail:
        twilio.url = twilio_server.url
        server = LocalHTTPServer(later)
        paging = {
            **mail.paging_config(),
            "twilio": {"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN,
                       "from_number": "+15005550006", "base_url": twilio.url},
            "public_url": server.url,
        }
        async with open_core(data_dir, clock=clock, config={"paging": paging}) as core:
            later.app = build_server_app(core)
            await core.client().call("CreateReplicationSet", {"regions": {core.region: {}}})
            async with server:
                try:
                    yield Reachable(core, server.url, twilio, mail)
                finally:
                    core.bus.close()
