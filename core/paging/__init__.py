"""Delivery providers: EMAIL (SMTP), SMS and VOICE (Twilio), WEBHOOK (signed JSON), LOCAL."""

from core.paging.base import (
    CHANNEL_TYPES,
    DeliveryError,
    DeliveryResult,
    OutboundMessage,
    Provider,
)
from core.paging.config import PagingConfig, build_providers, parse_paging_config

__all__ = [
    "CHANNEL_TYPES",
    "DeliveryError",
    "DeliveryResult",
    "OutboundMessage",
    "PagingConfig",
    "Provider",
    "build_providers",
    "parse_paging_config",
]
