"""The incident list's Analyses tab: every analysis, newest first; enter opens one, t the
analysis templates."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from cockpit.analyses.cells import fill_cell
from cockpit.analyses.screen import AnalysisScreen
from cockpit.analyses.templates_screen import AnalysisTemplatesScreen
from cockpit.shell.screen import CockpitScreen
from core.model import events as ev
from core.model.events import DomainEvent
from widgets.formatting import short_time, shorten
from widgets.key_table import KeyTable

INCIDENT_WIDTH = 16  # the incident's title beside the analysis's name (the analysis shows it whole)
COLUMNS = (("name", "Analysis"), ("incident", "Incident"), ("status", "Status"), ("actions", "Actions"),
           ("checklist", "Checklist"), ("created", "Created"))
EMPTY = ("No analyses yet. Open a resolved incident and press A to create one: it brings the incident's "
         "timeline, key moments and the standard questions (t: the templates).")


class AnalysesPane(Vertical):
    BINDINGS = [Binding("t", "templates", "Templates", id="analysis-templates",
                        tooltip="The analysis templates: make your own from the standard one, add sections and questions")]
    DEFAULT_CSS = """
    AnalysesPane #analyses-table { height: 1fr; }
    AnalysesPane #analyses-empty { height: auto; padding: 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield KeyTable(id="analyses-table", fill="name")
        yield Static(EMPTY, id="analyses-empty")

    def on_mount(self) -> None:
        table = self.query_one("#analyses-table", KeyTable)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        self.app.domain_events.subscribe(self, self._event)  # type: ignore[attr-defined]
        self.load()

    def _event(self, event: DomainEvent) -> None:
        if event.type == ev.ANALYSIS_CHANGED:
            self.load()

    @work(exclusive=True, group="analyses-load")
    async def load(self) -> None:
        screen = self.screen
        if not isinstance(screen, CockpitScreen):
            return
        analyses: list[dict[str, Any]] | None = await screen.call_pages("ListAnalyses", {}, "analyses")
        if analyses is None:
            return
        zone = self.app.settings.zone  # type: ignore[attr-defined]
        table = self.query_one("#analyses-table", KeyTable)
        table.sync_rows([(a["analysisId"], (
            fill_cell(a["name"]), shorten(a["incidentTitle"], INCIDENT_WIDTH), a["status"].lower(),
            f"{a['openActionItems']} open" if a["openActionItems"] else "none open",
            f"{a['uncheckedItems']} open" if a["uncheckedItems"] else "done",
            short_time(a["createdTime"], zone))) for a in analyses], ordered=True)
        self.query_one("#analyses-empty", Static).display = not analyses

    def action_templates(self) -> None:
        self.app.push_screen(AnalysisTemplatesScreen())

    @on(DataTable.RowSelected, "#analyses-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.push_screen(AnalysisScreen(str(event.row_key.value)))
