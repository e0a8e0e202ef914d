"""Integrations: each monitoring source's type, response plan and its last payload's outcome,
and the selected one's intake URL in full below the list (a URL would not leave the other
columns room at 80 columns). Admins create and edit integrations (the token is shown once), give one a
new token, and delete one; enter opens an integration's intake log."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from cockpit.integrations.calls import intake_url, plan_of
from cockpit.integrations.forms import IntegrationForm, TokenModal
from cockpit.integrations.log_screen import IntakeLogScreen
from cockpit.integrations.routing import Routing
from cockpit.integrations.routing_form import RoutingModal
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.list_screen import PrepListScreen, Row
from core.model import events as ev
from widgets.formatting import EMPTY, short_time
from widgets.key_table import KeyTable


class IntegrationsScreen(PrepListScreen):
    CRUMB = "Integrations"
    COLUMNS = (("name", "Integration"), ("type", "Type"), ("plan", "Response plan"), ("last", "Last payload"),
               ("status", "Outcome"))
    EMPTY = "No integrations yet. Press n to create one: monitoring posts its alerts to its URL."
    REFRESH_ON = frozenset({ev.INTEGRATION_CHANGED})
    MUTATING_ACTIONS = frozenset({"new", "edit", "routing", "rotate", "delete"})
    BINDINGS = [
        Binding("n", "new", "New", id="integration-new", tooltip="Create an integration; its token is shown once"),
        Binding("e", "edit", "Edit", id="integration-edit", tooltip="Change its name, response plan or mapping"),
        Binding("R", "routing", "Routing", id="integration-routing",
                tooltip="Its routing rules: event patterns, each naming a response plan, and the default"),
        Binding("l", "log", "Payloads", id="integration-log", tooltip="Its last payloads, their outcome, replay"),
        Binding("t", "rotate", "New token", id="integration-rotate",
                tooltip="Give it a new token; the old one stops working at once"),
        Binding("d", "delete", "Delete", id="integration-delete", tooltip="Delete the integration"),
    ]
    DEFAULT_CSS = """
    IntegrationsScreen #integration-url { height: auto; padding: 0 1; border-top: solid $primary; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.integrations: dict[str, dict[str, Any]] = {}
        self.is_admin = False

    def compose_extra(self) -> ComposeResult:
        yield Static("", id="integration-url", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.table.fill = "status"  # takes the width the others leave: no sideways scroll at 80 columns

    async def load_rows(self) -> list[Row] | None:
        me = await self.call("GetCallerIdentity", {})
        found = await self.call_pages("ListIntegrations", {}, "integrations")
        if me is None or found is None:
            return None
        self.is_admin = me.get("role") == "admin"
        self.refresh_bindings()
        self.integrations = {i["integrationId"]: i for i in found}
        zone = self.app.settings.zone
        return [(i["integrationId"], (
            i["name"], i["type"], plan_of(i), short_time(i.get("lastReceivedTime"), zone),
            Text(i.get("lastStatus", EMPTY), no_wrap=True, overflow="ellipsis"),
        )) for i in found]

    def rows_loaded(self) -> None:
        self.show_url(self.selected)

    @on(KeyTable.RowHighlighted, "#prep-table")
    def _highlighted(self, event: KeyTable.RowHighlighted) -> None:
        self.show_url(event.row_key.value if event.row_key is not None else None)

    def show_url(self, integration_id: str | None) -> None:
        integration = self.integrations.get(integration_id or "")
        url = self.query_one("#integration-url", Static)
        url.display = integration is not None
        if integration is not None:
            url.update(f"{integration['name']} intake URL: {intake_url(self.app.client, integration['path'])}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MUTATING_ACTIONS and not self.is_admin:
            return False
        return super().check_action(action, parameters)

    async def _plans(self) -> list[tuple[str, str]]:
        plans = await self.call_pages("ListResponsePlans", {}, "responsePlanSummaries") or []
        return [(p.get("displayName") or p["name"], p["arn"]) for p in plans]

    @work(exclusive=True, group="integrations-edit")
    async def action_new(self) -> None:
        self.app.push_screen(IntegrationForm(self._create, await self._plans()), self._created)

    async def _create(self, request: dict[str, Any]) -> dict[str, Any]:
        return await self.app.client.call("CreateIntegration", request)

    def _created(self, made: dict[str, Any] | None) -> None:
        if made is not None:
            name = made["integration"]["name"]
            self.flash(f"created integration {name}", "success")
            self.app.push_screen(TokenModal(name, intake_url(self.app.client, made["path"]), made["token"]))
            self.reload()

    @work(exclusive=True, group="integrations-edit")
    async def action_edit(self) -> None:
        integration = self.integrations.get(self.selected or "")
        if integration is not None:
            self.app.push_screen(IntegrationForm(self._update, await self._plans(), integration), self._updated)

    async def _update(self, request: dict[str, Any]) -> dict[str, Any]:
        return (await self.app.client.call("UpdateIntegration", request))["integration"]

    def _updated(self, integration: dict[str, Any] | None) -> None:
        if integration is not None:
            self.flash(f"saved integration {integration['name']}", "success")
            self.reload()

    @work(exclusive=True, group="integrations-edit")
    async def action_routing(self) -> None:
        integration = self.integrations.get(self.selected or "")
        if integration is None:
            return
        plans = await self._plans()

        async def save(routing: Routing) -> Routing:
            out = await self.app.client.call("UpdateIntegration", {
                "integrationId": integration["integrationId"], **routing.request()})
            return Routing.of(out["integration"])

        self.app.push_screen(RoutingModal(integration["name"], Routing.of(integration), plans, save),
                             lambda _: self.reload())

    @on(KeyTable.RowSelected, "#prep-table")
    def _open(self, event: KeyTable.RowSelected) -> None:
        self.action_log()

    def action_log(self) -> None:
        integration = self.integrations.get(self.selected or "")
        if integration is not None:
            self.app.push_screen(IntakeLogScreen(integration))

    def action_rotate(self) -> None:
        integration = self.integrations.get(self.selected or "")
        if integration is not None:
            self.app.push_screen(
                ConfirmModal("New token", f"Give {integration['name']} a new token? Its current token stops "
                             "working at once: update the alert source.", "New token"),
                lambda yes: yes and self.rotate(integration))

    @work(exclusive=True, group="integrations-change")
    async def rotate(self, integration: dict[str, Any]) -> None:
        made = await self.call("RotateIntegrationToken", {"integrationId": integration["integrationId"]})
        if made is not None:
            self.app.push_screen(TokenModal(integration["name"], intake_url(self.app.client, made["path"]),
                                            made["token"]))
            self.flash(f"new token for {integration['name']}; the old one no longer works", "success")

    def action_delete(self) -> None:
        integration = self.integrations.get(self.selected or "")
        if integration is not None:
            self.app.push_screen(
                ConfirmModal("Delete integration", f"Delete {integration['name']}? Its URL stops accepting alerts "
                             "(its intake log is kept).", "Delete"),
                lambda yes: yes and self.delete(integration))

    @work(exclusive=True, group="integrations-change")
    async def delete(self, integration: dict[str, Any]) -> None:
        if await self.call("DeleteIntegration", {"integrationId": integration["integrationId"]}) is not None:
            self.flash(f"integration {integration['name']} deleted", "success")
            self.reload()
