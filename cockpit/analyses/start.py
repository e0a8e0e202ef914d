"""Starting an analysis from a resolved incident: pick the template and name, then open it.
The incident screens call ``start_analysis``; nothing here imports them."""

from __future__ import annotations

from typing import Any

from cockpit.analyses.forms import CreateAnalysisForm
from cockpit.analyses.screen import AnalysisScreen
from cockpit.shell.screen import CockpitScreen


async def start_analysis(screen: CockpitScreen, incident_arn: str, incident_title: str) -> None:
    """Ask for the template and name (in a form that stays open on an error), then open the new analysis."""
    listed = await screen.call("ListAnalysisTemplates", {})
    if listed is None:
        return

    async def save(values: dict[str, Any]) -> dict[str, Any]:
        return await screen.app.client.call("CreateAnalysis", {"incidentRecordArn": incident_arn, **values})

    def created(made: dict[str, Any] | None) -> None:
        if made is not None:
            screen.flash("analysis created", "success")
            screen.app.push_screen(AnalysisScreen(made["analysisId"]))

    templates = [t["name"] for t in listed["templates"]]
    screen.app.push_screen(CreateAnalysisForm(save, templates, incident_title), created)
