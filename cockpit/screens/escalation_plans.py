"""Escalation plans: ESCALATION contacts, edited stage by stage."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.binding import Binding

from cockpit.modals.confirm import ConfirmModal
from cockpit.modals.prep_stages import PrepStageEditor
from cockpit.screens.contacts import Call, list_contacts
from cockpit.screens.prep_list import PrepListScreen, Row
from cockpit.screens.prep_shapes import StageForm, escalation_stages, stage_forms, stages_summary


async def engageable_contacts(call: Call) -> list[tuple[str, str]] | None:
    """(label, arn) of the contacts an escalation stage can hold (people and schedules)."""
    contacts = await list_contacts(call)
    if contacts is None:
        return None
    return [(f"{c['Alias']} ({c['Type'].lower().replace('_', ' ')})", c["ContactArn"])
            for c in contacts if c["Type"] != "ESCALATION"]


async def save_escalation_plan(call: Call, alias: str, stages: list[StageForm], arn: str | None) -> str | None:
    plan = escalation_stages(stages)
    if arn is not None:
        return None if await call("UpdateContact", {"ContactId": arn, "Plan": plan}) is None else arn
    made = await call("CreateContact", {"Alias": alias, "DisplayName": alias, "Type": "ESCALATION", "Plan": plan})
    return None if made is None else made["ContactArn"]


class EscalationPlansScreen(PrepListScreen):
    CRUMB = "Escalation plans"
    COLUMNS = (("alias", "Plan"), ("stages", "Stages (minutes: contacts)"))
    EMPTY = "No escalation plans yet. Press n to create one."
    REFRESH_ON = frozenset({"ContactChanged"})
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
        contacts = await engageable_contacts(self.call)
        if contacts is not None:
            self.app.push_screen(PrepStageEditor(contacts), lambda r: self._save(r, None))

    @work(exclusive=True, group="plans-edit")
    async def action_edit(self) -> None:
        if self.selected is None:
            self.flash("no escalation plan selected", "warning")
            return
        contacts = await engageable_contacts(self.call)
        plan = await self.call("GetContact", {"ContactId": self.selected})
        if contacts is not None and plan is not None:
            arn = plan["ContactArn"]
            self.app.push_screen(PrepStageEditor(contacts, plan["Alias"], stage_forms(plan.get("Plan"))),
                                 lambda r: self._save(r, arn))

    def _save(self, result: tuple[str, list[StageForm]] | None, arn: str | None) -> None:
        if result is not None:
            self.save(*result, arn)

    @work(exclusive=True, group="plans-save")
    async def save(self, alias: str, stages: list[StageForm], arn: str | None) -> None:
        if await save_escalation_plan(self.call, alias, stages, arn) is not None:
            self.flash(f"saved escalation plan {alias}", "success")
            self.reload()

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
