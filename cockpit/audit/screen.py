"""The audit trail on screen (LookupAuditEvents): who did what, to which resource, when and from
where; CloudTrail's role for the people who ask "who changed this"."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from cockpit.audit.cells import operation_label, resource_label, time_label, who_label
from cockpit.audit.filter_form import AuditFilterModal
from cockpit.audit.filters import AuditFilter
from cockpit.audit.record_view import AuditRecordView
from cockpit.shell.list_screen import PrepListScreen, Row
from core.model.events import DomainEvent
from widgets.formatting import EMPTY
from widgets.key_table import SortableText, sort_by_value

PAGE = 50


class AuditScreen(PrepListScreen):
    CRUMB = "Audit"
    COLUMNS = (("time", "Time"), ("principal", "Who"), ("operation", "Operation"), ("resource", "Resource"))
    EMPTY = "No audit record matches these filters (x clears them)."
    DEFAULT_CSS = """
    AuditScreen #audit-filters { height: 1; padding: 0 1; background: $boost; }
    AuditScreen #prep-table { height: 1fr; }
    AuditScreen #audit-record { height: 5; border-top: solid $primary; padding: 0 1; }
    """
    BINDINGS = [
        Binding("enter", "view", "Details", id="audit-view",
                tooltip="The selected record in full: whole ARNs, the error, the parameters"),
        Binding("f", "filter", "Filter", id="audit-filter",
                tooltip="Filter by time, operation, principal and resource"),
        Binding("t", "window", "Time", id="audit-window",
                tooltip="Cycle the time window: any time, last hour, last 24 h, last 7 days"),
        Binding("o", "same('operation')", "Same op", id="audit-same-operation",
                tooltip="Show only the selected record's operation"),
        Binding("p", "same('principal')", "Same who", id="audit-same-principal",
                tooltip="Show only what the selected record's principal did"),
        Binding("w", "same('resource')", "Same resource", id="audit-same-resource",
                tooltip="Show the history of the selected record's resource: who changed it"),
        Binding("a", "reads", "Reads", id="audit-reads",
                tooltip="Show the reads (Get, List, Describe) too, or changes only again"),
        Binding("x", "clear", "Clear", id="audit-clear", tooltip="Clear every filter"),
        Binding("m", "more", "More", id="audit-more", tooltip="Load the next page of older records"),
        Binding("r", "reload", "Reload", id="audit-reload", tooltip="Read the trail again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = AuditFilter()
        self.pages = 1
        self.records: dict[str, dict[str, Any]] = {}
        self.more_available = False

    def compose_body(self) -> ComposeResult:
        yield Static("", id="audit-filters", markup=False)
        yield from super().compose_body()

    def compose_extra(self) -> ComposeResult:
        yield Static("", id="audit-record", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.table.fill = "resource"  # the column that takes what the others leave

    # ---- loading ----------------------------------------------------------------------------
    async def load_rows(self) -> list[Row] | None:
        params: dict[str, Any] = {**self.filter.params(self.app.now()), "maxResults": PAGE}
        events: list[dict[str, Any]] = []
        more = False
        for _ in range(self.pages):
            page = await self.call("LookupAuditEvents", params)
            if page is None:
                return None
            events += page.get("events", [])
            more = bool(page.get("nextToken"))
            if not more:
                break
            params["nextToken"] = page["nextToken"]
        self.more_available = more
        self.records = {str(e["eventId"]): e for e in events}
        zone, now = self.app.settings.zone, self.app.now()
        return [(str(e["eventId"]), (
            SortableText(time_label(e["time"], now, zone), e["eventId"]),
            who_label(e.get("principal")),
            Text(operation_label(e["operation"], e["result"]), style="" if e["result"] == "OK" else "bold red"),
            Text(resource_label(e.get("resourceArn")), overflow="ellipsis", no_wrap=True),
        )) for e in events]

    def rows_loaded(self) -> None:
        self.table.fit_fill_column()
        # new records arrive at the end of the table: put the newest first again
        sort_by_value(self.table, "time", reverse=True)
        shown = len(self.records)
        more = f" · {shown} shown, m loads older" if self.more_available else f" · {shown} shown"
        self.query_one("#audit-filters", Static).update(self.filter.describe(self.app.settings.zone) + more)
        self.show_record(self.selected)

    def on_domain_event(self, event: DomainEvent) -> None:
        if self.is_current:  # every change is audited: the trail on screen stays live
            self.reload()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.is_mounted:
            self.reload()

    # ---- the selected record ----------------------------------------------------------------
    @on(DataTable.RowHighlighted, "#prep-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_record(event.row_key.value)

    def show_record(self, event_id: str | None) -> None:
        record = self.records.get(event_id or "")
        self.query_one("#audit-record", Static).update(EMPTY if record is None else self.describe(record))

    def describe(self, e: dict[str, Any]) -> Text:
        """The selected record in four lines, ARNs whole (enter shows it all, parameters too)."""
        when = e["time"].astimezone(self.app.settings.zone).strftime("%Y-%m-%d %H:%M:%S %Z")
        text = Text(overflow="fold")  # an ARN longer than the line breaks rather than being cut
        text.append(f"{when}  ", style="bold")
        text.append(e["operation"], style="bold")
        text.append(f"  {e['result']}", style="bold" if e["result"] == "OK" else "bold red")
        if e.get("errorMessage"):
            text.append(f": {e['errorMessage']}", style="red")
        text.append(f"\nby {e.get('principal') or EMPTY} from {e.get('origin') or EMPTY}, on\n")
        text.append(e.get("resourceArn") or EMPTY)
        return text

    @on(DataTable.RowSelected, "#prep-table")
    def _chosen(self) -> None:
        self.action_view()

    def action_view(self) -> None:
        record = self.records.get(self.selected or "")
        if record is not None:
            self.app.push_screen(AuditRecordView(record, self.app.settings.zone))

    # ---- actions ----------------------------------------------------------------------------
    def _apply(self, new: AuditFilter, what: str) -> None:
        self.filter = new
        self.pages = 1
        self.flash(f"audit: {what}")
        self.reload()

    def action_filter(self) -> None:
        def chosen(new: AuditFilter | None) -> None:
            if new is not None:
                self._apply(new, new.describe(self.app.settings.zone))

        self.app.push_screen(AuditFilterModal(
            self.filter, self.app.now(), self.app.settings.zone,
            operations=(r["operation"] for r in self.records.values()),
            principals=(r["principal"] for r in self.records.values() if r.get("principal")),
        ), chosen)

    def action_window(self) -> None:
        new = self.filter.next_window()
        self._apply(new, new.describe(self.app.settings.zone))

    def action_same(self, what: str) -> None:
        record = self.records.get(self.selected or "")
        if record is None:
            self.flash("audit: select a record first", "warning")
            return
        value = record.get({"resource": "resourceArn"}.get(what, what)) or ""
        if not value:
            self.flash(f"audit: the selected record names no {what}", "warning")
            return
        self._apply(replace(self.filter, **{what: value}), f"{what} {value}")

    def action_reads(self) -> None:
        new = replace(self.filter, changes_only=not self.filter.changes_only)
        self._apply(new, "changes only" if new.changes_only else "changes and reads")

    def action_clear(self) -> None:
        self._apply(AuditFilter(), "every filter cleared")

    def action_more(self) -> None:
        if not self.more_available:
            self.flash("audit: no older records", "info")
            return
        self.pages += 1
        self.reload()

    def action_reload(self) -> None:
        self.reload()
