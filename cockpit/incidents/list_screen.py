"""The incident list: Open incidents as tiles, Resolved incidents as a table, Analyses.

Lists are paged by the core (``maxResults`` + ``nextToken``; `n` or scrolling to the end loads
the next page) and filtered by the core where it can: `/` takes ``impact:1,2`` (a core filter)
and free text. The core has no title filter, so title text only narrows the rows already
loaded; the flash line says so. Live domain events update tiles and rows by key.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane

from cockpit.analyses.pane import AnalysesPane
from cockpit.incidents.engagement_counts import DEBOUNCE_SECONDS, EngagementCounts, people
from cockpit.incidents.start_incident import PlanChoice, StartIncidentModal
from cockpit.shell.app import WAITING_GROUP
from cockpit.shell.screen import CockpitScreen
from core.errors import ServiceError
from core.model import events as ev
from core.model.events import DomainEvent
from core.model.incidents import impact_label
from widgets.formatting import chat_channel_label, format_duration, plan_name
from widgets.incident_tile import IncidentTile
from widgets.key_table import KeyTable, SortableText, sort_by_value
from widgets.tab_label import relabel

if TYPE_CHECKING:
    from cockpit.incidents.detail_screen import IncidentDetailScreen

PREPARE_AFTER = 0.25
"""Seconds a tile keeps the focus before its incident's details are composed ahead."""

LIVE_TYPES = {
    ev.INCIDENT_STARTED, ev.INCIDENT_UPDATED, ev.INCIDENT_RESOLVED, ev.INCIDENT_DEDUPLICATED,
}
# Most useful first; the title takes the width the others leave. (key, label, width)
RESOLVED_COLUMNS = (("impact", "Impact", 11), ("start", "Start", 12), ("duration", "Duration", 8),
                    ("resolved", "Resolved", 12), ("plan", "Response plan", 18))
MIN_TITLE_WIDTH = 30
CELL_PADDING = 2  # a DataTable cell's padding, both sides
SCROLLBAR = 2  # a DataTable's vertical scrollbar (scrollbar-size-vertical)
SHORT_TIME = "%d %b %H:%M"


@dataclass(frozen=True)
class Started:
    """What a start did: the incident it started, or the open one it joined (deduplicated)."""

    record: dict[str, Any]
    joined: bool


def resolved_layout(width: int) -> tuple[int, tuple[tuple[str, str, int], ...]]:
    """(title width, the other columns) for a table ``width`` cells wide: the columns that fit
    whole beside a title of at least MIN_TITLE_WIDTH, the title taking the rest (nothing clipped)."""
    room = width - SCROLLBAR - CELL_PADDING  # the vertical scrollbar; the title's own padding
    columns: list[tuple[str, str, int]] = []
    for column in RESOLVED_COLUMNS:
        if room - column[2] - CELL_PADDING < MIN_TITLE_WIDTH:
            break
        columns.append(column)
        room -= column[2] + CELL_PADDING
    return max(room, MIN_TITLE_WIDTH), tuple(columns)


def open_order(record: dict[str, Any]) -> tuple[int, datetime]:
    """Open tiles sort by impact (1, Critical, first), then by age (the oldest first)."""
    return record["impact"], record["creationTime"]


def tile_id(arn: str) -> str:
    return "tile-" + arn.rsplit("/", 1)[-1]


def parse_filter(text: str) -> tuple[list[int] | None, str]:
    """``impact:1,2 db`` -> ([1, 2], "db"). Raises ValueError, in the user's words, for an
    impact that is not 1 to 5."""
    impacts: list[int] | None = None
    words = []
    for token in text.split():
        key, sep, value = token.partition(":")
        if sep and key.lower() in ("impact", "i"):
            values = [v.strip() for v in value.split(",") if v.strip()]
            wrong = [v for v in values if v not in ("1", "2", "3", "4", "5")]
            if wrong or not values:
                raise ValueError(f"impact takes 1 to 5, separated by commas (impact:1,2), not "
                                 f"“{','.join(wrong) or value}”")
            impacts = sorted({int(v) for v in values})
        else:
            words.append(token)
    return impacts, " ".join(words)


