from __future__ import annotations

import asyncio
import email
import email.policy
import logging
from email.utils import parsedate_to_datetime

import pytest

from core.paging.base import DeliveryError, OutboundMessage
from core.paging.config import EmailConfig
from core.paging.email import SmtpProvider, message_id_for
from core.paging.render import render_page_email
from tests.paging.servers import SECRETS, SMTP_PASSWORD, SMTP_USER
from tests.support.http_server import refused_port

FROM = "Incident Cockpit <pager@cockpit.example.com>"


def page(key: str = "page-0001", address: str = "oncall@example.com") -> OutboundMessage:
    text = render_page_email(
        title="Checkout API <5xx> & timeouts",
        impact=1,
        accept_code="482913",
        ack_url="https://cockpit.example.com/ack/tok123",
        incident_arn="arn:aws:ssm-incidents::111122223333:incident-record/api-outage/abc",
    )
    return OutboundMessage(
        idempotency_key=key,
        channel_type="EMAIL",
        address=address,
        kind="page",
        subject=text.subject,
        body=text.body,
        short_body=text.short_body,
        accept_code="482913",
        incident_arn="arn:aws:ssm-incidents::111122223333:incident-record/api-outage/abc",
        page_arn="arn:aws:ssm-contacts:local:111122223333:page/alice/p1",
        ack_url="https://cockpit.example.com/ack/tok123",
    )


def provider(server, **overrides) -> SmtpProvider:
    cfg = {
        "host": server.host,
        "port": server.port,
        "security": "none",
        "from_address": FROM,
        "timeout_seconds": 5,
    }
    cfg.update(overrides)
    return SmtpProvider(EmailConfig(**cfg))


def parse(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


async def received(server) -> email.message.EmailMessage:
    await asyncio.wait_for(server.handler.received.wait(), 5)
    server.handler.received.clear()
    return parse(server.handler.envelopes[-1])


async def test_page_email_arrives_with_message_id_subject_and_accept_code(smtp_server, now):
    msg = page()
    result = await provider(smtp_server).send(msg, now)
    got = await received(smtp_server)

    assert result.provider == "smtp"
    assert result.provider_message_id == message_id_for("page-0001", FROM)
    assert got["Message-ID"] == result.provider_message_id
    assert got["Message-ID"].endswith("@cockpit.example.com>")
    assert got["Subject"] == "1 Critical incident: Checkout API <5xx> & timeouts"
    assert got["To"] == "oncall@example.com"
    assert got["X-Cockpit-Delivery"] == "page-0001"
    assert got["X-Cockpit-Page"] == msg.page_arn
    assert parsedate_to_datetime(got["Date"]) == now
    body = got.get_content()
    assert "Accept code: 482913" in body
    assert "Impact:   1 Critical" in body
    assert "https://cockpit.example.com/ack/tok123" in body
    env = smtp_server.handler.envelopes[-1]
    assert env.mail_from == "pager@cockpit.example.com"
    assert env.rcpt_tos == ["oncall@example.com"]


async def test_a_retried_send_carries_the_same_message_id(smtp_server, now):
    prov = provider(smtp_server)
    first = await prov.send(page("page-42"), now)
    a = await received(smtp_server)
    second = await prov.send(page("page-42"), now)
    b = await received(smtp_server)
    other = await prov.send(page("page-43"), now)
    assert first.provider_message_id == second.provider_message_id != other.provider_message_id
    assert a["Message-ID"] == b["Message-ID"]


async def test_login_with_username_and_password(smtp_server_factory, now):
    server = await smtp_server_factory(auth=True)
    prov = provider(server, username=SMTP_USER, password=SMTP_PASSWORD)
    await prov.send(page(), now)
    await received(server)
    assert server.logins == [SMTP_USER]


async def test_rejected_login_is_not_retryable_and_never_shows_the_password(
    smtp_server_factory, now, caplog
):
    caplog.set_level(logging.DEBUG)
    server = await smtp_server_factory(auth=True)
    prov = provider(server, username=SMTP_USER, password="wrong-" + SMTP_PASSWORD)
    with pytest.raises(DeliveryError) as info:
        await prov.send(page(), now)
    err = info.value
    assert err.retryable is False
    assert err.code == 535
    assert "username/password" in str(err)
    for secret in SECRETS:
        assert secret not in str(err)
        assert secret not in repr(err)
        assert secret not in caplog.text
        assert secret not in repr(prov)
        assert secret not in str(prov.describe())
    assert server.handler.envelopes == []


@pytest.mark.parametrize(
    ("reply", "retryable"),
    [("550 5.1.1 No such user here", False), ("450 4.2.1 Mailbox busy, try later", True)],
)
async def test_refused_recipient_maps_smtp_class_to_retryability(
    smtp_server, now, reply, retryable
):
    smtp_server.handler.rcpt_reply = reply
    with pytest.raises(DeliveryError) as info:
        await provider(smtp_server).send(page(), now)
    assert info.value.retryable is retryable
    assert info.value.code == int(reply[:3])
    assert reply[4:] in str(info.value)


async def test_unreachable_server_is_retryable(now):
    with refused_port() as port:
        cfg = EmailConfig(
            host="127.0.0.1", port=port, security="none", from_address=FROM, timeout_seconds=5
        )
        with pytest.raises(DeliveryError) as info:
            await SmtpProvider(cfg).send(page(), now)
    assert info.value.retryable is True
    assert info.value.provider == "smtp"


async def test_bad_address_is_not_retryable(smtp_server, now):
    with pytest.raises(DeliveryError) as info:
        await provider(smtp_server).send(page(address="not-an-address"), now)
    assert info.value.retryable is False
    assert smtp_server.handler.envelopes == []


async def test_starttls_with_a_private_ca(smtp_server_factory, tls, now):
    server = await smtp_server_factory(auth=True, starttls_ctx=tls.server_context())
    prov = provider(
        server,
        security="starttls",
        ca_file=str(tls.cert_file),
        username=SMTP_USER,
        password=SMTP_PASSWORD,
    )
    await prov.send(page(), now)
    got = await received(server)
    assert "482913" in got.get_content()
    assert server.logins == [SMTP_USER]


async def test_implicit_tls(smtp_server_factory, tls, now):
    server = await smtp_server_factory(implicit_tls_ctx=tls.server_context())
    await provider(server, security="tls", ca_file=str(tls.cert_file)).send(page(), now)
    got = await received(server)
    assert got["X-Cockpit-Delivery"] == "page-0001"


async def test_certificate_checks_can_be_switched_off(smtp_server_factory, tls, now):
    server = await smtp_server_factory(implicit_tls_ctx=tls.server_context())
    await provider(server, security="tls", validate_certs=False).send(page(), now)
    await received(server)


async def test_untrusted_certificate_is_refused(smtp_server_factory, tls, now):
    server = await smtp_server_factory(implicit_tls_ctx=tls.server_context())
    with pytest.raises(DeliveryError) as info:
        await provider(server, security="tls").send(page(), now)
    assert "certificate" in str(info.value).lower()
    assert info.value.retryable is False
    assert server.handler.envelopes == []


def test_describe_shows_target_not_secrets():
    prov = SmtpProvider(
        EmailConfig(
            host="smtp.example.com",
            port=587,
            username=SMTP_USER,
            password=SMTP_PASSWORD,
            from_address=FROM,
        )
    )
    info = prov.describe()
    assert info["name"] == "smtp" and info["channel"] == "EMAIL"
    assert info["target"] == "smtp.example.com:587 (starttls)"
    assert SMTP_PASSWORD not in repr(info) + repr(prov) + repr(prov.config)
