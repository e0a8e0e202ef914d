"""What the Audit screen asks LookupAuditEvents for: a time window, an operation, a principal,
a resource, and whether reads are left out. Pure: no Textual, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

WHEN_FORMAT = "%Y-%m-%d %H:%M"
_AGO = re.compile(r"^(\d{1,4})\s*(m|min|h|d|w)$")
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}

WINDOWS: tuple[tuple[str, timedelta | None], ...] = (
    ("any time", None),
    ("the last hour", timedelta(hours=1)),
    ("the last 24 h", timedelta(hours=24)),
    ("the last 7 days", timedelta(days=7)),
)
"""What `t` cycles through."""


def parse_when(text: str, now: datetime, zone: tzinfo | None) -> datetime | None:
    """``""`` -> None; ``30m``, ``2h``, ``7d``, ``1w`` -> that long before ``now``; else a local
    ``YYYY-MM-DD HH:MM`` (or just the date) in ``zone``. ValueError names what it expected."""
    text = text.strip()
    if not text:
        return None
    ago = _AGO.match(text.lower())
    if ago:
        return now - timedelta(**{_UNITS[ago.group(2)]: int(ago.group(1))})
    for layout in (WHEN_FORMAT, "%Y-%m-%d"):
        try:
            naive = datetime.strptime(text, layout)  # noqa: DTZ007 (the zone is applied below)
        except ValueError:
            continue
        local = naive.replace(tzinfo=zone) if zone else naive.astimezone()
        return local.astimezone(UTC)
    raise ValueError(f"{text!r} is not a time like 2026-03-02 14:05, a date, or an age like 30m, 2h, 7d")


@dataclass(frozen=True)
class AuditFilter:
    start: datetime | None = None
    end: datetime | None = None
    window: int = 0
    """Index into WINDOWS; a window other than "any time" stands in for ``start``."""
    operation: str = ""
    principal: str = ""
    resource: str = ""
    changes_only: bool = True

    def params(self, now: datetime) -> dict[str, Any]:
        """The LookupAuditEvents request (without paging)."""
        out: dict[str, Any] = {}
        span = WINDOWS[self.window][1]
        start = now - span if span is not None else self.start
        if start is not None:
            out["startTime"] = start
        if self.end is not None:
            out["endTime"] = self.end
        for key, value in (("operation", self.operation), ("principal", self.principal),
                           ("resourceArn", self.resource)):
            if value:
                out[key] = value
        if self.changes_only:
            out["changesOnly"] = True
        return out

    def next_window(self) -> AuditFilter:
        return replace(self, window=(self.window + 1) % len(WINDOWS), start=None)

    def describe(self, zone: tzinfo | None) -> str:
        """One line for the screen: what is being shown."""
        if self.window:
            when = WINDOWS[self.window][0]
        elif self.start or self.end:
            shown = [t.astimezone(zone).strftime(WHEN_FORMAT) if t else "…" for t in (self.start, self.end)]
            when = f"{shown[0]} to {shown[1]}"
        else:
            when = WINDOWS[0][0]
        parts = [("changes" if self.changes_only else "changes and reads"), when]
        parts += [f"{label} {value}" for label, value in (
            ("operation", self.operation), ("by", self.principal), ("on", self.resource)) if value]
        return " · ".join(parts)

    @property
    def narrowed(self) -> bool:
        return self != AuditFilter()
