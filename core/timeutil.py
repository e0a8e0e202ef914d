"""Conversions between aware datetimes and the store's integer microseconds, and the one way
a duration is written for people (the cockpit's tiles and tables, the core's messages)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_us(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value - _EPOCH) // timedelta(microseconds=1)


def from_us(value: int | None) -> datetime | None:
    return None if value is None else _EPOCH + timedelta(microseconds=value)


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def parse_timestamp(value: object) -> datetime:
    """Accept what the bindings carry: a datetime, epoch seconds, or ISO 8601 text."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, bool):
        raise ValueError("not a timestamp")
    if isinstance(value, int | float):
        return _EPOCH + timedelta(seconds=float(value))
    if isinstance(value, str):
        text = value.strip()
        try:
            return _EPOCH + timedelta(seconds=float(text))
        except ValueError:
            pass
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise ValueError("not a timestamp")


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
