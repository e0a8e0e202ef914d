"""Response plans: the template an incident starts from, and whom it engages."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual import work
from textual.binding import Binding

from cockpit.contacts.calls import contact_choices
from cockpit.responseplans.calls import clone_runbook_template, save_response_plan
from cockpit.responseplans.editor import PrepResponsePlanForm
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.list_screen import PrepListScreen, Row
from core.model import events as ev
from widgets.formatting import alias_of


class ResponsePlansScreen(PrepListScreen):
    CRUMB = "Response plans"
    COLUMNS = (("name", "Plan"), ("title", "Incident title"), ("impact", "Impact"), ("engages", "Engages"))
    EMPTY = "No response plans yet. Press n to create one."
    REFRESH_ON = frozenset({ev.RESPONSE_PLAN_CHANGED})
    MUTATING_ACTIONS = frozenset({"new", "edit", "delete"})
    BINDINGS = [
        Binding("n", "new", "New", id="response-plan-new", tooltip="Create a response plan"),
        Binding("e", "edit", "Edit", id="response-plan-edit", tooltip="Edit the response plan"),
        Binding("d", "delete", "Delete", id="response-plan-delete", tooltip="Delete the response plan"),
    ]

    async def load_rows(self) -> list[Row] | None:
        page = await self.call("ListResponsePlans", {"maxResults": 100})
        if page is None:
            return None
        rows: list[Row] = []
        for summary in page.get("responsePlanSummaries", []):
            plan = await self.call("GetResponsePlan", {"arn": summary["arn"]}) or {}
            t = plan.get("incidentTemplate", {})
            rows.append((summary["arn"], (summary["name"], t.get("title", ""), str(t.get("impact", "")),
                                          ", ".join(alias_of(e) for e in plan.get("engagements", [])) or "–")))
        return rows

    @work(exclusive=True, group="response-plans-edit")
    async def action_new(self) -> None:
        contacts = await contact_choices(self.call)
        runbooks = await self.call_pages("ListRunbooks", {}, "runbooks")
        if contacts is not None and runbooks is not None:
            self.app.push_screen(PrepResponsePlanForm(partial(self._save, None), contacts, runbooks=runbooks,
                                                      clone=self._clone_runbook), self._saved)

    @work(exclusive=True, group="response-plans-edit")
    async def action_edit(self) -> None:
        arn = self.selected
        contacts = await contact_choices(self.call)
        plan = await self.call("GetResponsePlan", {"arn": arn}) if arn else None
        tags = await self.call("ListTagsForResource", {"resourceArn": arn}) if plan else None
        runbooks = await self.call_pages("ListRunbooks", {}, "runbooks")
        if contacts is not None and plan is not None and tags is not None and runbooks is not None:
            plan["tags"] = tags["tags"]
            self.app.push_screen(PrepResponsePlanForm(partial(self._save, arn), contacts, plan, runbooks=runbooks,
                                                      clone=self._clone_runbook), self._saved)

    async def _save(self, arn: str | None, request: dict[str, Any]) -> str:
        return await save_response_plan(self.app.client.call, request, arn)

    async def _clone_runbook(self, taken: set[str]) -> dict[str, Any]:
        return await clone_runbook_template(self.app.client.call, taken)

    def _saved(self, arn: str | None) -> None:
        if arn is not None:
            self.flash(f"saved response plan {alias_of(arn)}", "success")
            self.show_saved(arn)

    def action_delete(self) -> None:
        arn = self.selected
        if arn is not None:
            self.app.push_screen(ConfirmModal("Delete response plan", f"Delete response plan {self.table.get_row(arn)[0]}? Incidents started from it keep their records.", "Delete"),
                                 lambda yes: yes and self.delete(arn))

    @work(exclusive=True, group="response-plans-delete")
    async def delete(self, arn: str) -> None:
        if await self.call("DeleteResponsePlan", {"arn": arn}) is not None:
            self.flash("response plan deleted", "success")
            self.reload()
