"""Editing an integration's routing rules (`R` on the Integrations screen): the ordered rules,
each an EventBridge event pattern naming a response plan, and the default plan. Each change is
saved at once (UpdateIntegration); the core checks the patterns, and a pattern it refuses
keeps the rule's dialog open with what was typed and the error on the pattern."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Select, Static, TextArea

from cockpit.integrations.routing import Routing, pattern_text, plan_choices, rule_error
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.modal import CockpitModal, FormError, FormModal, text_of
from core.errors import ServiceError
from widgets.formatting import alias_of
from widgets.key_table import KeyTable

Save = Callable[[Routing], Awaitable[Routing]]
"""Stores a routing (UpdateIntegration) and answers it as stored; raises the core's refusal."""

EXAMPLE = '{"labels": {"severity": ["critical"]}}'


class RuleForm(FormModal[Routing]):
    """One rule: its event pattern (JSON) and the plan it starts. Saving stores the whole
    routing with this rule in it; the dialog closes with the routing as stored."""

    DEFAULT_CSS = """
    RuleForm #rule-pattern { height: 6; }
    """

    def __init__(self, save: Save, routing: Routing, index: int | None, plans: list[tuple[str, str]]) -> None:
        super().__init__(self._store)
        self._store_routing = save
        self.routing = routing
        self.index = index
        self.plans = plans
        self.TITLE = "New routing rule" if index is None else f"Routing rule {index + 1}"

    def compose_fields(self) -> ComposeResult:
        rule = self.routing.rules[self.index] if self.index is not None else {}
        yield Label("Event pattern: JSON, as in an EventBridge rule", classes="field-label")
        yield TextArea(json.dumps(rule["pattern"], indent=2) if rule else "", id="rule-pattern",
                       soft_wrap=True, show_line_numbers=False)
        yield Static(f"e.g. {EXAMPLE}", classes="hint", markup=False)
        yield Label("Response plan", classes="field-label")
        yield Select(plan_choices(self.plans, rule.get("responsePlanArn")), value=rule.get("responsePlanArn", Select.NULL),
                     prompt="choose the plan it starts",
                     id="rule-plan")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#rule-pattern", TextArea).focus()

    def values(self) -> dict[str, Any]:
        text = text_of(self.query_one("#rule-pattern", TextArea))
        if not text:
            raise FormError("rule-pattern", "Event pattern: give a pattern, e.g. " + EXAMPLE)
        try:
            pattern = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FormError("rule-pattern", f"Event pattern: not JSON ({exc.msg}, line {exc.lineno} column {exc.colno})") from None
        plan = self.query_one("#rule-plan", Select).value
        if plan is Select.NULL:
            raise FormError("rule-plan", "Response plan: choose the plan this rule starts")
        return {"pattern": pattern, "responsePlanArn": plan}

    async def _store(self, rule: dict[str, Any]) -> Routing:
        try:
            return await self._store_routing(self.routing.with_rule(self.index, rule))
        except ServiceError as error:
            for f in getattr(error, "fields", None) or []:
                index, message = rule_error(f.get("name", ""), f.get("message", ""))
                mine = len(self.routing.rules) if self.index is None else self.index
                if index == mine:
                    field_id = "rule-plan" if f["name"].endswith("responsePlanArn") else "rule-pattern"
                    label = "Response plan" if field_id == "rule-plan" else "Event pattern"
                    raise FormError(field_id, f"{label}: {message}") from None
            raise


