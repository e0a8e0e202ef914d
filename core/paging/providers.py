"""Which provider delivers each channel type, built from the ``paging:`` configuration."""

from __future__ import annotations

from typing import Any

from core.paging.base import CHANNEL_TYPES, Provider
from core.paging.config import PagingConfig, parse_paging_config


def build_providers(config: PagingConfig | dict[str, Any] | None) -> dict[str, Provider]:
    """Channel type -> provider; a channel type with nothing configured goes to the LOCAL outbox."""
    # each provider is imported only when it is configured: httpx (and, through it, rich) and
    # aiosmtplib are not needed to import the core, nor to open one that does not use them
    from core.paging.local import LocalProvider

    cfg = parse_paging_config(config)
    providers: dict[str, Provider] = {ct: LocalProvider(ct) for ct in CHANNEL_TYPES}
    if cfg.email is not None:
        from core.paging.email import SmtpProvider

        providers["EMAIL"] = SmtpProvider(cfg.email)
    if cfg.twilio is not None:
        from core.paging.twilio import TwilioProvider

        providers["SMS"] = TwilioProvider(cfg.twilio, channel="SMS")
        providers["VOICE"] = TwilioProvider(cfg.twilio, channel="VOICE")
    if cfg.webhook is not None:
        from core.paging.webhook import WebhookProvider

        providers["WEBHOOK"] = WebhookProvider(cfg.webhook)
    return providers
