"""What every source's payload becomes: alerts, in one shape, for the intake to act on.

A normalizer (one module per source) turns a payload into a list of ``Alert``; a payload that
does not match its source's published format raises ``PayloadError`` naming what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class Action(StrEnum):
    TRIGGER = "trigger"  # start an incident, or join the open one with the same dedupe string
    RESOLVE = "resolve"  # a timeline event, and a resolution when the integration says so


class PayloadError(ValueError):
    """A payload that is not its type's format: the message names the member."""


@dataclass
class Alert:
    action: Action
    dedupe: str
    title: str
    source: str  # triggerDetails.source, e.g. aws.cloudwatch
    timestamp: datetime
    event: dict[str, Any]  # what routing patterns match and rawData keeps
    name: str = ""  # which alert, for the timeline ("HighCPU", an alarm's name)
    impact: int | None = None  # None: the response plan's
    summary: str | None = None
    resource_arn: str | None = None
    links: list[tuple[str, str]] = field(default_factory=list)  # (title, url) related items
    details: dict[str, Any] = field(default_factory=dict)
    event_text: str | None = None  # ``event`` as JSON text, when the intake has it (the body as it came)


def require(obj: Any, key: str, kind: type | tuple[type, ...], where: str = "") -> Any:
    """``obj[key]``, which must be present and of ``kind``."""
    path = f"{where}.{key}" if where else key
    if not isinstance(obj, dict) or key not in obj:
        raise PayloadError(f"the payload has no '{path}'")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise PayloadError(f"'{path}' must be {names}, not {type(value).__name__}")
    return value


def optional(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str = "") -> Any:
    return require(obj, key, kind, where) if obj.get(key) is not None else None


def parse_time(value: Any, where: str, default: datetime) -> datetime:
    """An ISO 8601 timestamp (``Z`` or an offset); ``default`` when absent or Go's zero time."""
    if value in (None, "") or (isinstance(value, str) and value.startswith("0001-01-01")):
        return default
    if not isinstance(value, str):
        raise PayloadError(f"'{where}' must be an ISO 8601 timestamp")
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    if "." in text:  # Go writes nanoseconds; Python takes at most microseconds
        head, _, rest = text.partition(".")
        digits = len(rest) - len(rest.lstrip("0123456789"))
        text = f"{head}.{rest[:min(digits, 6)]}{rest[digits:]}"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise PayloadError(f"'{where}' is not an ISO 8601 timestamp: {value[:40]!r}") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def impact_of(value: Any, where: str) -> int:
    """1-5 from a number or a numeric string."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise PayloadError(f"'{where}' must be an impact from 1 to 5, not {value!r}"[:200])
    return value