NO_OPEN = "No open incidents. Press s to start one."
NO_MATCH = "No open incident matches the filter: press / then esc to clear it."


class TileList(VerticalScroll, inherit_bindings=False):
    """The open tiles, scrolled by the focus: up and down move it from tile to tile (the
    screen's keys), as j and k do, rather than scrolling the list away from it."""

    BINDINGS = [
        Binding("pageup", "scroll_page_up", "Page up", show=False, tooltip="Scroll the tiles up a page"),
        Binding("pagedown", "scroll_page_down", "Page down", show=False, tooltip="Scroll the tiles down a page"),
    ]


class IncidentListScreen(CockpitScreen):
    CRUMB = "Incidents"
    CSS_PATH = "list_screen.tcss"
    MUTATING_ACTIONS = frozenset({"start_incident"})

    BINDINGS = [
        # the Resolved tab's table takes enter itself (RowSelected opens the row): bound here so
        # the footer and ? say what it does there
        Binding("enter", "open_resolved", "Open", id="resolved-open", tooltip="Open the selected resolved incident"),
        Binding("s", "start_incident", "Start", id="start-incident",
                tooltip="Start an incident from a response plan"),
        Binding("slash", "filter", "Filter", id="filter", key_display="/",
                tooltip="Filter: impact:1,2 (by the core) and title text (within loaded rows)"),
        Binding("n", "load_more", "More", id="load-more",
                tooltip="Load the next page of incidents from the core"),
        Binding("r", "reload", "Reload", id="reload", show=False, tooltip="Reload from the core"),
        Binding("j", "move(1)", "Down", show=False, id="list-down", tooltip="Next incident"),
        Binding("k", "move(-1)", "Up", show=False, id="list-up", tooltip="Previous incident"),
        Binding("down", "move(1)", "Down", show=False, id="list-down-arrow", tooltip="Next incident"),
        Binding("up", "move(-1)", "Up", show=False, id="list-up-arrow", tooltip="Previous incident"),
    ]

    TAB_IDS: ClassVar[tuple[str, ...]] = ("open", "resolved", "analyses")

    def __init__(self) -> None:
        super().__init__()
        self._open: dict[str, dict[str, Any]] = {}
        self._open_token: str | None = None
        self._resolved: dict[str, dict[str, Any]] = {}
        self._resolved_token: str | None = None
        self._held: dict[str, str] = {}  # resolved incident ARN -> the maintenance window it started in
        self._impacts: list[int] | None = None
        self._title_filter = ""
        self._pending: set[str] = set()
        self._counts = EngagementCounts()
        self._title_width = 0
        self._resolved_columns: tuple[tuple[str, str, int], ...] = ()

    # ---- layout ---------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield Input(id="filter-input", disabled=True,
                    placeholder="impact:1,2 and/or title text · enter applies · esc clears")
        with TabbedContent(initial="open", id="incident-tabs"):
            with TabPane("Open incidents", id="open"):
                with Vertical():
                    yield TileList(id="tiles")
                    yield Static(NO_OPEN, id="open-empty", classes="empty-state")
                    yield Static("", id="open-more", classes="more")
            with TabPane("Resolved incidents", id="resolved"):
                with Vertical():
                    yield KeyTable(id="resolved-table", fill="title")
                    yield Static("", id="resolved-more", classes="more")
            with TabPane("Analyses", id="analyses"):
                yield AnalysesPane(id="analyses-pane")

    _open_loaded = False
    """Whether the open incidents were read once (until then "No open incidents" would be a lie)."""

    def on_mount(self) -> None:
        super().on_mount()
        self._layout_resolved(self.app.size.width)
        self.update_breadcrumbs()
        self.reload()

    # ---- loading --------------------------------------------------------------------------
    def reload(self) -> None:
        self.check_workspace()

    def reload_data(self) -> None:
        self.reload()

    def _filters(self, status: str) -> list[dict[str, Any]]:
        filters: list[dict[str, Any]] = [
            {"key": "status", "condition": {"equals": {"stringValues": [status]}}}
        ]
        if self._impacts:
            filters.append({"key": "impact", "condition": {"equals": {"integerValues": self._impacts}}})
        return filters

    @work(exclusive=True, group="workspace")
    async def check_workspace(self) -> None:
        """Lists need a replication set; without one, say so instead of failing (the app opens
        the Get prepared wizard on first run, which then has the flash line)."""
        out = await self.call("DescribeWorkspace", {})
        if out is None:
            return
        if out.get("replicationSetArn"):
            self.load_open()
            self.load_resolved()
        elif self.app.current_mode == "incidents":
            self.flash("This workspace has no replication set yet, so incidents cannot start: "
                       ":prepare opens the Get prepared wizard", "warning")

    @work(exclusive=True, group="open-incidents")
    async def load_open(self, more: bool = False) -> None:
        params: dict[str, Any] = {"filters": self._filters("OPEN"), "maxResults": self.app.settings.page_size}
        if more:
            if not self._open_token:
                return
            params["nextToken"] = self._open_token
        out = await self.call("ListIncidentRecords", params)
        if out is None:
            return
        records = []
        for summary in out["incidentRecordSummaries"]:
            full = await self.call("GetIncidentRecord", {"arn": summary["arn"]})  # for chatChannel
            if full is not None:
                records.append(full["incidentRecord"])
        self._open_token = out.get("nextToken")
        self._open_loaded = True
        self._apply_open(records, replace=not more)

    @work(exclusive=True, group="resolved-incidents")
    async def load_resolved(self, more: bool = False) -> None:
        params: dict[str, Any] = {"filters": self._filters("RESOLVED"), "maxResults": self.app.settings.page_size}
        if more:
            if not self._resolved_token:
                return
            params["nextToken"] = self._resolved_token
        out = await self.call("ListIncidentRecords", params)
        if out is None:
            return
        self._resolved_token = out.get("nextToken")
        await self._learn_holds([r["arn"] for r in out["incidentRecordSummaries"]])
        self._apply_resolved(out["incidentRecordSummaries"], replace=not more)

    async def _learn_holds(self, arns: list[str]) -> None:
        """Which of these resolved incidents started in a maintenance window (their table mark)."""
        if arns:
            out = await self.call("ListMaintenanceHolds", {"incidentArns": arns})
            for hold in (out or {}).get("holds", []):
                self._held[hold["incidentArn"]] = hold["windowName"]

    # ---- live -----------------------------------------------------------------------------
    def on_domain_event(self, event: DomainEvent) -> None:
        incident = self._counts.incident_for(event)
        if incident in self._open:
            self._counts.pending.add(incident)
            self.refresh_counts()
        if event.resource_arn and ":incident-record/" in event.resource_arn:
            if event.type == ev.INCIDENT_DELETED:
                self._forget(event.resource_arn)
            elif event.type in LIVE_TYPES:
                self._pending.add(event.resource_arn)
                self.refresh_incidents()
        elif event.type == ev.REPLICATION_SET_CHANGED:
            self.check_workspace()

    @work(exclusive=True, group="incident-refresh")
    async def refresh_incidents(self) -> None:
        # An arn leaves the set only once applied, so a newer worker (exclusive) never loses one.
        while self._pending:
            arn = next(iter(self._pending))
            out = await self.call("GetIncidentRecord", {"arn": arn})
            self._pending.discard(arn)
            if out is not None:
                if out["incidentRecord"]["status"] == "RESOLVED" and arn not in self._held:
                    await self._learn_holds([arn])
                self._apply_record(out["incidentRecord"])

    @work(exclusive=True, group="engagement-counts")
    async def refresh_counts(self, debounce: bool = True) -> None:
        """Engaged/acknowledged for the open incidents that changed (a newer call cancels this
        one during the debounce, so a burst of events costs one call per incident)."""
        if debounce:
            await asyncio.sleep(DEBOUNCE_SECONDS)
        while self._counts.pending:
            arn = next(iter(self._counts.pending))
            if arn not in self._open:
                self._counts.pending.discard(arn)
                continue
            try:
                out = await self.app.client.call("ListIncidentEngagements", {"incidentRecordArn": arn})
            except ServiceError:
                out = None  # deleted meanwhile: its tile goes with the IncidentDeleted event
            self._counts.pending.discard(arn)
            if out is None:
                continue
            self._counts.learn(arn, out["engagements"])
            for tile in self.query(f"#{tile_id(arn)}").results(IncidentTile):
                tile.engaged, tile.acknowledged = people(out["engagements"])
                tile.held_by = (out.get("maintenanceHold") or {}).get("windowName", "")

    def _apply_record(self, record: dict[str, Any]) -> None:
        arn = record["arn"]
        in_core_filter = not self._impacts or record["impact"] in self._impacts
        with self.app.batch_update():
            if record["status"] == "OPEN" and in_core_filter:
                self._remove_resolved_row(arn)
                self._apply_open([record], replace=False)
            else:
                self._remove_tile(arn)
                if record["status"] == "RESOLVED" and in_core_filter:
                    self._apply_resolved([record], replace=False)
                else:
                    self._remove_resolved_row(arn)
        self._update_counts()

    def _forget(self, arn: str) -> None:
        self._remove_tile(arn)
        self._remove_resolved_row(arn)
        self._update_counts()

    # ---- open tiles -----------------------------------------------------------------------
    def _apply_open(self, records: list[dict[str, Any]], replace: bool) -> None:
        container = self.query_one("#tiles", VerticalScroll)
        with self.app.batch_update():
            if replace:
                keep = {r["arn"] for r in records}
                for arn in [a for a in self._open if a not in keep]:
                    self._remove_tile(arn)
            for record in records:
                arn = record["arn"]
                self._open[arn] = record
                self.app.incident_titles[arn] = record["title"]
                tiles = container.query(f"#{tile_id(arn)}")
                if tiles:
                    tile = tiles.first(IncidentTile)
                    if tile.impact != record["impact"]:  # its place in the order changed
                        self._place(container, tile, record)
                else:
                    tile = IncidentTile(arn, self.app.now, id=tile_id(arn))
                    self._counts.pending.add(arn)
                    self._place(container, tile, record)
                tile.incident_title = record["title"]
                tile.impact = record["impact"]
                tile.started = record["creationTime"]
                tile.chat = chat_channel_label(record.get("chatChannel"))
                tile.display = self._matches(record["title"])
        self._update_counts()
        if self._counts.pending:
            self.refresh_counts(debounce=False)
        if not isinstance(self.focused, IncidentTile | KeyTable | Input):
            self.call_after_refresh(self._focus_active_tab)

    def _place(self, container: VerticalScroll, tile: IncidentTile, record: dict[str, Any]) -> None:
        """Mount ``tile`` (or move it) to its place: the worst first, by impact, and within an
        impact the longest open first."""
        key = open_order(record)
        before = next((t for t in container.query_children(IncidentTile) if t is not tile
                       and t.arn in self._open and open_order(self._open[t.arn]) > key), None)
        if not tile.is_attached:
            container.mount(tile, before=before) if before is not None else container.mount(tile)
        elif before is not None:
            container.move_child(tile, before=before)
        elif container.children[-1] is not tile:
            container.move_child(tile, after=container.children[-1])

    def _remove_tile(self, arn: str) -> None:
        self._open.pop(arn, None)
        self._counts.forget(arn)
        for tile in self.query(f"#{tile_id(arn)}"):
            tile.remove()

    # ---- resolved table -------------------------------------------------------------------
    def _resolved_cells(self, record: dict[str, Any]) -> dict[str, Any]:
        zone = self.app.settings.zone
        start, end = record["creationTime"], record.get("resolvedTime")
        title = record["title"]
        mark = f" (window {self._held[record['arn']]})" if record["arn"] in self._held else ""
        room = max(self._title_width - len(mark), 1)
        if len(title) > room:
            title = title[: room - 1] + "…"
        title += mark
        cells = {
            "title": SortableText(title, end or start),  # the list is newest resolved first
            "impact": impact_label(record["impact"]),
            "start": start.astimezone(zone).strftime(SHORT_TIME),
            "duration": format_duration(end - start) if end else "–",
            "resolved": end.astimezone(zone).strftime(SHORT_TIME) if end else "–",
            "plan": plan_name(record["arn"]),
        }
        return {"title": cells["title"], **{key: cells[key] for key, _, _ in self._resolved_columns}}

    def on_resize(self, event: events.Resize) -> None:
        self._layout_resolved(event.size.width)

    def _layout_resolved(self, width: int) -> None:
        """Give the Resolved table the columns that fit ``width`` whole (a rebuild of the
        table, on a change of width only)."""
        title_width, columns = resolved_layout(width)
        if (title_width, columns) == (self._title_width, self._resolved_columns):
            return
        self._title_width, self._resolved_columns = title_width, columns
        table = self.query_one("#resolved-table", KeyTable)
        table.clear(columns=True)
        table.add_column("Title", key="title", width=title_width)
        for key, label, column_width in columns:
            table.add_column(label, key=key, width=column_width)
        self._sync_resolved_rows()

    def _apply_resolved(self, records: list[dict[str, Any]], replace: bool) -> None:
        if replace:
            keep = {r["arn"] for r in records}
            for arn in [a for a in self._resolved if a not in keep]:
                self._resolved.pop(arn, None)
        for record in records:
            self._resolved[record["arn"]] = record
            self.app.incident_titles[record["arn"]] = record["title"]
        self._sync_resolved_rows()

    def _sync_resolved_rows(self) -> None:
        """Make the table show exactly the loaded rows that match the title filter, by key."""
        table = self.query_one("#resolved-table", KeyTable)
        wanted = {arn: r for arn, r in self._resolved.items() if self._matches(r["title"])}
        with self.app.batch_update():
            if table.sync_rows((arn, tuple(self._resolved_cells(r).values())) for arn, r in wanted.items()):
                sort_by_value(table, "title", reverse=True)
        self._update_counts()

    def _remove_resolved_row(self, arn: str) -> None:
        self._resolved.pop(arn, None)
        table = self.query_one("#resolved-table", KeyTable)
        if arn in {k.value for k in table.rows}:
            table.remove_row(arn)

    # ---- counts, filter -------------------------------------------------------------------
    def _matches(self, title: str) -> bool:
        return self._title_filter.lower() in title.lower()

    def _update_counts(self) -> None:
        tabs = self.query_one("#incident-tabs", TabbedContent)
        shown_open = sum(1 for r in self._open.values() if self._matches(r["title"]))
        shown_resolved = sum(1 for r in self._resolved.values() if self._matches(r["title"]))
        more_open = "+" if self._open_token else ""
        more_resolved = "+" if self._resolved_token else ""
        relabel(tabs, "open", f"Open incidents ({shown_open}{more_open})")
        relabel(tabs, "resolved", f"Resolved incidents ({shown_resolved}{more_resolved})")
        empty = self.query_one("#open-empty", Static)
        empty.display = self._open_loaded and shown_open == 0
        if empty.display:
            empty.update(NO_MATCH if self._impacts or self._title_filter else NO_OPEN)
        self.query_one("#open-more", Static).update(
            "More open incidents in the core: press n to load them." if self._open_token else "")
        self.query_one("#resolved-more", Static).update(
            "More in the core: press n (or scroll to the end) to load the next page."
            if self._resolved_token else "")
        filters = []
        if self._impacts:
            filters.append("impact " + ",".join(map(str, self._impacts)))
        if self._title_filter:
            filters.append(f"title ~ “{self._title_filter}”")
        self.query_one("#breadcrumbs").right = ("filter: " + " · ".join(filters)) if filters else ""

    def action_filter(self) -> None:
        box = self.query_one("#filter-input", Input)
        box.disabled = False
        box.add_class("-shown")
        box.focus()

    @on(Input.Submitted, "#filter-input")
    def _apply_filter(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            impacts, words = parse_filter(event.value)
        except ValueError as error:
            self.flash(str(error), "error")  # the box stays open, with what was typed
            return
        self._hide_filter()
        core_changed = impacts != self._impacts
        self._impacts, self._title_filter = impacts, words
        if core_changed:
            self.load_open()
            self.load_resolved()
        for arn, record in self._open.items():
            for tile in self.query(f"#{tile_id(arn)}"):
                tile.display = self._matches(record["title"])
        self._sync_resolved_rows()
        if words:
            self.flash(f"title filter “{words}” narrows the incidents loaded so far (the core "
                       "filters impact and status; press n to load more pages)", "info")
        elif impacts:
            self.flash(f"showing impact {', '.join(map(str, impacts))} only", "info")
        else:
            self.flash("filter cleared", "info")

    def _hide_filter(self) -> None:
        box = self.query_one("#filter-input", Input)
        box.remove_class("-shown")
        box.disabled = True
        self._focus_active_tab()

    def on_key(self, event) -> None:
        box = self.query_one("#filter-input", Input)
        if event.key == "escape" and box.has_focus:
            event.stop()
            box.value = ""
            box.post_message(Input.Submitted(box, ""))

    # ---- navigation -----------------------------------------------------------------------
    def action_show_tab(self, tab: str) -> None:
        self.query_one("#incident-tabs", TabbedContent).active = tab

    @on(TabbedContent.TabActivated, "#incident-tabs")
    def _tab_changed(self) -> None:
        self._focus_active_tab()
        self.refresh_bindings()

    def _focus_active_tab(self) -> None:
        active = self.query_one("#incident-tabs", TabbedContent).active
        if active == "open":
            tiles = [t for t in self.query_one("#tiles").query_children(IncidentTile) if t.display]
            if tiles and not any(t.has_focus for t in tiles):
                if not tiles[0].is_mounted:
                    # Mounting is still under way: look again shortly (a timer, not
                    # call_after_refresh, which would starve the mount it waits for).
                    self.set_timer(0.02, self._focus_active_tab)
                    return
                # set_focus now, not focus() (which defers): a key typed right after the list
                # appears must already find the first tile focused.
                self.set_focus(tiles[0])
        else:
            # Focus the tab's table before the hidden tab's tile is told it is hidden: Textual
            # would move that tile's focus to a sibling tile, and so back to the Open tab.
            self.query_one(f"#{active}-table").focus()

    def action_move(self, step: int) -> None:
        tiles = [t for t in self.query_one("#tiles").query_children(IncidentTile) if t.display]
        if not tiles:
            return
        # the screen's focus, not has_focus (set only once each Focus message is handled):
        # `jjj` typed in one burst moves three tiles
        focused = next((i for i, t in enumerate(tiles) if t is self.focused), None)
        index = 0 if focused is None else max(0, min(len(tiles) - 1, focused + step))
        self.set_focus(tiles[index])  # at once: `j` then `enter`, typed fast, opens the new one
        tiles[index].scroll_visible()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed:
            return allowed
        tabs = self.tabs
        active = tabs.active if tabs is not None else "open"
        if action == "move":
            return active == "open"
        if action == "load_more":
            return active in ("open", "resolved")
        if action == "open_resolved":
            return active == "resolved"
        return True

    def action_open_resolved(self) -> None:
        table = self.query_one("#resolved-table", DataTable)
        if table.row_count:
            self.open_incident(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def action_load_more(self) -> None:
        active = self.query_one("#incident-tabs", TabbedContent).active
        token = self._open_token if active == "open" else self._resolved_token
        if not token:
            self.flash("everything is loaded", "info")
            return
        (self.load_open if active == "open" else self.load_resolved)(more=True)

    def action_reload(self) -> None:
        self.reload()
        self.flash("reloaded", "info")

    @on(IncidentTile.Opened)
    def _open_tile(self, event: IncidentTile.Opened) -> None:
        self.open_incident(event.arn)

    @on(DataTable.RowSelected, "#resolved-table")
    def _open_row(self, event: DataTable.RowSelected) -> None:
        self.open_incident(str(event.row_key.value))

    @on(DataTable.RowHighlighted, "#resolved-table")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if self._resolved_token and event.cursor_row >= event.data_table.row_count - 1:
            self.load_resolved(more=True)

    def open_incident(self, arn: str) -> CockpitScreen:
        from cockpit.incidents.detail_screen import IncidentDetailScreen

        if self._opening is not None and self.app.screen is not self:
            return self._opening  # `enter enter`: the second arrives with the first one's screen up
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead.arn == arn and ahead.ahead:
            detail = ahead
        else:
            self._discard(ahead)
            detail = IncidentDetailScreen(arn)
        self._opening = detail
        self.app.push_screen(detail)
        return detail

    _opening: CockpitScreen | None = None
    """The incident opened last, until the list is shown again."""

    # ---- the details of the focused tile, composed ahead -----------------------------------
    _ahead: IncidentDetailScreen | None = None
    """The details of the incident whose tile has the focus, composed while the list waits for
    the next key: `enter` then only lays them out and paints them."""

    @on(events.DescendantFocus)
    def _tile_focused(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, IncidentTile):
            self._prepare_soon(event.widget.arn)

    @work(exclusive=True, group=WAITING_GROUP)
    async def _prepare_soon(self, arn: str) -> None:
        """Once the focus has stayed on a tile a moment: `j` held down composes nothing."""
        await self.app.clock.sleep(PREPARE_AFTER)
        self._prepare(arn)

    @on(events.ScreenResume)
    def _back_on_a_tile(self) -> None:
        """Back from an incident, the tile that had the focus has it again, with no Focus event."""
        self._opening = None
        if isinstance(self.focused, IncidentTile):
            self.call_after_refresh(self._prepare, self.focused.arn)

    def _prepare(self, arn: str) -> None:
        focused = self.focused
        if self.app.screen is not self or not isinstance(focused, IncidentTile) or focused.arn != arn:
            return  # moved on, or left
        ahead = self._ahead
        if ahead is not None and ahead.arn == arn and ahead.ahead:
            return
        from cockpit.incidents.detail_screen import IncidentDetailScreen

        self._discard(ahead)
        self._ahead = IncidentDetailScreen(arn)
        self.app.prepare_screen(self._ahead)

    @on(events.ScreenSuspend)
    def _drop_ahead(self) -> None:
        """Left for another screen (an incident opened took its screen first)."""
        ahead, self._ahead = self._ahead, None
        self._discard(ahead)

    def _discard(self, screen: CockpitScreen | None) -> None:
        if screen is not None:
            self.app.call_later(self.app.discard_screen, screen)

    # ---- starting an incident -------------------------------------------------------------
    def action_start_incident(self) -> None:
        self.choose_plan()

    @work(exclusive=True, group="response-plans")
    async def choose_plan(self) -> None:
        out = await self.call("ListResponsePlans", {"maxResults": 100})
        if out is None:
            return
        plans = []
        for summary in out["responsePlanSummaries"]:
            plan = await self.call("GetResponsePlan", {"arn": summary["arn"]})
            if plan is None:
                continue
            template = plan.get("incidentTemplate") or {}
            plans.append(PlanChoice(plan["arn"], plan["name"], plan.get("displayName"),
                                    template.get("title", plan["name"]), template.get("impact", 3)))
        if not plans:
            self.flash("No response plans yet: create one first (:responseplans, or the Get "
                       "prepared wizard, :prepare)", "warning")
            return

        self.app.push_screen(StartIncidentModal(plans, self._start), self._started)

    async def _start(self, params: dict[str, Any]) -> Started:
        """StartIncident; an open incident with the plan's dedupe string absorbs the start and
        comes back instead of a new one (it was created before this call)."""
        before = self.app.now()
        arn = (await self.app.client.call("StartIncident", params))["incidentRecordArn"]
        record = (await self.app.client.call("GetIncidentRecord", {"arn": arn}))["incidentRecord"]
        return Started(record, joined=record["creationTime"] < before)

    def _started(self, started: Started | None) -> None:
        if started is None:
            return
        record = started.record
        if started.joined:
            detail = self.open_incident(record["arn"])
            self.app.flash(f"Joined open “{record['title']}” (same dedupe string)", "warning", on=detail)
            return
        self.flash(f"Incident started: “{record['title']}”", "success")
        self.action_show_tab("open")
        self._apply_record(record)
        self.select_tile(record["arn"])

    def select_tile(self, arn: str, tries: int = 50) -> None:
        """Focus the incident's tile once it is mounted (it may still be mounting)."""
        tile = next(iter(self.query(f"#{tile_id(arn)}").results(IncidentTile)), None)
        if tile is not None and tile.is_mounted:
            self.set_focus(tile)
            tile.scroll_visible()
        elif tries:
            self.set_timer(0.02, lambda: self.select_tile(arn, tries - 1))
