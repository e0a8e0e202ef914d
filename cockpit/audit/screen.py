"""The audit trail on screen (LookupAuditEvents): who did what, to which resource, when and from
where; CloudTrail's role for the people who ask "who changed this"."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from cockpit.audit.filter_form import AuditFilterModal
from cockpit.audit.filters import AuditFilter
from cockpit.shell.list_screen import PrepListScreen, Row
from core.model.events import DomainEvent
from widgets.formatting import EMPTY, alias_of
from widgets.key_table import SortableText, sort_by_value

PAGE = 50


def resource_part(arn: str | None) -> str:
    """``arn:...:incident-record/api/0f3a9c1b22...`` -> ``api/0f3a9c1b…``: the resource's name
    without its type, a generated id shortened (the record below the table shows the ARN)."""
    if not arn:
        return EMPTY
    parts = arn.split(":", 5)[-1].split("/")
    return "/".join(p[:8] + "…" if len(p) > 16 and p.replace("-", "").isalnum() and any(c.isdigit() for c in p)
                    else p for p in parts[1:] or parts)


def result_label(result: str) -> str:
    """``OK``, or the error code without its ``Exception`` suffix."""
    return result.removesuffix("Exception")


class AuditScreen(PrepListScreen):
    CRUMB = "Audit"
    COLUMNS = (("time", "Time"), ("principal", "Who"), ("operation", "Operation"),
               ("result", "Result"), ("resource", "Resource"))
    EMPTY = "No audit record matches these filters (x clears them)."
    DEFAULT_CSS = """
    AuditScreen #audit-filters { height: 1; padding: 0 1; background: $boost; }
    AuditScreen #prep-table { height: 1fr; }
    AuditScreen #audit-record { height: 9; border-top: solid $primary; padding: 0 1; }
    """
    BINDINGS = [
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
        zone = self.app.settings.zone
        return [(str(e["eventId"]), (
            SortableText(e["time"].astimezone(zone).strftime("%m-%d %H:%M:%S"), e["eventId"]),
            alias_of(e["principal"]) if e.get("principal") else EMPTY,
            e["operation"],
            Text(result_label(e["result"]), style="" if e["result"] == "OK" else "bold red"),
            resource_part(e.get("resourceArn")),
        )) for e in events]

    def rows_loaded(self) -> None:
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
        when = e["time"].astimezone(self.app.settings.zone).strftime("%Y-%m-%d %H:%M:%S %Z")
        text = Text()
        text.append(f"{when}  ", style="bold")
        text.append(e["operation"], style="bold")
        text.append(f"  {e['result']}\n", style="bold" if e["result"] == "OK" else "bold red")
        text.append(f"by {e.get('principal') or EMPTY} from {e.get('origin') or EMPTY}\n")
        text.append(f"on {e.get('resourceArn') or EMPTY}\n")
        if e.get("errorMessage"):
            text.append(f"error: {e['errorMessage']}\n", style="red")
        text.append(json.dumps(e.get("parameters") or {}, indent=1, sort_keys=True, default=str))
        return text

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
