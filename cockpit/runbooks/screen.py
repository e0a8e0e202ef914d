"""Runbooks: the SSM Automation documents responders step through in an incident's Runbook tab.
Lists them, shows one (enter), clones the critical incident template (c), checks a document
and lists its problems (v), deletes one (d). Importing a file is `cockpit runbook import`."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.binding import Binding

from cockpit.responseplans.calls import runbook_action
from cockpit.runbooks.forms import CloneTemplateForm, RunbookView, ValidateModal
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.list_screen import PrepListScreen, Row
from cockpit.shell.modal import FormError
from core.errors import ConflictException
from core.model import events as ev
from widgets.formatting import counted, local_time
from widgets.key_table import KeyTable


class RunbooksScreen(PrepListScreen):
    CRUMB = "Runbooks"
    COLUMNS = (("name", "Runbook"), ("version", "Version"), ("steps", "Steps"), ("updated", "Updated"),
               ("description", "Description"))
    EMPTY = ("No runbooks yet. Press c to clone the critical incident template, or import a document: "
             "cockpit runbook import FILE.")
    REFRESH_ON = frozenset({ev.RUNBOOK_CHANGED})
    MUTATING_ACTIONS = frozenset({"clone", "delete"})
    BINDINGS = [
        Binding("enter", "show", "Show", id="runbook-show", tooltip="The runbook's steps and document"),
        Binding("c", "clone", "Clone template", id="runbook-clone", tooltip="A new runbook from a shipped template"),
        Binding("v", "validate", "Check document", id="runbook-validate",
                tooltip="Type or paste a document and list its problems (nothing is saved)"),
        Binding("d", "delete", "Delete", id="runbook-delete", tooltip="Delete the selected runbook (asks first)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.runbooks: dict[str, dict[str, Any]] = {}

    def on_mount(self) -> None:
        super().on_mount()
        self.table.fill = "description"  # takes the width the others leave: no sideways scroll at 80 columns

    async def load_rows(self) -> list[Row] | None:
        listed = await self.call_pages("ListRunbooks", {}, "runbooks")
        if listed is None:
            return None
        self.runbooks = {r["name"]: r for r in listed}
        zone = self.app.settings.zone  # type: ignore[attr-defined]
        return [(r["name"], (r["name"], str(r["latestVersion"]), str(r["stepCount"]),
                             local_time(r["updatedTime"], zone), _first_line(r["description"])))
                for r in listed]

    @on(KeyTable.RowSelected, "#prep-table")
    def _selected(self) -> None:
        self.action_show()

    @work(exclusive=True, group="runbook-show")
    async def action_show(self) -> None:
        name = self.selected
        if name is None:
            return
        got = await self.call("GetRunbook", {"name": name})
        if got is not None:
            self.app.push_screen(RunbookView(got["runbook"]))

    @work(exclusive=True, group="runbook-clone")
    async def action_clone(self) -> None:
        templates = await self.call("ListRunbookTemplates", {})
        plans = await self.call_pages("ListResponsePlans", {}, "responsePlanSummaries")
        if templates is not None and plans is not None:
            choices = [(p.get("displayName") or p["name"], p["arn"]) for p in plans]
            self.app.push_screen(CloneTemplateForm(self._clone, templates["templates"], choices), self._cloned)

    async def _clone(self, form: dict[str, Any]) -> dict[str, Any]:
        """Clone the template; with a response plan, make it the plan's runbook (calls.runbook_action)."""
        client = self.app.client  # type: ignore[attr-defined]
        try:
            runbook = (await client.call("CreateRunbook", form["request"]))["runbook"]
        except ConflictException:
            raise FormError("runbook-name", f"Name: a runbook named {form['request']['name']} already exists; "
                            "choose another name") from None
        if form["plan"]:
            await client.call("UpdateResponsePlan", {"arn": form["plan"], "actions": [runbook_action(runbook)]})
            runbook["plan"] = form["plan"]
        return runbook

    def _cloned(self, runbook: dict[str, Any] | None) -> None:
        if runbook is not None:
            plan = " and set as the response plan's runbook" if runbook.get("plan") else ""
            self.flash(f"runbook {runbook['name']} created ({counted(len(runbook['steps']), 'step')}){plan}", "success")
            self.reload()

    def action_validate(self) -> None:
        self.app.push_screen(ValidateModal(self._check))

    async def _check(self, text: str) -> dict[str, Any]:
        return await self.app.client.call("GetRunbookValidation", {"content": text})  # type: ignore[attr-defined]

    def action_delete(self) -> None:
        name = self.selected
        if name is not None:
            self.app.push_screen(
                ConfirmModal("Delete runbook", f"Delete runbook {name} and its versions? Running executions keep "
                             "the version they started with.", "Delete"),
                lambda yes: yes and self.delete(name))

    @work(exclusive=True, group="runbook-delete")
    async def delete(self, name: str) -> None:
        if await self.call("DeleteRunbook", {"name": name}) is not None:
            self.flash(f"runbook {name} deleted", "success")
            self.reload()


def _first_line(description: str) -> Text:
    """The description's first line, cut with an ellipsis at the column's width."""
    return Text((description.strip().splitlines() or [""])[0], no_wrap=True, overflow="ellipsis")
