"""EMAIL over SMTP (aiosmtplib): plain, STARTTLS or implicit TLS, with optional login.

The Message-ID is derived from the idempotency key, so a send retried after a crash carries
the same Message-ID and mail systems (and people) can recognise the duplicate.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

import aiosmtplib

from core.paging.base import DeliveryError, DeliveryResult, OutboundMessage, mask_address
from core.paging.config import EmailConfig

log = logging.getLogger(__name__)


def message_id_for(idempotency_key: str, from_address: str) -> str:
    """``<cockpit.<sha256(key)[:32]>@<sender domain>>``: stable for a key, always well formed."""
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:32]
    domain = parseaddr(from_address)[1].rpartition("@")[2] or "incident-cockpit.invalid"
    return f"<cockpit.{digest}@{domain}>"


def build_email(message: OutboundMessage, from_address: str, now: datetime) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = from_address
    msg["To"] = message.address
    msg["Subject"] = message.subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id_for(message.idempotency_key, from_address)
    msg["X-Cockpit-Delivery"] = message.idempotency_key
    msg["X-Cockpit-Kind"] = message.kind
    if message.incident_arn:
        msg["X-Cockpit-Incident"] = message.incident_arn
    if message.page_arn:
        msg["X-Cockpit-Page"] = message.page_arn
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(message.body)
    return msg


def _cert_error(exc: BaseException | None) -> ssl.SSLCertVerificationError | None:
    """aiosmtplib wraps TLS failures in SMTPConnectError; find a certificate rejection."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, ssl.SSLCertVerificationError):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _classify(exc: BaseException) -> DeliveryError:
    """Turn an aiosmtplib (or socket) failure into a DeliveryError; 4xx and network retry."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        retry = any(400 <= c < 500 for c in codes)
        first = exc.recipients[0] if exc.recipients else None
        text = f"{first.code} {first.message}" if first else "refused"
        return DeliveryError(
            f"SMTP server refused the recipient: {text}",
            retryable=retry,
            provider="smtp",
            code=first.code if first else None,
        )
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return DeliveryError(
            f"SMTP login rejected ({exc.code} {exc.message}); check paging.email.username/password",
            retryable=False,
            provider="smtp",
            code=exc.code,
        )
    if isinstance(exc, aiosmtplib.SMTPTimeoutError | asyncio.TimeoutError | TimeoutError):
        return DeliveryError(f"SMTP timed out: {exc}", retryable=True, provider="smtp")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        retry = 400 <= exc.code < 500 or exc.code == -1
        return DeliveryError(
            f"SMTP server answered {exc.code}: {exc.message}",
            retryable=retry,
            provider="smtp",
            code=exc.code,
        )
    if isinstance(exc, aiosmtplib.SMTPNotSupported):
        return DeliveryError(
            f"SMTP server does not support what paging.email asks for: {exc}",
            retryable=False,
            provider="smtp",
        )
    cert_error = _cert_error(exc)
    if cert_error is not None:
        return DeliveryError(
            f"SMTP server certificate rejected: {cert_error.verify_message or cert_error}; "
            "check paging.email.ca_file / validate_certs",
            retryable=False,
            provider="smtp",
        )
    if isinstance(exc, aiosmtplib.SMTPException | OSError | ssl.SSLError):
        return DeliveryError(
            f"SMTP connection failed: {type(exc).__name__}: {exc}", retryable=True, provider="smtp"
        )
    if isinstance(exc, ValueError):  # e.g. a non-ASCII address the server cannot take
        return DeliveryError(
            f"SMTP cannot send this message: {type(exc).__name__}: {exc}",
            retryable=False,
            provider="smtp",
        )
    return DeliveryError(f"SMTP send failed: {type(exc).__name__}", retryable=True, provider="smtp")


class SmtpProvider:
    name = "smtp"
    channel = "EMAIL"

    def __init__(self, config: EmailConfig) -> None:
        self.config = config

    def _tls_context(self) -> ssl.SSLContext | None:
        cfg = self.config
        if cfg.security == "none" or (cfg.ca_file is None and cfg.validate_certs):
            return None
        ctx = ssl.create_default_context(cafile=str(cfg.ca_file) if cfg.ca_file else None)
        if not cfg.validate_certs:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        return ctx

    async def send(self, message: OutboundMessage, now: datetime) -> DeliveryResult:
        cfg = self.config
        if message.channel_type != "EMAIL":
            raise DeliveryError(
                f"the SMTP provider cannot send {message.channel_type} messages",
                retryable=False,
                provider="smtp",
            )
        if "@" not in message.address or any(c in message.address for c in "\r\n<>"):
            raise DeliveryError(
                f"{message.address!r} is not an email address", retryable=False, provider="smtp"
            )
        email = build_email(message, cfg.from_address, now)
        kwargs: dict[str, Any] = {
            "hostname": cfg.host,
            "port": cfg.port,
            "timeout": cfg.timeout_seconds,
            "use_tls": cfg.security == "tls",
            "start_tls": cfg.security == "starttls",
            "validate_certs": cfg.validate_certs,
        }
        ctx = self._tls_context()
        if ctx is not None:
            kwargs["tls_context"] = ctx
        if cfg.username is not None and cfg.password is not None:
            kwargs["username"] = cfg.username
            kwargs["password"] = cfg.password.get_secret_value()
        try:
            errors, response = await aiosmtplib.send(email, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a DeliveryError
            err = _classify(exc)
            log.warning(
                "email %s to %s failed (retryable=%s): %s",
                message.idempotency_key,
                mask_address(message.address),
                err.retryable,
                err.message,
            )
            raise err from None
        message_id = email["Message-ID"]
        log.info(
            "email %s sent to %s as %s",
            message.idempotency_key,
            mask_address(message.address),
            message_id,
        )
        return DeliveryResult(provider="smtp", provider_message_id=message_id, detail=response)

    def describe(self) -> dict[str, Any]:
        cfg = self.config
        return {
            "name": self.name,
            "channel": self.channel,
            "configured": True,
            "target": f"{cfg.host}:{cfg.port} ({cfg.security})",
            "from": cfg.from_address,
            "username": cfg.username,
            "authentication": cfg.password is not None,
        }

    def __repr__(self) -> str:
        cfg = self.config
        return f"SmtpProvider(host={cfg.host!r}, port={cfg.port}, security={cfg.security!r})"
