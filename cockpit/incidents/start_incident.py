"""Start an incident: choose a response plan; optionally override its title and impact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Label, Select, Static

from cockpit.shell.modal import FormError, FormModal, text_of
from core.model.incidents import IMPACT_WORDS, impact_label


@dataclass(frozen=True)
class PlanChoice:
    arn: str
    name: str
    display_name: str | None
    title: str
    impact: int

    @property
    def label(self) -> str:
        return f"{self.display_name or self.name}  ({impact_label(self.impact)})"


IMPACT_OPTIONS = [(impact_label(n), n) for n in sorted(IMPACT_WORDS)]


class StartIncidentModal(FormModal[Any]):
    TITLE = "Start an incident"
    SUBMIT_LABEL = "Start"
    FIELD_IDS = {"responsePlanArn": "plan", "title": "title", "impact": "impact"}

    def __init__(self, plans: list[PlanChoice], submit) -> None:
        super().__init__(submit)
        self._plans = {p.arn: p for p in plans}

    def compose_fields(self) -> ComposeResult:
        yield Label("Response plan", classes="field-label")
        yield Select(
            [(p.label, p.arn) for p in self._plans.values()],
            prompt="Choose a response plan",
            id="plan",
            value=next(iter(self._plans)) if len(self._plans) == 1 else Select.NULL,
        )
        yield Label("Title (blank: the plan's)", classes="field-label")
        yield Input(id="title", placeholder="the plan's title")
        yield Label("Impact (blank: the plan's)", classes="field-label")
        yield Select(IMPACT_OPTIONS, prompt="the plan's impact", id="impact")
        yield Static("", classes="hint", id="plan-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#plan", Select).focus()
        self._show_plan_defaults()

    @on(Select.Changed, "#plan")
    def _show_plan_defaults(self) -> None:
        plan = self._plans.get(self.query_one("#plan", Select).value)  # type: ignore[arg-type]
        title = self.query_one("#title", Input)
        hint = self.query_one("#plan-hint", Static)
        if plan is None:
            title.placeholder = "the plan's title"
            hint.update("")
            return
        title.placeholder = plan.title
        hint.update(f"Defaults from {plan.name}: “{plan.title}”, impact {impact_label(plan.impact)}")

    def values(self) -> dict[str, Any]:
        plan = self.query_one("#plan", Select).value
        if plan is Select.NULL:
            raise FormError("plan", "Response plan: choose the plan this incident starts from")
        params: dict[str, Any] = {"responsePlanArn": plan}
        if title := text_of(self.query_one("#title", Input)):
            params["title"] = title
        impact = self.query_one("#impact", Select).value
        if impact is not Select.NULL:
            params["impact"] = impact
        return params
