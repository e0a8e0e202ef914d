"""The response plan form: name, incident template, chat channel, runbook, tags, engagements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from cockpit.responseplans.calls import RUNBOOK_ROLE, runbook_action
from cockpit.shell.modal import SavingModal
from cockpit.shell.tags import parse_tags, tags_text
from core.errors import ServiceError
from widgets.form_scroll import FormScroll

IMPACTS = [("1 Critical", 1), ("2 High", 2), ("3 Medium", 3), ("4 Low", 4), ("5 No impact", 5)]


def _topics(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


SaveResponsePlan = Callable[[dict[str, Any]], Awaitable[str]]
"""Saves a CreateResponsePlan request (``calls.save_response_plan`` flattens it for an update)."""
CloneRunbook = Callable[[set[str]], Awaitable[dict[str, Any]]]
"""Clones the runbook template under a name not in the given set; the new runbook."""


class PrepResponsePlanForm(SavingModal[str]):
    """Saves through ``save`` and closes with the response plan's arn once it worked."""

    FIELD_IDS = {
        "name": "name", "displayName": "display-name", "engagements": "engagements",
        "incidentTemplate.title": "title", "incidentTemplateTitle": "title",
        "incidentTemplate.impact": "impact", "incidentTemplateImpact": "impact",
        "incidentTemplate.summary": "summary", "incidentTemplateSummary": "summary",
        "incidentTemplate.dedupeString": "dedupe", "incidentTemplateDedupeString": "dedupe",
        "chatChannel": "chat", "chatChannel.chatbotSns": "chat",
        "incidentTemplate.notificationTargets": "notify", "incidentTemplateNotificationTargets": "notify",
        "tags": "tags", "actions": "runbook",
    }

    DEFAULT_CSS = """
    PrepResponsePlanForm { align: center middle; }
    PrepResponsePlanForm > Vertical { width: 78; height: 22; border: thick $accent; background: $surface; padding: 0 1; }
    PrepResponsePlanForm #fields { height: 1fr; }
    PrepResponsePlanForm .field { height: 3; }
    PrepResponsePlanForm .field Label { width: 18; padding-top: 1; }
    PrepResponsePlanForm .field Input, PrepResponsePlanForm .field Select { width: 1fr; }
    PrepResponsePlanForm .field Button { margin-left: 1; }
    PrepResponsePlanForm .hint { color: $text-muted; padding-left: 18; }
    PrepResponsePlanForm SelectionList { height: 6; }
    PrepResponsePlanForm .buttons { height: 3; }
    PrepResponsePlanForm .buttons Button { margin-right: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="plan-form-save", tooltip="Save the response plan"),
        Binding("escape", "cancel", "Cancel", id="plan-form-cancel", tooltip="Close without saving"),
    ]

    def __init__(self, save: SaveResponsePlan, contacts: list[tuple[str, str]],
                 plan: dict[str, Any] | None = None, runbooks: list[dict[str, Any]] | None = None,
                 clone: CloneRunbook | None = None) -> None:
        super().__init__(save)
        self.contacts = contacts
        self.plan = plan or {}
        self.runbooks = {r["name"]: r for r in runbooks or []}
        self._clone = clone
        self.kept = next((a["ssmAutomation"] for a in self.plan.get("actions") or [] if "ssmAutomation" in a), None)
        if self.kept and self.kept["documentName"] not in self.runbooks:  # deleted since: still shown, kept as is
            self.runbooks[self.kept["documentName"]] = {"name": self.kept["documentName"], "arn": "", "missing": True}

    def _runbook_options(self) -> list[tuple[str, str]]:
        return [(f"{name} (not found)" if r.get("missing") else name, name) for name, r in sorted(self.runbooks.items())]

    def _field(self, label: str, field_id: str, value: str, **kw: Any) -> Horizontal:
        return Horizontal(Label(label), Input(value, id=field_id, **kw), classes="field")

    def compose(self) -> ComposeResult:
        p = self.plan
        t = p.get("incidentTemplate", {})
        with Vertical():
            yield Static("[b]Edit response plan[/]" if p else "[b]Create response plan[/]")
            with FormScroll(id="fields"):
                yield self._field("Name", "name", p.get("name", ""), placeholder="api-outage (unique)",
                                  disabled=bool(p))
                yield self._field("Display name", "display-name", p.get("displayName", ""))
                yield self._field("Incident title", "title", t.get("title", ""))
                with Horizontal(classes="field"):
                    yield Label("Impact")
                    yield Select(IMPACTS, value=t.get("impact", 3), allow_blank=False, id="impact")
                yield self._field("Summary", "summary", t.get("summary", ""))
                yield self._field("Dedupe string", "dedupe", t.get("dedupeString", ""))
                yield self._field("Chat SNS topics", "chat", ", ".join(p.get("chatChannel", {}).get("chatbotSns", [])),
                                  placeholder="comma-separated ARNs")
                with Horizontal(classes="field"):
                    yield Label("Runbook")
                    yield Select(self._runbook_options(), prompt="none", id="runbook",
                                 value=self.kept["documentName"] if self.kept else Select.NULL)
                    if self._clone is not None:
                        yield Button("Clone template", id="clone-runbook")
                yield Static("Starts with each incident. Its IncidentRecordArn and InvolvedResources parameters get the "
                             f"incident's ARN and resources. AWS requires a role ARN: role/{RUNBOOK_ROLE} is stored; "
                             "here a runbook runs with the plan's own rights.", classes="hint")
                yield self._field("Notify SNS topics", "notify", ", ".join(
                    n.get("snsTopicArn", "") for n in t.get("notificationTargets", [])), placeholder="comma-separated ARNs")
                yield self._field("Tags", "tags", tags_text(p.get("tags") or {}),
                                  placeholder="team=payments, tier=1")
                yield Static("Engagements (space selects):")
                yield SelectionList[str](*[(label, arn, arn in p.get("engagements", [])) for label, arn in self.contacts],
                                         id="engagements")
            yield self.error_line()
            with Horizontal(classes="buttons"):
                yield Button("Save ^s", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#display-name" if self.plan else "#name", Input).focus()

    @on(Button.Pressed, "#save")
    def _pressed_save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _pressed_cancel(self) -> None:
        self.action_cancel()

    @on(Button.Pressed, "#clone-runbook")
    def _pressed_clone(self) -> None:
        self.clone_runbook()

    @work(exclusive=True, group="plan-form-clone")
    async def clone_runbook(self) -> None:
        """Clone the runbook template and choose the copy."""
        assert self._clone is not None
        try:
            runbook = await self._clone(set(self.runbooks))
        except ServiceError as error:
            self.show_error(f"Runbook: {error.message}", ["runbook"])
            return
        self.runbooks[runbook["name"]] = runbook
        select = self.query_one("#runbook", Select)
        select.set_options(self._runbook_options())
        select.value = runbook["name"]
        self.show_error("")

    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def action_save(self) -> None:
        for field_id, label in (("name", "Name"), ("title", "Incident title")):
            if not self.value(field_id):
                self.show_error(f"{label}: needed", [field_id])
                return
        template: dict[str, Any] = {"title": self.value("title"), "impact": self.query_one("#impact", Select).value}
        if self.value("summary"):
            template["summary"] = self.value("summary")
        if self.value("dedupe"):
            template["dedupeString"] = self.value("dedupe")
        if _topics(self.value("notify")):
            template["notificationTargets"] = [{"snsTopicArn": t} for t in _topics(self.value("notify"))]
        request: dict[str, Any] = {"name": self.value("name"), "displayName": self.value("display-name") or self.value("name"),
                                   "incidentTemplate": template,
                                   "engagements": list(self.query_one("#engagements", SelectionList).selected)}
        if _topics(self.value("chat")):
            request["chatChannel"] = {"chatbotSns": _topics(self.value("chat"))}
        runbook = self.query_one("#runbook", Select).value
        if runbook is not Select.NULL:
            chosen = self.runbooks[str(runbook)]
            request["actions"] = [{"ssmAutomation": self.kept} if chosen.get("missing") else runbook_action(chosen, self.kept)]
        elif self.plan:  # an edit with none chosen removes it
            request["actions"] = []
        try:
            tags = parse_tags(self.value("tags"))
        except ValueError as error:
            self.show_error(f"Tags: {error}", ["tags"])
            return
        if tags or self.plan:  # an edit with none left removes them
            request["tags"] = tags
        self.save_form(request)