class RoutingModal(CockpitModal[None]):
    DEFAULT_CSS = """
    RoutingModal { align: center middle; }
    RoutingModal > .dialog {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    RoutingModal .dialog-title { text-style: bold; }
    RoutingModal .hint { color: $text-muted; }
    RoutingModal #rules { height: auto; max-height: 10; }
    RoutingModal .form-error { color: $text-error; height: auto; }
    RoutingModal .buttons { height: auto; }
    RoutingModal .buttons Button { margin-right: 1; min-width: 8; }
    """
    BINDINGS = [
        Binding("n", "add", "Add rule", id="routing-add", tooltip="Add a rule at the end"),
        Binding("e", "edit", "Edit", id="routing-edit", tooltip="Edit the selected rule's pattern and plan"),
        Binding("K", "move(-1)", "Up", id="routing-up", tooltip="Move the selected rule up: it is tried earlier"),
        Binding("J", "move(1)", "Down", id="routing-down", tooltip="Move the selected rule down"),
        Binding("d", "delete", "Delete", id="routing-delete", tooltip="Delete the selected rule (asks first)"),
        Binding("escape", "close", "Close", id="routing-close", tooltip="Back to the integrations"),
    ]

    def __init__(self, name: str, routing: Routing, plans: list[tuple[str, str]], save: Save) -> None:
        super().__init__()
        self.integration_name = name
        self.routing = routing
        self.plans = plans
        self._save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Routing of {self.integration_name}", classes="dialog-title", markup=False)
            yield Static("The first rule whose pattern matches an alert picks its response plan; "
                         "each change is saved at once.", classes="hint")
            table = KeyTable(id="rules", fill="pattern")
            table.add_column("#", key="order")
            table.add_column("Event pattern", key="pattern")
            table.add_column("Response plan", key="plan")
            yield table
            yield Static("", id="rules-empty", classes="hint")
            yield Label("Default response plan (when no rule matches)", classes="field-label")
            yield Select(plan_choices(self.plans, self.routing.default), value=self.routing.default, allow_blank=False,
                         id="routing-default")
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="buttons"):
                yield Button("Add n", id="rule-add")
                yield Button("Edit e", id="rule-edit")
                yield Button("Up K", id="rule-up")
                yield Button("Down J", id="rule-down")
                yield Button("Delete d", id="rule-delete")
                yield Button("Close", id="routing-done")

    def on_mount(self) -> None:
        super().on_mount()
        self.show_rules()
        self.query_one("#rules", KeyTable).focus()

    def show_rules(self, select: int | None = None) -> None:
        table = self.query_one("#rules", KeyTable)
        table.clear()
        for i, rule in enumerate(self.routing.rules):
            table.add_row(str(i + 1), Text(pattern_text(rule["pattern"]), overflow="ellipsis", no_wrap=True),
                          alias_of(rule["responsePlanArn"]), key=str(i))
        if select is not None and self.routing.rules:
            table.move_cursor(row=max(0, min(select, len(self.routing.rules) - 1)))
        self.query_one("#rules-empty", Static).update(
            "" if self.routing.rules else "No rules: every alert starts the default plan. Press n to add one.")
        table.fit_fill_column()

    @property
    def selected(self) -> int | None:
        if not self.routing.rules:
            return None
        return self.query_one("#rules", KeyTable).cursor_row

    def say(self, message: str) -> None:
        self.query_one("#form-error", Static).update(message)

    # ---- changes, each saved at once ---------------------------------------------------------
    @work(exclusive=True, group="routing-save")
    async def store(self, routing: Routing, done: str, select: int | None = None) -> None:
        try:
            self.routing = await self._save(routing)
        except ServiceError as error:
            index, message = next((rule_error(f.get("name", ""), f.get("message", ""))
                                   for f in getattr(error, "fields", None) or []), (None, error.message))
            self.say(f"Rule {index + 1}: {message}" if index is not None else message)
            return
        self.say("")
        self.show_rules(select)
        self.app.flash(done, "success")  # type: ignore[attr-defined]

    def saved(self, routing: Routing | None, done: str, select: int | None) -> None:
        if routing is not None:
            self.routing = routing
            self.say("")
            self.show_rules(select)
            self.app.flash(done, "success")  # type: ignore[attr-defined]

    def action_add(self) -> None:
        at = len(self.routing.rules)
        self.app.push_screen(RuleForm(self._save, self.routing, None, self.plans),
                             lambda r: self.saved(r, f"rule {at + 1} added", at))

    @on(KeyTable.RowSelected, "#rules")
    def action_edit(self) -> None:
        index = self.selected
        if index is None:
            self.say("No rule to edit: press n to add one.")
            return
        self.app.push_screen(RuleForm(self._save, self.routing, index, self.plans),
                             lambda r: self.saved(r, f"rule {index + 1} saved", index))

    def action_move(self, by: int) -> None:
        index = self.selected
        if index is None or not 0 <= index + by < len(self.routing.rules):
            return
        self.store(self.routing.moved(index, by), f"rule {index + 1} is now rule {index + by + 1}", index + by)

    def action_delete(self) -> None:
        index = self.selected
        if index is None:
            return
        what = pattern_text(self.routing.rules[index]["pattern"])
        self.app.push_screen(
            ConfirmModal("Delete rule", f"Delete rule {index + 1} ({what[:60]})? Alerts it matched go to the "
                         "rules after it, or the default plan.", "Delete"),
            lambda yes: yes and self.store(self.routing.without(index), f"rule {index + 1} deleted", index))

    @on(Select.Changed, "#routing-default")
    def _default_chosen(self, event: Select.Changed) -> None:
        if event.value != self.routing.default and isinstance(event.value, str):
            self.store(Routing(event.value, self.routing.rules), f"default plan: {alias_of(event.value)}",
                       self.selected)

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        action = {"rule-add": self.action_add, "rule-edit": self.action_edit, "rule-delete": self.action_delete,
                  "rule-up": lambda: self.action_move(-1), "rule-down": lambda: self.action_move(1),
                  "routing-done": self.action_close}.get(event.button.id or "")
        if action is not None:
            action()
