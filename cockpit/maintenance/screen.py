"""Maintenance windows: active ones first (until when), then upcoming ones by their next start
(then those over), with their recurrence and what they cover (times in the reader's zone; the window's own zone
is in its form). Incidents started in a window are marked on
the incident list. Admins create, edit and delete windows here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from rich.text import Text
from textual import work
from textual.binding import Binding

from cockpit.maintenance.forms import MaintenanceWindowForm
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.list_screen import PrepListScreen, Row
from core.model import events as ev
from widgets.formatting import EMPTY, alias_of, short_time

FAR = datetime.max.replace(tzinfo=UTC)


def _until(start: datetime | None, end: datetime | None, zone) -> str:
    """The end as ``00:00`` when it comes less than a day after the start (unambiguous, and
    it leaves the targets room at 80 columns), else with its date."""
    if start is not None and end is not None and end - start < timedelta(days=1):
        return end.astimezone(zone).strftime("%H:%M")
    return short_time(end, zone)


class MaintenanceScreen(PrepListScreen):
    CRUMB = "Maintenance windows"
    COLUMNS = (("name", "Window"), ("next", "Next"), ("until", "Until"), ("repeats", "Repeats"),
               ("targets", "Holds"))
    EMPTY = "No maintenance windows. Press n to create one: incidents in it page no one until it ends."
    REFRESH_ON = frozenset({ev.MAINTENANCE_WINDOW_CHANGED})
    ORDERED = True  # active (soonest to end) first, then upcoming by next start, then those over
    BINDINGS = [
        Binding("n", "new", "New", id="window-new", tooltip="Create a maintenance window"),
        Binding("e", "edit", "Edit", id="window-edit", tooltip="Change its times, zone, recurrence or targets"),
        Binding("d", "delete", "Delete", id="window-delete", tooltip="Delete the window (asks first)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.windows: dict[str, dict[str, Any]] = {}

    def on_mount(self) -> None:
        super().on_mount()
        self.table.fill = "targets"  # takes the width the others leave: no sideways scroll at 80 columns

    async def load_rows(self) -> list[Row] | None:
        windows = await self.call_pages("ListMaintenanceWindows", {}, "maintenanceWindows")
        if windows is None:
            return None
        self.windows = {w["name"]: w for w in windows}
        zone, now = self.app.settings.zone, self.app.now()

        def order(w: dict) -> tuple[int, datetime]:
            return (0, w["activeUntil"]) if w["active"] else (1, w.get("nextStart") or FAR)

        rows: list[Row] = []
        for w in sorted(windows, key=lambda w: (*order(w), w["name"])):
            start = now if w["active"] else w.get("nextStart")
            end = w["activeUntil"] if w["active"] else w.get("nextEnd")
            shown = "ACTIVE" if w["active"] else (short_time(start, zone) if start else "over")
            rows.append((w["name"], (
                w["name"], shown, _until(start, end, zone),
                w["recurrence"].removeprefix("FREQ=") if w.get("recurrence") else "once",
                Text(", ".join(alias_of(t) for t in w["targets"]) or EMPTY, no_wrap=True, overflow="ellipsis"),
            )))
        return rows

    async def _targets(self) -> list[tuple[str, str]]:
        """What a window can hold: response plans, heartbeats and integrations, by kind."""
        lists = (("plan", "ListResponsePlans", "responsePlanSummaries", "arn"),
                 ("heartbeat", "ListHeartbeats", "heartbeats", "heartbeatArn"),
                 ("integration", "ListIntegrations", "integrations", "integrationArn"))
        choices: list[tuple[str, str]] = []
        for kind, operation, items, arn in lists:
            for item in await self.call_pages(operation, {}, items) or []:
                choices.append((f"{kind} {item['name']}", item[arn]))
        return choices

    def _zone(self) -> str:
        return self.app.settings.timezone or "UTC"

    @work(exclusive=True, group="maintenance-edit")
    async def action_new(self) -> None:
        self.app.push_screen(MaintenanceWindowForm(self._save("CreateMaintenanceWindow"), await self._targets(),
                                                   self._zone()), self._saved)

    @work(exclusive=True, group="maintenance-edit")
    async def action_edit(self) -> None:
        window = self.windows.get(self.selected or "")
        if window is not None:
            self.app.push_screen(MaintenanceWindowForm(self._save("UpdateMaintenanceWindow"), await self._targets(),
                                                       self._zone(), window), self._saved)

    def _save(self, operation: str):
        async def save(request: dict[str, Any]) -> dict[str, Any]:
            return (await self.app.client.call(operation, request))["maintenanceWindow"]
        return save

    def _saved(self, window: dict[str, Any] | None) -> None:
        if window is not None:
            self.flash(f"saved maintenance window {window['name']}", "success")
            self.reload()

    def action_delete(self) -> None:
        name = self.selected
        if name is not None:
            self.app.push_screen(
                ConfirmModal("Delete maintenance window", f"Delete window {name}? Incidents it holds engage "
                             "their plans at once.", "Delete"),
                lambda yes: yes and self.delete(name))

    @work(exclusive=True, group="maintenance-change")
    async def delete(self, name: str) -> None:
        if await self.call("DeleteMaintenanceWindow", {"name": name}) is not None:
            self.flash(f"maintenance window {name} deleted", "success")
            self.reload()
