"""Heartbeats: each one's state (waiting for a first ping, OK, missed), its last ping, when the
next is due and the incident a miss started; live as pings arrive and deadlines pass."""

from __future__ import annotations

from datetime import timedelta

from cockpit.shell.list_screen import PrepListScreen, Row
from core.model import events as ev
from widgets.formatting import EMPTY, format_duration, local_time

STATES = {"WAITING": "waiting for a first ping", "OK": "OK", "MISSED": "MISSED"}


class HeartbeatsScreen(PrepListScreen):
    CRUMB = "Heartbeats"
    COLUMNS = (("name", "Heartbeat"), ("state", "State"), ("last", "Last ping"), ("due", "Next due"),
               ("every", "Every"), ("plan", "Response plan"), ("incident", "Miss incident"))
    EMPTY = "No heartbeats yet. CreateHeartbeat makes one (cockpit call CreateHeartbeat ...)."
    REFRESH_ON = frozenset({ev.HEARTBEAT_CHANGED})

    async def load_rows(self) -> list[Row] | None:
        beats = await self.call_pages("ListHeartbeats", {}, "heartbeats")
        if beats is None:
            return None
        zone = self.app.settings.zone
        return [(b["name"], (
            b["name"],
            STATES.get(b["state"], b["state"]),
            local_time(b.get("lastPingTime"), zone),
            local_time(b.get("expectedBy"), zone),
            format_duration(timedelta(seconds=b["intervalSeconds"])),
            b["responsePlanArn"].rsplit("/", 1)[-1],
            "open" if b.get("incidentArn") else EMPTY,
        )) for b in beats]
