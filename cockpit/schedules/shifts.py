"""The on-call schedules area's shift previews: exactly the shifts ListRotationShifts returns
for the next days (every page of them), one row each, in the core's order; and, before a
rotation is saved, exactly what ListPreviewRotationShifts returns for the form's values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cockpit.contacts.calls import Call
from cockpit.shell.list_screen import Row
from cockpit.shell.screen import all_pages
from widgets.formatting import alias_of

PREVIEW_DAYS = 14
SHIFT_COLUMNS = ["start", "end", "who", "type"]


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


async def preview_unsaved(call: Call, rotation: str | None, body: dict[str, Any], now: datetime,
                          page_size: int = 100) -> list[dict[str, Any]] | None:
    """Every shift ListPreviewRotationShifts answers for ``body`` (what CreateRotation or
    UpdateRotation would get) from ``now`` for PREVIEW_DAYS: for an existing ``rotation``, with
    its stored overrides applied in the order they were made, as ListRotationShifts applies them."""
    window = {"StartTime": now, "EndTime": now + timedelta(days=PREVIEW_DAYS)}
    overrides = await all_pages(call, "ListRotationOverrides", {"RotationId": rotation, **window},
                                "RotationOverrides", max_pages=50) if rotation else []
    if overrides is None:
        return None
    made = sorted(overrides, key=lambda o: o["CreateTime"])
    return await all_pages(call, "ListPreviewRotationShifts", {
        "Members": body["ContactIds"], "RotationStartTime": body["StartTime"], "TimeZoneId": body["TimeZoneId"],
        "Recurrence": body["Recurrence"],
        "Overrides": [{"NewMembers": o["NewContactIds"], "StartTime": o["StartTime"], "EndTime": o["EndTime"]}
                      for o in made],
        **window, "MaxResults": page_size,
    }, "RotationShifts", max_pages=50)
