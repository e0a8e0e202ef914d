"""Pure text formatting for incident data (no Textual, no I/O): durations, ARNs, channels."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from core.timeutil import (
    format_duration as format_duration,  # the one duration style: tiles, tables, the core's texts
)

EMPTY = "–"
TIME_FORMAT = "%Y-%m-%d %H:%M"
"""How a form shows, and people type, a time: ``2026-03-02 09:00``."""


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


def zone_name(zone: tzinfo | None, at: datetime) -> str:
    """The name of the zone times are shown in, as it reads at ``at``: ``UTC``, ``CET``
    (``zone`` None: the system's local zone)."""
    return at.astimezone(zone).tzname() or "local"


def utc_text(value: datetime) -> str:
    """An aware datetime as a form's "(UTC)" field shows it: ``2026-03-02 09:00``."""
    return value.astimezone(UTC).strftime(TIME_FORMAT)


def parse_utc(text: str) -> datetime | None:
    """What was typed in a "(UTC)" field (``2026-03-02 09:00``), or None if it is not a time."""
    try:
        return datetime.strptime(text.strip(), TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


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


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``1 item``, ``2 items``, ``0 items``: a count with its noun in the right number
    (``plural`` for a noun that does not just take an s: ``counted(2, "entry", "entries")``)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, ending in "…" when it was longer."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
