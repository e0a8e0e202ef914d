"""aws:sleep's ``Duration`` (ISO-8601, e.g. PT10M, P1DT2H) and ``Timestamp`` (ISO-8601 time)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

MAX_SLEEP = timedelta(days=7)  # as SSM Automation's aws:sleep
_DURATION_RE = re.compile(
    r"^P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text: object) -> timedelta:
    """An ISO-8601 duration; ValueError saying what is wrong."""
    if not isinstance(text, str):
        raise ValueError(f"Duration must be ISO-8601 text such as PT10M, not {type(text).__name__}")
    m = _DURATION_RE.match(text.strip())
    if m is None or text.strip() in ("P", "PT") or text.strip().endswith("T"):
        raise ValueError(f"Duration {text!r} is not an ISO-8601 duration such as PT10M or P1DT2H")
    parts = {k: float(v) for k, v in m.groupdict().items() if v is not None}
    value = timedelta(**parts)
    if value <= timedelta(0):
        raise ValueError(f"Duration {text!r} must be longer than zero")
    if value > MAX_SLEEP:
        raise ValueError(f"Duration {text!r} is longer than the 7 days a sleep may last")
    return value


def parse_instant(text: object) -> datetime:
    """An ISO-8601 timestamp (UTC when it names no zone); ValueError saying what is wrong."""
    if not isinstance(text, str):
        raise ValueError(f"Timestamp must be ISO-8601 text such as 2026-03-02T10:00:00Z, not {type(text).__name__}")
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"Timestamp {text!r} is not an ISO-8601 time such as 2026-03-02T10:00:00Z") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
