"""Incident details: a banner and seven tabs, each counting the updates since you last looked.

Every read and write goes through the client in a named worker; live domain events for this
incident reload only what changed (record, timeline or related items).

Opening is what a responder waits on, so the screen does the least it can before its first
frame: only the Overview tab is composed with the screen (the other tabs fill in once that
frame is up, or at once if one is chosen first), and the first frame waits a moment for the
record and the timeline (local reads take a few milliseconds) so that it shows them rather than
"Loading…" and a second layout; a slow core only delays them, never the frame, past that moment.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from contextlib import suppress
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Label, Static, TabbedContent, TabPane
from textual.worker import Worker

from cockpit.analyses.start import start_analysis
from cockpit.feedback import describe_error
from cockpit.incidents.edit_incident import EditIncidentModal, EditSummaryModal
from cockpit.incidents.engagements_pane import EngagementsPane
from cockpit.incidents.related_item import RelatedItemModal
from cockpit.incidents.runbook_pane import CurrentRunbookStep, RunbookPane
from cockpit.incidents.timeline_event import TimelineEventModal
from cockpit.incidents.timeline_event_view import TimelineEventView
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.screen import CockpitScreen
from core.errors import ServiceError
from core.model import events as ev
from core.model.events import DomainEvent
from core.model.incidents import TimelineEventType
from widgets.formatting import EMPTY, chat_channel_label, local_time, plan_name, zone_name
from widgets.impact_badge import ImpactBadge
from widgets.key_table import KeyTable, SortableText, sort_by_value
from widgets.live_duration import LiveDuration
from widgets.tab_label import relabel
from widgets.timeline_text import describe, is_custom, kind_label

TABS: tuple[tuple[str, str], ...] = (
    ("overview", "Overview"),
    ("metrics", "Metrics"),
    ("timeline", "Timeline"),
    ("runbook", "Runbook"),
    ("engagements", "Engagements"),
    ("related", "Related"),
    ("properties", "Properties"),
)
CRUMB_TITLES = {**dict(TABS), "related": "Related items"}
TIMELINE_EVENTS = {ev.TIMELINE_EVENT_ADDED, ev.TIMELINE_EVENT_UPDATED, ev.TIMELINE_EVENT_DELETED}
RECENT = 5
CUSTOM = TimelineEventType.CUSTOM.value
FIRST_FRAME_WAIT = 0.1
"""Seconds the first frame waits for the record and the timeline before it shows without them."""


def item_value_text(item: dict[str, Any]) -> str:
    value = item["identifier"]["value"]
    return str(value.get("url") or value.get("arn") or value.get("metricDefinition") or value)


def item_key(item: dict[str, Any]) -> str:
    return item["identifier"]["type"] + " " + json.dumps(item["identifier"]["value"], sort_keys=True)


class IncidentDetailScreen(CockpitScreen):
    CSS_PATH = "detail_screen.tcss"
    MUTATING_ACTIONS = frozenset({
        "edit_incident", "edit_summary", "resolve", "add_event", "edit_event", "delete_event",
        "add_metric", "remove_metric", "add_related", "remove_related", "create_analysis",
    })
    # Which tab each context-dependent action belongs to (check_action shows only those).
    TAB_ACTIONS: ClassVar[dict[str, str]] = {
        "edit_summary": "overview",
        "add_event": "timeline", "edit_event": "timeline", "delete_event": "timeline",
        "view_event": "timeline", "add_metric": "metrics", "remove_metric": "metrics",
        "add_related": "related", "remove_related": "related",
    }

    BINDINGS = [
        Binding("e", "edit_incident", "Edit", id="edit-incident",
                tooltip="Edit title, impact and chat channel"),
        Binding("R", "resolve", "Resolve", id="resolve-incident",
                tooltip="Resolve the incident (asks first)"),
        Binding("u", "edit_summary", "Summary", id="edit-summary",
                tooltip="Edit the summary (the last save wins)"),
        Binding("a", "add_event", "Add event", id="add-timeline-event",
                tooltip="Add a custom timeline event"),
        Binding("enter", "view_event", "View event", id="view-timeline-event",
                tooltip="The selected event in full: its whole text and the data recorded with it"),
        Binding("E", "edit_event", "Edit event", id="edit-timeline-event",
                tooltip="Edit the selected custom event"),
        Binding("d", "delete_event", "Delete", id="delete-timeline-event",
                tooltip="Delete the selected custom event (asks first)"),
        Binding("a", "add_metric", "Add metric", id="add-metric", tooltip="Add a metric"),
        Binding("d", "remove_metric", "Remove", id="remove-metric",
                tooltip="Remove the selected metric (asks first)"),
        Binding("a", "add_related", "Add item", id="add-related-item",
                tooltip="Add a related item: an ARN or a URL"),
        Binding("d", "remove_related", "Remove", id="remove-related-item",
                tooltip="Remove the selected related item (asks first)"),
        Binding("A", "create_analysis", "Create analysis", id="create-analysis",
                tooltip="Start a post-incident analysis of this resolved incident"),
        Binding("r", "reload", "Reload", show=False, id="reload-incident", tooltip="Reload from the core"),
    ]

    def __init__(self, arn: str) -> None:
        super().__init__()
        self.arn = arn
        self.record: dict[str, Any] | None = None
        self.events: list[dict[str, Any]] = []
        self.related: list[dict[str, Any]] = []
        self.unseen: dict[str, int] = {tab: 0 for tab, _ in TABS}
        self._descriptions: dict[tuple[str, Any], str] = {}
        self._full_events: dict[tuple[str, Any], dict[str, Any]] = {}
        """(eventId, eventUpdatedTime) -> the event as GetTimelineEvent returned it."""
        self._resumed = False
        self._filled: set[str] = {"overview"}
        """The tabs composed so far (the others compose when first needed)."""

    @property
    def crumb(self) -> str:
        return self.record["title"] if self.record else "Incident"  # the breadcrumbs shorten it to fit

    # ---- layout ---------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        with Vertical(id="banner"):
            with Horizontal(classes="banner-line"):
                yield ImpactBadge(id="banner-impact")
                yield Label("Loading…", id="banner-title")
                yield Label("", id="banner-status")
            with Horizontal(classes="banner-line banner-details"):
                yield LiveDuration(self.app.now, prefix="duration ", id="banner-duration")
                yield Label("", id="banner-chat")
                yield Label("", id="banner-plan")
        with TabbedContent(initial="overview", id="detail-tabs"):
            for tab, _ in TABS:
                with TabPane(CRUMB_TITLES[tab], id=tab):
                    if tab == "overview":
                        yield from self._overview()

    def _overview(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("Summary  (u edits)", classes="section")
            yield Static("", id="summary")
            yield Label("Recent timeline events", classes="section")
            yield Static("", id="recent-events")
            yield Label("Current runbook step", classes="section")
            yield CurrentRunbookStep(self.arn, id="current-runbook-step")

    def _metrics(self) -> Widget:
        table = KeyTable(id="metrics-table", fill="value")
        table.add_column("Title", key="title")
        table.add_column("Metric", key="value")
        return Vertical(Static("Metrics are related items of type METRIC. a adds one, d removes "
                               "the selected one.", classes="hint"), table)

    def _timeline(self) -> Widget:
        table = KeyTable(id="timeline-table", fill="description")
        table.add_column("When", key="when")
        table.add_column("", key="kind-mark")
        table.add_column("Kind", key="kind")
        table.add_column("Description", key="description")
        zone = zone_name(self.app.settings.zone, self.app.now())
        return Vertical(Static(f"Times in {zone}; enter opens an event in full. ✎ custom events: E edits, "
                               "d deletes. ⚙ automatic events come from the core and are read-only.",
                               classes="hint", id="timeline-hint"), table)

    def _runbook(self) -> Widget:
        return RunbookPane(self.arn, id="runbook-pane")

    def _engagements(self) -> Widget:
        record = self.record or {}
        return EngagementsPane(self.arn, record.get("title", ""), record.get("impact"), id="engagements-pane")

    def _related(self) -> Widget:
        table = KeyTable(id="related-table", fill="value")
        table.add_column("Title", key="title")
        table.add_column("Type", key="type")
        table.add_column("ARN or URL", key="value")
        return Vertical(Static("Links and ARNs responders gathered. a adds, d removes the "
                               "selected one.", classes="hint"), table)

    def _properties(self) -> Widget:
        return VerticalScroll(Static("", id="properties-table"))

    def _fill_tab(self, tab: str) -> Worker | None:
        """Compose a tab the first time it is needed (it shows what is loaded already)."""
        if tab in self._filled:
            return None
        self._filled.add(tab)
        builders: dict[str, Callable[[], Widget]] = {
            "metrics": self._metrics, "timeline": self._timeline, "runbook": self._runbook,
            "engagements": self._engagements, "related": self._related, "properties": self._properties,
        }
        return self.run_worker(self._mount_tab(tab, builders[tab]()), group=f"fill-{tab}")

    async def _mount_tab(self, tab: str, content: Widget) -> None:
        if self.is_closing:
            return
        await self.query_one(f"#{tab}", TabPane).mount(content)
        if self.is_closing:
            return
        if tab in ("metrics", "related"):
            self._show_related()
        elif tab == "timeline":
            self._show_timeline()
        elif tab == "properties":
            self._show_properties()
        if self._active_tab() == tab:
            self._focus_tab(tab)

    def _fill_next_tab(self) -> None:
        """After the first frame: the tabs not shown yet, one per refresh, so `]` finds them ready."""
        if self.app.screen is not self:  # closing, or covered: the tabs left fill when chosen
            return
        tab = next((t for t, _ in TABS if t not in self._filled), None)
        if tab is not None:
            self._fill_tab(tab)
            self.call_after_refresh(self._fill_next_tab)

    async def on_mount(self) -> None:
        super().on_mount()  # subscribed before the loads below are awaited
        self.update_breadcrumbs()
        first = [self.load_record(), self.load_timeline()]
        self.load_related()
        await self._shortly(first)
        if self.ahead:
            self.call_after_refresh(self.lay_out_ahead)
        else:
            self.call_after_refresh(self._fill_next_tab)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Pushed, Textual restyles the whole screen as it first shows it, though every widget
        was styled as it mounted a moment before: the first time, resume without that pass."""
        first = not self._resumed
        if first and self.ahead:  # prepared ahead: what changed meanwhile is not news to anyone
            self.unseen = dict.fromkeys(self.unseen, 0)
            self._update_tab_labels()
            self.call_after_refresh(self._fill_next_tab)  # it waited for the screen to be shown
        if event.refresh_styles and first:
            event.prevent_default()  # the handlers below run here, in their order, without it
            Screen._on_screen_resume(self, events.ScreenResume(refresh_styles=False))
            CockpitScreen.on_screen_resume(self)
        self._resumed = True

    @staticmethod
    async def _shortly(workers: list[Worker]) -> None:
        """Wait for ``workers`` to end, at most FIRST_FRAME_WAIT (a failure was already flashed)."""

        async def ended(worker: Worker) -> None:
            with suppress(Exception):
                await worker.wait()

        await asyncio.wait([asyncio.ensure_future(ended(w)) for w in workers], timeout=FIRST_FRAME_WAIT)

    # ---- loading --------------------------------------------------------------------------
    @work(exclusive=True, group="incident-record")
    async def load_record(self) -> None:
        out = await self.call("GetIncidentRecord", {"arn": self.arn})
        if out is None or self.is_closing:
            return
        self.record = out["incidentRecord"]
        self.app.incident_titles[self.arn] = self.record["title"]
        self._show_record()

    @work(exclusive=True, group="incident-timeline")
    async def load_timeline(self) -> None:
        events = await self.call_pages(
            "ListTimelineEvents", {"incidentRecordArn": self.arn, "maxResults": 100}, "eventSummaries"
        )
        if events is None:
            return
        # Summaries carry no eventData: fetch it once per version, the missing ones together.
        missing = [e for e in events if (e["eventId"], e["eventUpdatedTime"]) not in self._descriptions]
        fulls = await asyncio.gather(*(
            self.call("GetTimelineEvent", {"incidentRecordArn": self.arn, "eventId": e["eventId"]})
            for e in missing))
        for event, full in zip(missing, fulls, strict=True):
            key = (event["eventId"], event["eventUpdatedTime"])
            self._descriptions[key] = describe(event["eventType"], full["event"].get("eventData") if full else None)
            if full:
                self._full_events[key] = full["event"]
        for event in events:
            event["description"] = self._descriptions[(event["eventId"], event["eventUpdatedTime"])]
        if self.is_closing:
            return
        self.events = events
        self._show_timeline()

    @work(exclusive=True, group="incident-related")
    async def load_related(self, count_updates: bool = False) -> None:
        items = await self.call_pages(
            "ListRelatedItems", {"incidentRecordArn": self.arn, "maxResults": 100}, "relatedItems"
        )
        if items is None or self.is_closing:
            return
        if count_updates:
            before = {item_key(i): i for i in self.related}
            after = {item_key(i): i for i in items}
            changed = [before.get(k) or after.get(k) for k in set(before) ^ set(after)]
            for item in changed:
                if item is not None:
                    self._bump("metrics" if item["identifier"]["type"] == "METRIC" else "related")
        self.related = items
        self._show_related()

    # ---- showing --------------------------------------------------------------------------
    def _show_record(self) -> None:
        record = self.record
        if record is None:
            return
        self.query_one("#banner-impact", ImpactBadge).impact = record["impact"]
        self.query_one("#banner-title", Label).update(record["title"])
        for pane in self.query(EngagementsPane).results(EngagementsPane):  # engaging someone names the incident
            pane.incident_title, pane.incident_impact = record["title"], record["impact"]
        status = self.query_one("#banner-status", Label)
        status.update(record["status"])
        status.set_class(record["status"] == "RESOLVED", "-resolved")
        duration = self.query_one("#banner-duration", LiveDuration)
        duration.since = record["creationTime"]
        duration.until = record.get("resolvedTime")
        self.query_one("#banner-chat", Label).update(f"chat {chat_channel_label(record.get('chatChannel'))}")
        self.query_one("#banner-plan", Label).update(f"plan {plan_name(self.arn)}")
        summary = record.get("summary") or "No summary yet. Press u to write what is known."
        self.query_one("#summary", Static).update(Text(summary))
        self._show_properties()
        self.update_breadcrumbs()
        self.refresh_bindings()

    def _show_properties(self) -> None:
        record = self.record
        shown = list(self.query("#properties-table").results(Static))
        if record is None or not shown:
            return
        zone = self.app.settings.zone
        parents = [i for i in self.related if i["identifier"]["type"] == "PARENT"]
        analyses = [i for i in self.related if i["identifier"]["type"] == "ANALYSIS"]
        source = record.get("incidentRecordSource") or {}
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        rows = [
            ("Status", record["status"]),
            ("Start time", local_time(record["creationTime"], zone)),
            ("Resolved time", local_time(record.get("resolvedTime"), zone)),
            ("ARN", self.arn),
            ("Response plan", record.get("responsePlanArn") or plan_name(self.arn)),
            ("Parent item", ", ".join(p.get("title") or item_value_text(p) for p in parents) or EMPTY),
            ("Analysis", ", ".join(a.get("title") or item_value_text(a) for a in analyses) or "none yet"),
            ("Owner", f"account {self.arn.split(':')[4]}"),
            ("Created by", source.get("createdBy") or EMPTY),
            ("Source", source.get("source") or EMPTY),
        ]
        for name, value in rows:
            grid.add_row(name, str(value))
        for static in shown:
            static.update(grid)

    def _show_timeline(self) -> None:
        zone = self.app.settings.zone
        for table in self.query("#timeline-table").results(KeyTable):
            rows = []
            for position, event in enumerate(self.events):
                custom = is_custom(event["eventType"])
                rows.append((event["eventId"], (SortableText(local_time(event["eventTime"], zone), position),
                                                "✎" if custom else "⚙", kind_label(event["eventType"]),
                                                Text(event["description"], no_wrap=True, overflow="ellipsis"))))
            with self.app.batch_update():
                table.sync_rows(rows)
                sort_by_value(table, "when")  # the core's order: event time, then creation
        recent = Text(no_wrap=True, overflow="ellipsis")
        for event in self.events[-RECENT:][::-1]:
            recent.append(f"{local_time(event['eventTime'], zone)}  ", style="dim")
            recent.append(f"{'✎' if is_custom(event['eventType']) else '⚙'} {kind_label(event['eventType'])}: ",
                          style="bold")
            recent.append(event["description"] + "\n")
        self.query_one("#recent-events", Static).update(recent or Text("No events yet."))
        self._update_tab_labels()

    def _show_related(self) -> None:
        with self.app.batch_update():
            for metrics in self.query("#metrics-table").results(KeyTable):
                metrics.sync_rows((item_key(item), (item.get("title") or EMPTY, item_value_text(item)))
                                  for item in self.related if item["identifier"]["type"] == "METRIC")
            for related in self.query("#related-table").results(KeyTable):
                related.sync_rows((item_key(item), (item.get("title") or EMPTY, item["identifier"]["type"],
                                                    item_value_text(item)))
                                  for item in self.related if item["identifier"]["type"] != "METRIC")
        self._show_properties()
        self._update_tab_labels()

    # ---- update counters ------------------------------------------------------------------
    def _active_tab(self) -> str:
        tabs = self.tabs
        return tabs.active if tabs is not None else "overview"

    def _bump(self, tab: str) -> None:
        if tab != self._active_tab() or self.app.screen is not self:
            self.unseen[tab] += 1
            self._update_tab_labels()

    def _update_tab_labels(self) -> None:
        tabs = self.query_one("#detail-tabs", TabbedContent)
        for tab, title in TABS:
            label = title
            if self.unseen[tab]:
                label += f" [b]+{self.unseen[tab]}[/b]"
            relabel(tabs, tab, label)

    @on(TabbedContent.TabActivated, "#detail-tabs")
    def _looked_at(self, event: TabbedContent.TabActivated) -> None:
        tab = event.pane.id or ""
        if self.unseen.get(tab):
            self.unseen[tab] = 0
            self._update_tab_labels()
        if self._fill_tab(tab) is None:  # composed already (else it takes the focus once mounted)
            self._focus_tab(tab)
        self.update_breadcrumbs()
        self.refresh_bindings()

    def _focus_tab(self, tab: str) -> None:
        for table in self.query_one(f"#{tab}", TabPane).query(DataTable):  # the Engagements pane's table is one too
            self.set_focus(table)
            break

    def update_breadcrumbs(self) -> None:
        super().update_breadcrumbs()
        if self.is_mounted:
            crumbs = self.query_one("#breadcrumbs")
            title = CRUMB_TITLES.get(self._active_tab(), "")
            crumbs.crumbs = (*crumbs.crumbs, title)

    # ---- live -----------------------------------------------------------------------------
    def on_domain_event(self, event: DomainEvent) -> None:
        if event.resource_arn != self.arn:
            return
        if event.type in TIMELINE_EVENTS:
            changed_id = event.detail.get("eventId")
            for key in [k for k in self._descriptions if k[0] == changed_id]:
                del self._descriptions[key]  # same updated time is possible on a fake clock
            self._bump("timeline")
            self._bump("overview")
            self.load_timeline()
        elif event.type == ev.INCIDENT_UPDATED:
            changed = event.detail.get("changed") or []
            if "summary" in changed:
                self._bump("overview")
            if "status" in changed:
                self._bump("properties")
            self.load_record()
        elif event.type == ev.RELATED_ITEMS_UPDATED:
            self.load_related(count_updates=True)
        elif event.type == ev.INCIDENT_DELETED:
            self.flash("This incident was deleted", "warning")
            if self.app.screen is self:
                self.app.pop_screen()

    # ---- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed:
            return allowed
        tab = self.TAB_ACTIONS.get(action)
        if tab is not None and self.is_mounted and self._active_tab() != tab:
            return False
        if action == "resolve":
            return self.record is not None and self.record["status"] == "OPEN"
        if action == "create_analysis":
            return self.record is not None and self.record["status"] == "RESOLVED"
        return True

    def action_reload(self) -> None:
        self.load_record()
        self.load_timeline()
        self.load_related()

    def reload_data(self) -> None:
        self.action_reload()
        for pane in self.query(EngagementsPane).results(EngagementsPane):
            pane.reload()

    async def _update(self, params: dict[str, Any]) -> dict:
        await self.app.client.call("UpdateIncidentRecord", {"arn": self.arn, **params})
        return params

    def action_edit_incident(self) -> None:
        if self.record is None:
            return

        def done(result: dict | None) -> None:
            if result:
                self.flash("Incident updated", "success")

        self.app.push_screen(EditIncidentModal(self.record, self._update), done)

    def action_edit_summary(self) -> None:
        if self.record is None:
            return

        def done(result: dict | None) -> None:
            if result is not None:
                self.flash("Summary saved", "success")

        self.app.push_screen(EditSummaryModal(self.record.get("summary") or "", self._update), done)

    def action_resolve(self) -> None:
        if self.record is None:
            return
        title = self.record["title"]

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.resolve()

        self.app.push_screen(
            ConfirmModal("Resolve incident", f"Resolve “{title}”? It moves to Resolved incidents "
                         "and its duration stops.", "Resolve"),
            confirmed,
        )

    @work(exclusive=True, group="incident-analysis")
    async def action_create_analysis(self) -> None:
        if self.record is not None:
            await start_analysis(self, self.arn, self.record["title"])

    @work(exclusive=True, group="incident-resolve")
    async def resolve(self) -> None:
        if await self.call("UpdateIncidentRecord", {"arn": self.arn, "status": "RESOLVED"}) is not None:
            self.flash("Incident resolved", "success")

    # timeline
    def _selected(self, table_id: str) -> str | None:
        table = next(iter(self.query(f"#{table_id}").results(KeyTable)), None)
        if table is None or table.row_count == 0:  # its tab may still be composing
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    def action_add_event(self) -> None:
        async def create(values: dict[str, Any]) -> dict:
            await self.app.client.call("CreateTimelineEvent", {
                "incidentRecordArn": self.arn, "eventTime": values["eventTime"],
                "eventType": CUSTOM, "eventData": json.dumps(values["eventData"]),
            })
            return values

        def done(result: dict | None) -> None:
            if result:
                self.flash("Custom event added to the timeline", "success")

        self.app.push_screen(TimelineEventModal(self.app.now(), "", self.app.settings.zone, create,
                                                title="Add a custom timeline event"), done)

    @on(DataTable.RowSelected, "#timeline-table")
    def _row_chosen(self) -> None:
        self.action_view_event()

    def action_view_event(self) -> None:
        event_id = self._selected("timeline-table")
        event = next((e for e in self.events if e["eventId"] == event_id), None)
        if event is None:
            return
        full = self._full_events.get((event["eventId"], event["eventUpdatedTime"]), event)

        def chosen(what: str | None) -> None:
            if what == "edit" and event_id is not None:
                self.edit_event(event_id)

        self.app.push_screen(TimelineEventView(full, self.app.settings.zone), chosen)

    def action_edit_event(self) -> None:
        event_id = self._selected("timeline-table")
        if event_id is not None:
            self.edit_event(event_id)

    @work(exclusive=True, group="timeline-edit")
    async def edit_event(self, event_id: str) -> None:
        event = next((e for e in self.events if e["eventId"] == event_id), None)
        if event is None:
            return
        if not is_custom(event["eventType"]):
            # The core decides what may change; its refusal says why, so show exactly that.
            try:
                await self.app.client.call("UpdateTimelineEvent",
                                           {"incidentRecordArn": self.arn, "eventId": event_id})
            except ServiceError as error:
                self.flash(describe_error(error), "error")
                return

        async def update(values: dict[str, Any]) -> dict:
            await self.app.client.call("UpdateTimelineEvent", {
                "incidentRecordArn": self.arn, "eventId": event_id,
                "eventTime": values["eventTime"], "eventData": json.dumps(values["eventData"]),
            })
            return values

        def done(result: dict | None) -> None:
            if result:
                self.flash("Timeline event updated", "success")

        self.app.push_screen(TimelineEventModal(event["eventTime"], event["description"],
                                                self.app.settings.zone, update,
                                                title="Edit custom timeline event"), done)

    def action_delete_event(self) -> None:
        event_id = self._selected("timeline-table")
        event = next((e for e in self.events if e["eventId"] == event_id), None)
        if event is None:
            return
        if not is_custom(event["eventType"]):
            self.flash(f"“{kind_label(event['eventType'])}” is an automatic event the core records; "
                       "only custom events can be deleted", "error")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.delete_event(event_id)

        self.app.push_screen(ConfirmModal("Delete timeline event",
                                          f"Delete “{event['description']}”?", "Delete"), confirmed)

    @work(exclusive=True, group="timeline-delete")
    async def delete_event(self, event_id: str) -> None:
        if await self.call("DeleteTimelineEvent",
                           {"incidentRecordArn": self.arn, "eventId": event_id}) is not None:
            self.flash("Timeline event deleted", "success")

    # metrics and related items
    async def _add_item(self, item: dict[str, Any]) -> dict:
        await self.app.client.call("UpdateRelatedItems", {
            "incidentRecordArn": self.arn, "relatedItemsUpdate": {"itemToAdd": item}})
        return item

    def _added(self, result: dict | None) -> None:
        if result:
            self.flash(f"Added {result.get('title') or item_value_text(result)}", "success")

    def action_add_metric(self) -> None:
        self.app.push_screen(RelatedItemModal(self._add_item, metric=True), self._added)

    def action_add_related(self) -> None:
        self.app.push_screen(RelatedItemModal(self._add_item), self._added)

    def action_remove_metric(self) -> None:
        self._remove_item("metrics-table")

    def action_remove_related(self) -> None:
        self._remove_item("related-table")

    def _remove_item(self, table_id: str) -> None:
        key = self._selected(table_id)
        item = next((i for i in self.related if item_key(i) == key), None)
        if item is None:
            self.flash("nothing selected", "warning")
            return
        label = item.get("title") or item_value_text(item)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.remove_item(item)

        self.app.push_screen(ConfirmModal("Remove related item", f"Remove “{label}” from this incident?",
                                          "Remove"), confirmed)

    @work(exclusive=True, group="related-remove")
    async def remove_item(self, item: dict[str, Any]) -> None:
        out = await self.call("UpdateRelatedItems", {
            "incidentRecordArn": self.arn,
            "relatedItemsUpdate": {"itemToRemove": item["identifier"]},
        })
        if out is not None:
            self.flash(f"Removed {item.get('title') or item_value_text(item)}", "success")
