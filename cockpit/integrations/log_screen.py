"""One integration's intake log: its last payloads, newest first, with what each did (the
incident it started or joined) or its error; the selected payload is shown below, and r runs
it again (ReplayIntakeEvent)."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from cockpit.integrations.calls import outcome_text
from cockpit.shell.list_screen import PrepListScreen, Row
from core.model import events as ev
from widgets.formatting import local_time
from widgets.key_table import KeyTable

SHOWN = 50
PREVIEW = 1500


def _readable(payload: str) -> str:
    """The payload indented when it is whole JSON (the log shows at most 10,000 characters)."""
    try:
        payload = json.dumps(json.loads(payload), indent=2, ensure_ascii=False)
    except json.JSONDecodeError:
        pass
    return payload[:PREVIEW] + ("…" if len(payload) > PREVIEW else "")


class IntakeLogScreen(PrepListScreen):
    COLUMNS = (("received", "Received"), ("action", "Kind"), ("status", "Status"), ("tries", "Tries"),
               ("outcome", "Outcome"))
    EMPTY = "No payload yet: post one to the integration's URL."
    REFRESH_ON = frozenset({ev.INTEGRATION_CHANGED})
    ORDERED = True
    DEFAULT_CSS = """
    IntakeLogScreen #intake-payload { height: 12; border-top: solid $primary; padding: 0 1; overflow-y: auto; }
    """
    BINDINGS = [
        Binding("r", "replay", "Replay", id="intake-replay", tooltip="Run the selected payload again"),
    ]

    def __init__(self, integration: dict[str, Any]) -> None:
        super().__init__()
        self.integration = integration
        self.CRUMB = integration["name"]
        self.events: dict[str, dict[str, Any]] = {}

    def compose_extra(self) -> ComposeResult:
        yield Static("", id="intake-payload", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.table.fill = "outcome"  # takes the width the others leave: no sideways scroll at 80 columns

    async def load_rows(self) -> list[Row] | None:
        found = await self.call("ListIntakeEvents", {"integrationId": self.integration["integrationId"],
                                                     "maxResults": SHOWN})
        if found is None:
            return None
        self.events = {e["eventId"]: e for e in found["intakeEvents"]}
        zone = self.app.settings.zone
        rows = [(e["eventId"], (local_time(e["receivedTime"], zone), e["action"], e["status"], str(e["attempts"]),
                                Text(outcome_text(e), no_wrap=True, overflow="ellipsis")))
                for e in found["intakeEvents"]]
        self.show_payload(self.selected or (rows[0][0] if rows else None))
        return rows

    @on(KeyTable.RowHighlighted, "#prep-table")
    def _highlighted(self, event: KeyTable.RowHighlighted) -> None:
        self.show_payload(event.row_key.value if event.row_key is not None else None)

    def show_payload(self, event_id: str | None) -> None:
        event = self.events.get(event_id or "")
        text = "" if event is None else _readable(event["payload"])
        self.query_one("#intake-payload", Static).update(text)

    def action_replay(self) -> None:
        if self.selected in self.events:
            self.replay(self.selected)

    @work(exclusive=True, group="intake-replay")
    async def replay(self, event_id: str) -> None:
        done = await self.call("ReplayIntakeEvent", {"eventId": event_id})
        if done is not None:
            level = "success" if done["status"] == "processed" else "error"
            self.flash(f"replayed: {done.get('error') or outcome_text({'outcome': done['outcome']})}", level)
            self.reload()
