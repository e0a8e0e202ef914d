"""Escalation plans: ESCALATION contacts, edited stage by stage."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual import work
from textual.binding import Binding

from cockpit.contacts.calls import contact_choices, list_contacts
from cockpit.plans.calls import save_escalation_plan
from cockpit.plans.forms import StageForm, stage_forms, stages_summary
from cockpit.plans.stage_editor import PrepStageEditor
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.list_screen import PrepListScreen, Row
from core.model import events as ev
from widgets.formatting import alias_of


class EscalationPlansScreen(PrepListScreen):
    CRUMB = "Escalation plans"
    COLUMNS = (("alias", "Plan"), ("stages", "Stages (minutes: contacts)"))
    EMPTY = "No escalation plans yet. Press n to create one."
    REFRESH_ON = frozenset({ev.CONTACT_CHANGED})
    MUTATING_ACTIONS = frozenset({"new", "edit", "delete"})
    BINDINGS = [
        Binding("n", "new", "New", id="plan-new", tooltip="Create an escalation plan"),
        Binding("e", "edit", "Edit", id="plan-edit", tooltip="Edit the plan's stages"),
        Binding("d", "delete", "Delete", id="plan-delete", tooltip="Delete the escalation plan"),
    ]

    async def load_rows(self) -> list[Row] | None:
        plans = await list_contacts(self.call, "ESCALATION")
        if plans is None:
            return None
        rows: list[Row] = []
        for p in plans:
            full = await self.call("GetContact", {"ContactId": p["ContactArn"]})
            rows.append((p["ContactArn"], (p["Alias"], stages_summary((full or {}).get("Plan")))))
        return rows

    @work(exclusive=True, group="plans-edit")
    async def action_new(self) -> None:
        contacts = await contact_choices(self.call, escalation_plans=False)
        if contacts is not None:
            self.app.push_screen(PrepStageEditor(partial(self._save, None), contacts), self._saved)

    @work(exclusive=True, group="plans-edit")
    async def action_edit(self) -> None:
        if self.selected is None:
            self.flash("no escalation plan selected", "warning")
            return
        contacts = await contact_choices(self.call, escalation_plans=False)
        plan = await self.call("GetContact", {"ContactId": self.selected})
        if contacts is not None and plan is not None:
            arn = plan["ContactArn"]
            self.app.push_screen(PrepStageEditor(partial(self._save, arn), contacts, plan["Alias"],
                                                 stage_forms(plan.get("Plan"))), self._saved)

    async def _save(self, arn: str | None, plan: tuple[str, list[StageForm]]) -> str:
        return await save_escalation_plan(self.app.client.call, *plan, arn)

    def _saved(self, arn: str | None) -> None:
        if arn is not None:
            self.flash(f"saved escalation plan {alias_of(arn)}", "success")
            self.show_saved(arn)

    def action_delete(self) -> None:
        arn = self.selected
        if arn is None:
            return
        self.app.push_screen(ConfirmModal("Delete escalation plan", f"Delete escalation plan {self.table.get_row(arn)[0]}?", "Delete"),
                             lambda yes: self.delete({"ContactId": arn}) if yes else None)

    @work(exclusive=True, group="plans-delete")
    async def delete(self, params: dict[str, Any]) -> None:
        if await self.call("DeleteContact", params) is not None:
            self.flash("escalation plan deleted", "success")
            self.reload()
