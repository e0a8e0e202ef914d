"""The outbox: every message the pager sent or tried to send (activation codes, pages), live:
a message appears, and changes status, as the pager works; the preview shows all of it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from cockpit.shell.list_screen import PrepListScreen, Row
from core.model import events as ev
from widgets.formatting import EMPTY, alias_of, near_time
from widgets.key_table import SortableText

CHANNELS = (None, "EMAIL", "SMS", "VOICE", "WEBHOOK")
STATUSES = (None, "pending", "sent", "failed")


class OutboxScreen(PrepListScreen):
    CRUMB = "Outbox"
    COLUMNS = (("time", "Created"), ("channel", "Chan"), ("to", "To"), ("kind", "Kind"), ("status", "Status"),
               ("attempts", "Try"), ("subject", "Subject"))
    EMPTY = "The outbox is empty: nothing was sent yet."
    REFRESH_ON = frozenset({ev.OUTBOX_MESSAGE_CHANGED})
    SORT_BY = ("time", True)
    DEFAULT_CSS = """
    OutboxScreen #prep-table { height: 1fr; }
    OutboxScreen #outbox-preview { height: 1fr; border-top: solid $primary; padding: 0 1; }
    OutboxScreen #outbox-preview:focus { border-top: solid $accent; }
    """
    BINDINGS = [
        Binding("c", "cycle_channel", "Channel", id="outbox-channel", tooltip="Filter by channel type"),
        Binding("s", "cycle_status", "Status", id="outbox-status", tooltip="Filter by delivery status"),
        Binding("m", "more", "More", id="outbox-more", tooltip="Load the next page of older messages"),
        Binding("r", "reload_outbox", "Reload", id="outbox-reload", tooltip="Load the outbox again from the core"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.channel: str | None = None
        self.status: str | None = None
        self.pages = 1
        self.messages: dict[str, dict[str, Any]] = {}

    def on_mount(self) -> None:
        super().on_mount()
        self.table.fill = "subject"  # takes the width the others leave: no sideways scroll at 80 columns

    def compose_extra(self):
        # focusable, so tab then the arrow keys (or the mouse) scroll a long message
        with VerticalScroll(id="outbox-preview"):
            yield Static("", id="outbox-body")

    def empty_text(self) -> str:
        if self.channel or self.status:
            return f"No messages of this type ({self.filters})."
        return self.EMPTY

    @property
    def filters(self) -> str:
        return f"channel {self.channel or 'any'} · status {self.status or 'any'}"

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
        zone, now = self.app.settings.zone, self.app.now()
        self.sub_title = self.filters
        count = len(messages)  # newest first: a later message sorts higher
        return [(m["messageId"], (SortableText(near_time(m.get("createdTime"), now, zone), (m.get("createdTime"), count - i)),
                                  m["channelType"], alias_of(m["contactArn"]) if m.get("contactArn") else EMPTY,
                                  m["kind"], m["status"], str(m.get("attempts", 0)),
                                  Text(m.get("subject") or "", no_wrap=True, overflow="ellipsis")))
                for i, m in enumerate(messages)]

    def rows_loaded(self) -> None:
        self.show_body(self.selected)

    @on(DataTable.RowHighlighted, "#prep-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_body(event.row_key.value)

    def show_body(self, message_id: str | None) -> None:
        m = self.messages.get(message_id or "")
        text = Text()
        if m is not None:  # plain text: a message is never read as markup
            if m.get("lastError"):
                text.append("error: ", style="bold").append(f"{m['lastError']}\n")
            text.append(m.get("body") or "(body shown to administrators only)")
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

    def action_reload_outbox(self) -> None:
        self.reload()
        self.flash(f"outbox reloaded ({self.filters})")
