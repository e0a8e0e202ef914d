"""The outbox: every message the pager sent or tried to send (activation codes, pages)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from cockpit.shell.list_screen import PrepListScreen, Row
from core.model import events as ev
from widgets.formatting import local_time

CHANNELS = (None, "EMAIL", "SMS", "VOICE", "WEBHOOK")
STATUSES = (None, "pending", "sent", "failed")


class OutboxScreen(PrepListScreen):
    CRUMB = "Outbox"
    COLUMNS = (("time", "Created"), ("channel", "Chan"), ("kind", "Kind"), ("status", "Status"),
               ("attempts", "Try"), ("subject", "Subject"))
    EMPTY = "The outbox is empty: nothing was sent yet."
    REFRESH_ON = frozenset({ev.OUTBOX_MESSAGE_CHANGED})
    DEFAULT_CSS = """
    OutboxScreen #outbox-body { height: 8; border-top: solid $primary; padding: 0 1; }
    """
    BINDINGS = [
        Binding("c", "cycle_channel", "Channel", id="outbox-channel", tooltip="Filter by channel type"),
        Binding("s", "cycle_status", "Status", id="outbox-status", tooltip="Filter by delivery status"),
        Binding("m", "more", "More", id="outbox-more", tooltip="Load the next page of older messages"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.channel: str | None = None
        self.status: str | None = None
        self.pages = 1
        self.messages: dict[str, dict[str, Any]] = {}

    def compose_extra(self):
        from textual.widgets import Static

        yield Static("", id="outbox-body")

    async def load_rows(self) -> list[Row] | None:
        params: dict[str, Any] = {"maxResults": 50}
        if self.channel:
            params["channelType"] = self.channel
        if self.status:
            params["status"] = self.status
        messages: list[dict[str, Any]] = []
        for _ in range(self.pages):
            page = await self.call("ListOutboxMessages", params)
            if page is None:
                return None
            messages += page.get("messages", [])
            if not page.get("nextToken"):
                break
            params["nextToken"] = page["nextToken"]
        self.messages = {m["messageId"]: m for m in messages}
        zone = self.app.settings.zone
        filters = f"channel {self.channel or 'any'} · status {self.status or 'any'}"
        self.sub_title = filters
        return [(m["messageId"], (local_time(m.get("createdTime"), zone), m["channelType"], m["kind"],
                                  m["status"], str(m.get("attempts", 0)), m.get("subject") or ""))
                for m in messages]

    def rows_loaded(self) -> None:
        self.show_body(self.selected)

    @on(DataTable.RowHighlighted, "#prep-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_body(event.row_key.value)

    def show_body(self, message_id: str | None) -> None:
        from textual.widgets import Static

        m = self.messages.get(message_id or "")
        text = "" if m is None else (
            (f"[b]error:[/] {m['lastError']}\n" if m.get("lastError") else "")
            + (m.get("body") or "(body shown to administrators only)"))
        self.query_one("#outbox-body", Static).update(text)

    def _cycle(self, values: tuple[str | None, ...], current: str | None) -> str | None:
        return values[(values.index(current) + 1) % len(values)]

    def action_cycle_channel(self) -> None:
        self.channel = self._cycle(CHANNELS, self.channel)
        self.flash(f"outbox: channel {self.channel or 'any'}")
        self.reload()

    def action_cycle_status(self) -> None:
        self.status = self._cycle(STATUSES, self.status)
        self.flash(f"outbox: status {self.status or 'any'}")
        self.reload()

    def action_more(self) -> None:
        self.pages += 1
        self.reload()
