"""The on-call schedules area's shift preview: exactly the shifts ListRotationShifts returns
for the next days (every page of them), one row each, in the core's order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cockpit.contacts.calls import Call
from cockpit.shell.list_screen import Row
from cockpit.shell.screen import all_pages
from widgets.formatting import alias_of

PREVIEW_DAYS = 14


def when(value: Any) -> str:
    return value.astimezone(UTC).strftime("%a %m-%d %H:%M") if hasattr(value, "astimezone") else str(value)[:16]


def shift_rows(shifts: list[dict[str, Any]]) -> list[Row]:
    """One row per shift, keyed by its start, end and type (an unchanged shift keeps its row);
    the table keeps them in this order (``sync_rows(..., ordered=True)``)."""
    return [(f"{s['StartTime']}|{s['EndTime']}|{s.get('Type', '')}",
             (when(s["StartTime"]), when(s["EndTime"]),
              ", ".join(alias_of(c) for c in s.get("ContactIds", [])) or "nobody", s.get("Type", "").lower()))
            for s in shifts]


async def preview_shifts(call: Call, rotation: str, now: datetime, page_size: int = 100) -> list[dict[str, Any]] | None:
    """Every shift of ``rotation`` from ``now`` (the one under way included) for PREVIEW_DAYS."""
    return await all_pages(call, "ListRotationShifts", {
        "RotationId": rotation, "StartTime": now, "EndTime": now + timedelta(days=PREVIEW_DAYS),
        "MaxResults": page_size}, "RotationShifts", max_pages=50)
