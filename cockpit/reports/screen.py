"""Reports: response times, pages and incidents per week over a period, each as a chart in the
terminal (textual-plotext) with its table beside it. `p` changes the period, `m` the measure the
response-time charts plot; the figures are the core's (GetIncidentReport)."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from cockpit.analyses.cells import fill_cell
from cockpit.analyses.moments import seconds_text
from cockpit.reports import axes
from cockpit.reports.figures import MEASURES, Table, tables
from cockpit.shell.screen import CockpitScreen
from core.model import events as ev
from core.model.events import DomainEvent
from widgets.formatting import counted, shorten
from widgets.key_table import KeyTable

PERIODS = (7, 30, 90, 365)
TABS = (("plans", "Plans"), ("impact", "Impact"), ("contacts", "Contacts"), ("pages", "Pages"),
        ("hours", "Hours"), ("weeks", "Weeks"))
OVER_TIME = ("hours", "weeks")  # charts of counts over time (their tables: short labels, a count each)
TIMED = {"plans": "Plans", "impact": "Impact", "contacts": "Contacts"}  # charts of a time, by what
NAME_WIDTH = 12  # a category's name on a chart (the table beside it has it whole)
CHART_FRAME = 4  # a chart's rows that are not bars: the title, two borders, the labels under it
SHORT = dict(MEASURES)  # timeToAcknowledge -> ack
Y_TICKS = 5
TIMES_WIDTH = 44  # a response-times table at least: a name, n, and the median, p90 and mean of a measure
RELOAD_ON = frozenset({ev.INCIDENT_STARTED, ev.INCIDENT_RESOLVED, ev.INCIDENT_DELETED, ev.PAGE_ACCEPTED,
                       ev.ENGAGEMENT_STARTED})


class ReportsScreen(CockpitScreen):
    CRUMB = "Reports"
    DEFAULT_CSS = """
    ReportsScreen #report-summary { height: 1; padding: 0 1; background: $boost; }
    ReportsScreen #report-tabs, ReportsScreen ContentSwitcher { height: 1fr; }  /* the screen never scrolls */
    ReportsScreen TabPane { padding: 0; height: 1fr; }
    ReportsScreen .report-row { height: 1fr; }
    ReportsScreen PlotextPlot { width: 1fr; height: 1fr; }
    ReportsScreen KeyTable { width: 45%; height: 1fr; }  /* fixed: the chart keeps its size as rows arrive */
    """
    BINDINGS = [
        Binding("p", "period", "Period", id="report-period", tooltip="Report on the last 7, 30, 90 or 365 days"),
        Binding("m", "measure", "Measure", id="report-measure",
                tooltip="Chart time to engage, acknowledge or resolve (the tables follow)"),
        Binding("r", "reload", "Reload", id="report-reload", tooltip="Read the figures again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.days = 30
        self.measure = "timeToAcknowledge"
        self.report: dict[str, Any] | None = None
        self._tables: dict[str, Table] = {}
        self._undrawn: set[str] = set()
        """The charts not drawn since the figures (or the size, or the measure) changed."""

    def compose_body(self) -> ComposeResult:
        yield Static("", id="report-summary")
        with TabbedContent(id="report-tabs"):
            for key, label in TABS:
                with TabPane(label, id=f"report-{key}"), Horizontal(classes="report-row"):
                    yield PlotextPlot(id=f"chart-{key}")
                    table = KeyTable(id=f"table-{key}", zebra_stripes=True, fill=None if key in OVER_TIME else "name")
                    if key in TIMED:
                        table.styles.min_width = TIMES_WIDTH
                    yield table

    def on_mount(self) -> None:
        super().on_mount()
        self.action_reload()

    def on_domain_event(self, event: DomainEvent) -> None:
        if event.type in RELOAD_ON:
            self.action_reload()

    def reload_data(self) -> None:
        self.action_reload()

    def on_resize(self) -> None:
        self._undrawn = set(self._tables)  # the ticks and the names charted follow the charts' size
        self.call_after_refresh(self._draw_shown_chart)

    def action_period(self) -> None:
        self.days = PERIODS[(PERIODS.index(self.days) + 1) % len(PERIODS)]
        self.action_reload()

    def action_measure(self) -> None:
        names = [m for m, _ in MEASURES]
        self.measure = names[(names.index(self.measure) + 1) % len(names)]
        if self.report is not None:
            self._show(self.report)

    @work(exclusive=True, group="report-load")
    async def action_reload(self) -> None:
        zone = self.app.settings.timezone or "UTC"
        self.query_one("#report-summary", Static).update(f"Reading the last {self.days} days…")
        out = await self.call("GetIncidentReport", {"days": self.days, "timeZone": zone})
        if out is not None:
            self.report = out["report"]
            self._show(self.report)

    def _show(self, report: dict[str, Any]) -> None:
        overall = report["overall"]["timeToAcknowledge"]
        median = f"median ack {seconds_text(overall['median'])}" if overall.get("count") else "no acknowledgements"
        self.query_one("#report-summary", Static).update(
            f"Last {self.days} days: {counted(report['incidentCount'], 'incident')}, {median} · "
            f"charts: {SHORT[self.measure]}")
        self._tables = {table.key: table for table in tables(report, self.measure)}
        self._undrawn = set(self._tables)
        with self.app.batch_update():
            for table in self._tables.values():
                self._fill(table)
            self._draw_shown_chart()

    @on(TabbedContent.TabActivated, "#report-tabs")
    def _tab_shown(self) -> None:
        self.call_after_refresh(self._draw_shown_chart)  # once the chart is laid out at its size

    def _draw_shown_chart(self) -> None:
        """Only the chart shown is drawn (plotext takes a few ms a chart); the others when their
        tab is, at the size they then have."""
        key = self.query_one("#report-tabs", TabbedContent).active.removeprefix("report-")
        plot = self.query_one(f"#chart-{key}", PlotextPlot)
        if key not in self._undrawn:
            return
        if not plot.size.width:  # not laid out yet
            self.call_after_refresh(self._draw_shown_chart)
            return
        self._undrawn.discard(key)
        self._chart(self._tables[key], plot)

    def _fill(self, table: Table) -> None:
        grid = self.query_one(f"#table-{table.key}", KeyTable)
        grid.clear(columns=True)
        for index, header in enumerate(table.headers):  # the first, the names, takes the width the others leave
            grid.add_column(header, key="name" if index == 0 else str(index))
        grid.add_rows([(fill_cell(name), *cells) for name, *cells in table.rows])
        grid.fit_fill_column()

    def _chart(self, table: Table, plot: PlotextPlot) -> None:
        width, height = plot.size.width, plot.size.height
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        values, top = table.values, max(table.values, default=0)
        timed = table.key in TIMED
        title = f"{TIMED[table.key]}: median {SHORT[self.measure]}" if timed else table.title
        if table.key in OVER_TIME:  # columns over time: counts up the y axis
            plt.bar(list(range(len(values))), values, width=0.6)
            labels = [row[0] for row in table.rows]
            shown = (axes.hour_ticks(axes.room(width - 6, 2)) if table.key == "hours"
                     else axes.every_nth(len(labels), axes.room(width - 6, 6)))
            plt.xticks(shown, [labels[i] if table.key == "hours" else axes.week_label(labels[i]) for i in shown])
            plt.yticks(*axes.count_ticks(top, Y_TICKS))
            labels_width = len(str(int(top)))
        elif table.rows:  # categories: horizontal bars, the table's first ones top down, a row each at most
            charted = table.rows[: max(1, height - CHART_FRAME)]
            names = [shorten(row[0], NAME_WIDTH) for row in charted]
            values = values[: len(charted)]
            top = max(values)
            labels_width = max(map(len, names))
            plt.bar(names[::-1], values[::-1], width=0.6, orientation="horizontal")
            room = axes.room(width - labels_width - 3, 3)
            plt.xticks(*(axes.duration_ticks(top, room) if timed else axes.count_ticks(top, room)))
            title += f", {len(charted)} of {len(table.rows)}" if len(charted) < len(table.rows) else ""
        else:
            labels_width = 0
        plt.title(shorten(title, width - labels_width - 2))  # plotext leaves out a longer one
        plot.refresh()
