"""The Runbook tab's dialog that starts a runbook on an incident that has none."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Label, Select, Static

from cockpit.shell.modal import FormModal
from widgets.formatting import counted


class StartRunbookForm(FormModal[dict[str, Any]]):
    """Choose one of the runbooks (ListRunbooks summaries); ``save`` starts it (StartRunbookExecution)."""

    TITLE = "Start a runbook on this incident"
    SUBMIT_LABEL = "Start"
    FIELD_IDS = {"runbookName": "start-runbook-name", "parameters": "start-runbook-name"}

    def __init__(self, save, runbooks: list[dict[str, Any]]) -> None:
        super().__init__(save)
        self.runbooks = runbooks

    def compose_fields(self) -> ComposeResult:
        yield Label("Runbook", classes="field-label")
        yield Select([(f"{r['name']}: {counted(r['stepCount'], 'step')}, version {r['latestVersion']}", r["name"])
                      for r in self.runbooks], value=self.runbooks[0]["name"], allow_blank=False,
                     id="start-runbook-name")
        yield Static("It runs at its latest version. A parameter named IncidentRecordArn gets this incident's "
                     "ARN; the others take their defaults. The timeline records each step.", classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#start-runbook-name", Select).focus()

    def values(self) -> dict[str, Any]:
        """The chosen runbook's summary."""
        name = self.query_one("#start-runbook-name", Select).value
        return next(r for r in self.runbooks if r["name"] == name)
