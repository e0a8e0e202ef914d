"""Reports: response times, pages and incidents per week over a period, each as a chart in the
terminal (textual-plotext) with its table beside it. `p` changes the period, `m` the measure the
response-time charts plot; the figures are the core's (GetIncidentReport)."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from cockpit.reports.figures import MEASURES, Table, tables
from cockpit.shell.screen import CockpitScreen
from core.model import events as ev
from core.model.events import DomainEvent

PERIODS = (7, 30, 90, 365)
TABS = (("plans", "Plans"), ("impact", "Impact"), ("contacts", "Contacts"), ("pages", "Pages"),
        ("hours", "Hours"), ("weeks", "Weeks"))
MEASURE_NAMES = {"timeToEngage": "time to engage", "timeToAcknowledge": "time to acknowledge",
                 "timeToResolve": "time to resolve"}
RELOAD_ON = frozenset({ev.INCIDENT_STARTED, ev.INCIDENT_RESOLVED, ev.INCIDENT_DELETED, ev.PAGE_ACCEPTED,
                       ev.ENGAGEMENT_STARTED})


class ReportsScreen(CockpitScreen):
    CRUMB = "Reports"
    DEFAULT_CSS = """
    ReportsScreen #report-summary { height: 1; padding: 0 1; background: $boost; }
    ReportsScreen TabPane { padding: 0; }
    ReportsScreen .report-row { height: 1fr; }
    ReportsScreen PlotextPlot { width: 1fr; height: 1fr; }
    ReportsScreen DataTable { width: 45%; height: 1fr; }  /* fixed: the chart keeps its size as rows arrive */
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

    def compose_body(self) -> ComposeResult:
        yield Static("", id="report-summary")
        with TabbedContent(id="report-tabs"):
            for key, label in TABS:
                with TabPane(label, id=f"report-{key}"), Horizontal(classes="report-row"):
                    yield PlotextPlot(id=f"chart-{key}")
                    yield DataTable(id=f"table-{key}", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.action_reload()

    def on_domain_event(self, event: DomainEvent) -> None:
        if event.type in RELOAD_ON:
            self.action_reload()

    def reload_data(self) -> None:
        self.action_reload()

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
        out = await self.call("GetIncidentReport", {"days": self.days, "timeZone": zone})
        if out is not None:
            self.report = out["report"]
            self._show(self.report)

    def _show(self, report: dict[str, Any]) -> None:
        overall = report["overall"]["timeToAcknowledge"]
        median = f"median ack {overall['median'] / 60:.1f} min" if overall.get("count") else "no acknowledgements"
        self.query_one("#report-summary", Static).update(
            f"Last {self.days} days: {report['incidentCount']} incidents, {median} · "
            f"charts: {MEASURE_NAMES[self.measure]}")
        with self.app.batch_update():
            for table in tables(report, self.measure):
                self._fill(table)

    def _fill(self, table: Table) -> None:
        grid = self.query_one(f"#table-{table.key}", DataTable)
        grid.clear(columns=True)
        grid.add_columns(*table.headers)
        grid.add_rows(table.rows)
        plot = self.query_one(f"#chart-{table.key}", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        labels = [row[0] for row in table.rows]
        if table.key == "hours":
            plt.bar(list(range(24)), table.values, width=0.6)
            plt.xticks([0, 6, 12, 18, 23], ["00", "06", "12", "18", "23"])
        elif table.key == "weeks":
            plt.bar(list(range(len(labels))), table.values, width=0.6)
            plt.xticks(list(range(len(labels)))[::4], [label[5:] for label in labels][::4])
        elif labels:  # categories: horizontal bars, the names on the y axis
            plt.bar(labels, table.values, width=0.6, orientation="horizontal")
        plt.title(table.title + (f" (median {MEASURE_NAMES[self.measure]}, min)" if table.key in
                                 ("plans", "impact", "contacts") else ""))
        plot.refresh()
