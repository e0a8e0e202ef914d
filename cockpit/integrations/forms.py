"""The integration form (name, type, response plan, recovery, generic mapping) and the
one-time display of an integration's intake path and token."""

from __future__ import annotations

import json
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select

from cockpit.integrations.routing import Routing, plan_choices
from cockpit.shell.modal import FormError, FormModal, text_of
from cockpit.shell.shown_once import ShownOnceModal

TYPES = [("CloudWatch alarms via SNS", "cloudwatch-sns"), ("EventBridge / Security Hub", "eventbridge"),
         ("Prometheus Alertmanager", "alertmanager"), ("Grafana alerting", "grafana"),
         ("Opsgenie API (/v2/alerts)", "opsgenie"), ("Generic JSON (pointers)", "generic")]


class IntegrationForm(FormModal[dict[str, Any]]):
    """Create an integration, or change one's name, response plan, recovery and mapping
    (name and type side by side, so the form and its buttons fit 80x24)."""

    DEFAULT_CSS = """
    IntegrationForm .row { height: auto; }
    IntegrationForm .row > Vertical { height: auto; width: 1fr; }
    """

    FIELD_IDS = {"name": "integration-name", "type": "integration-type", "responsePlanArn": "integration-plan",
                 "routing": "integration-plan", "routing.defaultResponsePlanArn": "integration-plan", "mapping": "integration-mapping",
                 "mapping.title": "integration-mapping", "mapping.impact": "integration-mapping",
                 "mapping.dedupe": "integration-mapping", "mapping.description": "integration-mapping",
                 "mapping.resolve": "integration-mapping"}

    def __init__(self, save, plans: list[tuple[str, str]], integration: dict[str, Any] | None = None) -> None:
        super().__init__(save)
        self.plans = plans
        self.integration = integration or {}
        self._rules = Routing.of(self.integration).rules if integration else []
        """The routing rules, kept as they are (the routing dialog edits them)."""
        self.TITLE = (f"Edit integration {self.integration['name']}" if integration
                      else "New integration (its token is shown once, after saving)")

    def compose_fields(self) -> ComposeResult:
        i = self.integration
        routing = i.get("routing", {})
        plan = routing.get("responsePlanArn") or routing.get("defaultResponsePlanArn") or Select.NULL
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("Name", classes="field-label")
                yield Input(i.get("name", ""), id="integration-name", placeholder="letters, digits, _.-")
            with Vertical():
                yield Label("Type", classes="field-label")
                yield Select(TYPES, value=i.get("type", "alertmanager"), allow_blank=False, id="integration-type",
                             disabled=bool(i))
        yield Label("Default response plan: R on the list edits the routing rules" if routing.get("rules")
                    else "Response plan", classes="field-label")
        yield Select(plan_choices(self.plans, plan if isinstance(plan, str) else None), value=plan,
                     prompt="choose a response plan", id="integration-plan")
        yield Checkbox("An OK / resolved / close alert resolves its incident",
                       value=bool(i.get("resolveOnRecovery")), id="integration-resolve")
        yield Label("Mapping (generic: JSON Pointers)", classes="field-label")
        yield Input(json.dumps(i["mapping"]) if i.get("mapping") else "", id="integration-mapping",
                    placeholder='{"title": "/alert/name", "impact": "/sev", "dedupe": "/id"}')

    def values(self) -> dict[str, Any]:
        name = text_of(self.query_one("#integration-name", Input))
        if not name:
            raise FormError("integration-name", "Name: give the integration a name")
        plan = self.query_one("#integration-plan", Select).value
        if plan is Select.NULL:
            raise FormError("integration-plan", "Response plan: choose the plan its alerts start")
        request: dict[str, Any] = {"name": name, **Routing(plan, self._rules).request(),
                                   "resolveOnRecovery": self.query_one("#integration-resolve", Checkbox).value}
        if self.integration:
            request["integrationId"] = self.integration["integrationId"]
        else:
            request["type"] = self.query_one("#integration-type", Select).value
        mapping = text_of(self.query_one("#integration-mapping", Input))
        if mapping:
            try:
                request["mapping"] = json.loads(mapping)
            except json.JSONDecodeError as exc:
                raise FormError("integration-mapping", f"Mapping: not JSON ({exc.msg})") from None
        return request


class TokenModal(ShownOnceModal):
    """An integration's intake URL and token, shown this once (the core keeps only its hash)."""

    BINDINGS = [Binding("escape", "close", "Close", id="token-close", tooltip="Close: the token is not shown again")]

    def __init__(self, name: str, url: str, token: str) -> None:
        super().__init__(
            f"Intake for {name}", [("token-url", "URL", url), ("token-value", "Token", token)],
            "Copy it now: it is shown only this once. Send it as 'Authorization: Bearer TOKEN', "
            "as ?token=TOKEN (SNS), or as 'GenieKey TOKEN' (Opsgenie API).",
        )
