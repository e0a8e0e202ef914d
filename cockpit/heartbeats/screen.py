"""Heartbeats: each one's state (waiting for a first ping, OK, missed), its last ping, when the
next is due and the incident a miss started; live as pings arrive and deadlines pass. Admins
create (the ping token is shown once), edit and delete heartbeats here."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rich.text import Text
from textual import work
from textual.binding import Binding

from cockpit.heartbeats.forms import HeartbeatForm, PingTokenModal, ping_path
from cockpit.integrations.calls import intake_url
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.list_screen import PrepListScreen, Row
from cockpit.shell.modal import FormError
from core.errors import ConflictException
from core.model import events as ev
from widgets.formatting import EMPTY, format_duration, near_time

STATES = {"WAITING": "waiting", "OK": "OK", "MISSED": "MISSED"}


class HeartbeatsScreen(PrepListScreen):
    CRUMB = "Heartbeats"
    COLUMNS = (("name", "Heartbeat"), ("state", "State"), ("incident", "Incident"), ("last", "Last ping"),
               ("due", "Next due"), ("every", "Every"), ("plan", "Plan"))
    EMPTY = "No heartbeats yet. Press n to create one: a job pings its URL, a missed ping starts an incident."
    REFRESH_ON = frozenset({ev.HEARTBEAT_CHANGED})
    BINDINGS = [
        Binding("n", "new", "New", id="heartbeat-new", tooltip="Create a heartbeat; its ping token is shown once"),
        Binding("e", "edit", "Edit", id="heartbeat-edit",
                tooltip="Change its interval, response plan, impact or resolve-on-ping"),
        Binding("d", "delete", "Delete", id="heartbeat-delete", tooltip="Delete the heartbeat (asks first)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.heartbeats: dict[str, dict[str, Any]] = {}

    def on_mount(self) -> None:
        super().on_mount()
        self.table.fill = "plan"  # the last column takes what the others leave, cut with "…"

    async def load_rows(self) -> list[Row] | None:
        beats = await self.call_pages("ListHeartbeats", {}, "heartbeats")
        if beats is None:
            return None
        self.heartbeats = {b["name"]: b for b in beats}
        zone, now = self.app.settings.zone, self.app.now()
        return [(b["name"], (
            b["name"],
            STATES.get(b["state"], b["state"]),
            "open" if b.get("incidentArn") else EMPTY,
            near_time(b.get("lastPingTime"), now, zone),
            near_time(b.get("expectedBy"), now, zone),
            format_duration(timedelta(seconds=b["intervalSeconds"])),
            Text(b["responsePlanArn"].rsplit("/", 1)[-1], overflow="ellipsis", no_wrap=True),
        )) for b in beats]

    async def _plans(self) -> list[tuple[str, str]]:
        plans = await self.call_pages("ListResponsePlans", {}, "responsePlanSummaries") or []
        return [(p.get("displayName") or p["name"], p["arn"]) for p in plans]

    @work(exclusive=True, group="heartbeats-edit")
    async def action_new(self) -> None:
        self.app.push_screen(HeartbeatForm(self._create, await self._plans()), self._created)

    async def _create(self, request: dict[str, Any]) -> dict[str, Any]:
        try:
            return await self.app.client.call("CreateHeartbeat", request)
        except ConflictException:
            raise FormError("heartbeat-name", f"Name: a heartbeat named {request['name']} already exists") from None

    def _created(self, made: dict[str, Any] | None) -> None:
        if made is not None:
            name = made["heartbeat"]["name"]
            self.flash(f"created heartbeat {name}: a ping is due within its interval", "success")
            self.app.push_screen(PingTokenModal(name, intake_url(self.app.client, ping_path(name)), made["token"]))
            self.reload()

    @work(exclusive=True, group="heartbeats-edit")
    async def action_edit(self) -> None:
        heartbeat = self.heartbeats.get(self.selected or "")
        if heartbeat is not None:
            self.app.push_screen(HeartbeatForm(self._update, await self._plans(), heartbeat), self._updated)

    async def _update(self, request: dict[str, Any]) -> dict[str, Any]:
        return (await self.app.client.call("UpdateHeartbeat", request))["heartbeat"]

    def _updated(self, heartbeat: dict[str, Any] | None) -> None:
        if heartbeat is not None:
            self.flash(f"saved heartbeat {heartbeat['name']}", "success")
            self.reload()

    def action_delete(self) -> None:
        name = self.selected
        if name is not None:
            self.app.push_screen(
                ConfirmModal("Delete heartbeat", f"Delete heartbeat {name}? Its pings are refused from now on "
                             "(an incident it started stays open).", "Delete"),
                lambda yes: yes and self.delete(name))

    @work(exclusive=True, group="heartbeats-change")
    async def delete(self, name: str) -> None:
        if await self.call("DeleteHeartbeat", {"name": name}) is not None:
            self.flash(f"heartbeat {name} deleted", "success")
            self.reload()
