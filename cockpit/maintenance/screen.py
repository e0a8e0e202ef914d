"""Maintenance windows: active ones first (until when), then upcoming ones by their next start,
with their recurrence and what they cover (times in the reader's zone; the window's own zone
is in its form). Incidents started in a window are marked on
the incident list. Admins create, edit and delete windows here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from textual import work
from textual.binding import Binding

from cockpit.maintenance.forms import MaintenanceWindowForm
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.list_screen import PrepListScreen, Row
from core.model import events as ev
from widgets.formatting import EMPTY, alias_of, short_time

FAR = datetime.max.replace(tzinfo=UTC)


class MaintenanceScreen(PrepListScreen):
    CRUMB = "Maintenance windows"
    COLUMNS = (("name", "Window"), ("state", "State"), ("from", "From"), ("until", "Until"),
               ("repeats", "Repeats"), ("targets", "Holds"))
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

    async def load_rows(self) -> list[Row] | None:
        windows = await self.call_pages("ListMaintenanceWindows", {}, "maintenanceWindows")
        if windows is None:
            return None
        self.windows = {w["name"]: w for w in windows}
        zone = self.app.settings.zone

        def order(w: dict) -> tuple[int, datetime]:
            return (0, w["activeUntil"]) if w["active"] else (1, w.get("nextStart") or FAR)

        rows: list[Row] = []
        for w in sorted(windows, key=lambda w: (*order(w), w["name"])):
            state = "ACTIVE" if w["active"] else ("upcoming" if w.get("nextStart") else "over")
            start = "now" if w["active"] else short_time(w.get("nextStart"), zone)
            end = w["activeUntil"] if w["active"] else w.get("nextEnd")
            rows.append((w["name"], (
                w["name"], state, start, short_time(end, zone),
                w["recurrence"].removeprefix("FREQ=") if w.get("recurrence") else "once",
                ", ".join(alias_of(t) for t in w["targets"]) or EMPTY,
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
