"""Delivery providers: EMAIL (SMTP), SMS and VOICE (Twilio), WEBHOOK (signed JSON), LOCAL."""

from core.paging.base import (
    CHANNEL_TYPES,
    DeliveryError,
    DeliveryResult,
    OutboundMessage,
    Provider,
)
from core.paging.config import PagingConfig, parse_paging_config
from core.paging.providers import build_providers

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
