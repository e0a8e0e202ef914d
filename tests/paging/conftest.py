"""Fixtures: real local servers for the delivery providers (see servers.py for the doubles)."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
import warnings
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.paging.servers import (
    NOW,
    FakeTwilio,
    RecordingHandler,
    SmtpServer,
    TlsMaterial,
    WebhookReceiver,
    authenticator_for,
)
from tests.support.http_server import LocalHTTPServer


@pytest.fixture
def now() -> dt.datetime:
    return NOW


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsMaterial:
    """A self-signed certificate for 127.0.0.1 / localhost; clients trust it via ca_file."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365 * 30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    d = tmp_path_factory.mktemp("tls")
    cert_file, key_file = d / "cert.pem", d / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return TlsMaterial(cert_file, key_file)


@pytest.fixture
async def smtp_server_factory() -> AsyncIterator[Callable[..., Any]]:
    """``await factory(auth=False, starttls_ctx=None, implicit_tls_ctx=None)`` -> SmtpServer."""
    servers: list[asyncio.AbstractServer] = []
    loop = asyncio.get_running_loop()

    async def start(
        *,
        auth: bool = False,
        starttls_ctx: ssl.SSLContext | None = None,
        implicit_tls_ctx: ssl.SSLContext | None = None,
    ) -> SmtpServer:
        handler = RecordingHandler()
        logins: list[str] = []

        def protocol() -> SMTP:
            with warnings.catch_warnings():  # plaintext AUTH is fine on 127.0.0.1 in tests
                warnings.simplefilter("ignore", UserWarning)
                return _smtp()

        def _smtp() -> SMTP:
            return SMTP(
                handler,
                hostname="smtp.test",
                loop=loop,
                tls_context=starttls_ctx,
                require_starttls=starttls_ctx is not None,
                auth_required=auth,
                auth_require_tls=starttls_ctx is not None,
                authenticator=authenticator_for(logins) if auth else None,
            )

        server = await loop.create_server(protocol, "127.0.0.1", 0, ssl=implicit_tls_ctx)
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        return SmtpServer("127.0.0.1", port, handler, logins)

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


@pytest.fixture
async def smtp_server(smtp_server_factory) -> SmtpServer:
    return await smtp_server_factory()


@pytest.fixture
async def fake_twilio() -> AsyncIterator[FakeTwilio]:
    fake = FakeTwilio()
    async with LocalHTTPServer(fake.app) as server:
        fake.url = server.url
        yield fake


@pytest.fixture
async def webhook_receiver() -> AsyncIterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    async with LocalHTTPServer(receiver.app) as server:
        receiver.url = server.url
        yield receiver
