"""A real aiosmtpd SMTP server on 127.0.0.1 that parses what it receives.

    async with MailSink() as sink:
        config = {"paging": sink.paging_config()}
        ...
        msg = await sink.wait_for(lambda m: m["Subject"].startswith("1 Critical"))

Every message is parsed (``email.message_from_bytes``) and time-stamped with
``time.perf_counter()`` when the DATA command completes; ``by_message_id`` counts deliveries
per Message-ID (the crash test's duplicate check). Waiting is on an asyncio.Condition that the
handler notifies, never a sleep.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage as Message
from typing import Any

from aiosmtpd.smtp import SMTP

FROM_ADDRESS = "Incident Cockpit <pager@cockpit.test>"


@dataclass
class Received:
    message: Message
    rcpt_tos: list[str]
    at: float  # time.perf_counter() when the server accepted it

    def __getitem__(self, header: str) -> str:
        return str(self.message[header] or "")

    @property
    def text(self) -> str:
        return self.message.get_content()  # type: ignore[attr-defined]

    def code(self, label: str) -> str:
        match = re.search(rf"{label}:\s*(\d{{6}})\b", self.text)
        assert match, f"no {label!r} in:\n{self.text}"
        return match.group(1)


class MailSink:
    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.on_receive: Callable[[Received], None] | None = None
        self._cond = asyncio.Condition()
        self._server: asyncio.AbstractServer | None = None
        self.host = "127.0.0.1"
        self.port = 0

    # aiosmtpd handler hook
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        received = Received(email.message_from_bytes(envelope.original_content or envelope.content,
                                                           policy=email.policy.default),
                            list(envelope.rcpt_tos), time.perf_counter())
        self.messages.append(received)
        if self.on_receive is not None:
            self.on_receive(received)
        async with self._cond:
            self._cond.notify_all()
        return "250 2.0.0 Message accepted for delivery"

    async def __aenter__(self) -> MailSink:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SMTP(self, hostname="smtp.test", loop=loop), self.host, 0
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def paging_config(self) -> dict[str, Any]:
        return {"email": {"host": self.host, "port": self.port, "security": "none",
                          "from_address": FROM_ADDRESS, "timeout_seconds": 10}}

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]

    def by_message_id(self) -> Counter[str]:
        return Counter(m["Message-ID"] for m in self.messages)

    async def wait_for(self, predicate: Callable[[Received], bool]) -> Received:
        """The first received message matching ``predicate`` (waits on the handler's notify;
        bound it with ``asyncio.timeout``)."""
        async with self._cond:
            while True:
                for m in self.messages:
                    if predicate(m):
                        return m
                await self._cond.wait()
