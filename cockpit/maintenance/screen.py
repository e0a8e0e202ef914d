"""Maintenance windows: active ones first (until when), then upcoming ones by their next start,
with their zone, recurrence and what they cover. Incidents started in a window are marked on
the incident list."""

from __future__ import annotations

from datetime import UTC, datetime

from cockpit.shell.list_screen import PrepListScreen, Row
from core.model import events as ev
from widgets.formatting import EMPTY, alias_of, local_time

FAR = datetime.max.replace(tzinfo=UTC)


class MaintenanceScreen(PrepListScreen):
    CRUMB = "Maintenance windows"
    COLUMNS = (("name", "Window"), ("state", "State"), ("from", "From"), ("until", "Until"),
               ("repeats", "Repeats"), ("zone", "Time zone"), ("targets", "Holds pages of"))
    EMPTY = "No maintenance windows. CreateMaintenanceWindow makes one; incidents in it page no one until it ends."
    REFRESH_ON = frozenset({ev.MAINTENANCE_WINDOW_CHANGED})
    ORDERED = True  # active (soonest to end) first, then upcoming by next start, then those over

    async def load_rows(self) -> list[Row] | None:
        windows = await self.call_pages("ListMaintenanceWindows", {}, "maintenanceWindows")
        if windows is None:
            return None
        zone = self.app.settings.zone

        def order(w: dict) -> tuple[int, datetime]:
            return (0, w["activeUntil"]) if w["active"] else (1, w.get("nextStart") or FAR)

        rows: list[Row] = []
        for w in sorted(windows, key=lambda w: (*order(w), w["name"])):
            state = "ACTIVE" if w["active"] else ("upcoming" if w.get("nextStart") else "over")
            start = "now" if w["active"] else local_time(w.get("nextStart"), zone)
            end = w["activeUntil"] if w["active"] else w.get("nextEnd")
            rows.append((w["name"], (
                w["name"], state, start, local_time(end, zone),
                w.get("recurrence") or "once", w["timeZone"],
                ", ".join(alias_of(t) for t in w["targets"]) or EMPTY,
            )))
        return rows
