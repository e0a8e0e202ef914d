"""Pure text formatting for incident data (no Textual, no I/O): durations, ARNs, channels."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

EMPTY = "–"


def format_duration(delta: timedelta) -> str:
    """A compact, stable-width duration: ``45s``, ``12m 03s``, ``1h 05m``, ``2d 03h``."""
    seconds = max(0, int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def plan_name(incident_arn: str) -> str:
    """The response plan's name, from ``...:incident-record/{plan}/{id}``."""
    resource = incident_arn.split(":", 5)[-1]
    parts = resource.split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == "incident-record" else EMPTY


def chat_channel_label(channel: dict[str, Any] | None) -> str:
    """A chat channel as text: the SNS topic names, or a dash when there is none."""
    topics = (channel or {}).get("chatbotSns") or []
    if not topics:
        return EMPTY
    return ", ".join(topic.rsplit(":", 1)[-1] for topic in topics)


def local_time(value: datetime | None, zone: tzinfo | None, with_date: bool = True) -> str:
    """An aware datetime in the reader's zone (``zone`` None: the system's local zone)."""
    if value is None:
        return EMPTY
    shown = value.astimezone(zone)
    return shown.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M:%S")


def short_time(value: datetime | None, zone: tzinfo | None) -> str:
    """``03-08 22:00``: an aware datetime in the reader's zone without the year, for a table
    that must fit 80 columns."""
    return EMPTY if value is None else value.astimezone(zone).strftime("%m-%d %H:%M")


def near_time(value: datetime | None, now: datetime, zone: tzinfo | None) -> str:
    """``22:00`` on the reader's today, ``03-08 22:00`` on another day: a time column that
    leaves room for the others at 80 columns."""
    if value is None:
        return EMPTY
    local = value.astimezone(zone)
    return local.strftime("%H:%M" if local.date() == now.astimezone(zone).date() else "%m-%d %H:%M")


def names_label(names: tuple[str, ...] | list[str], none: str = EMPTY, shown: int = 3) -> str:
    """``Ana, Ben, Carl +2``: the first ``shown`` names and how many more; ``none`` if empty."""
    if not names:
        return none
    more = f" +{len(names) - shown}" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def alias_of(arn: str) -> str:
    """``...:contact/alice`` -> ``alice``; also rotations and response plans."""
    return arn.rsplit("/", 1)[-1]
