"""Get prepared: replication set -> contacts (optional) -> escalation plan (optional) -> response
plan, as in the seed's wizard. It opens by itself on first run (see ``cockpit.wizard.first_run``)."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, ContentSwitcher, Static

from cockpit.contacts.calls import contact_choices, save_contact
from cockpit.contacts.editor import PrepContactEditor, SavedContact
from cockpit.feedback import describe_error
from cockpit.plans.calls import save_escalation_plan
from cockpit.plans.forms import StageForm
from cockpit.plans.stage_editor import PrepStageEditor
from cockpit.responseplans.calls import save_response_plan
from cockpit.responseplans.editor import PrepResponsePlanForm
from cockpit.shell.code_entry import PrepCodeEntry
from cockpit.shell.screen import CockpitScreen
from cockpit.workspace.replication import create_replication_set, describe_workspace
from core.errors import ServiceError
from widgets.formatting import counted

STEPS = ("replication", "contacts", "escalation", "response")
TITLES = {"replication": "General settings: replication set", "contacts": "Contacts (optional)",
          "escalation": "Escalation plan (optional)", "response": "Response plan"}
EXISTING = {"contacts": ("contact", "ListContacts", {"Type": "PERSONAL"}, "Contacts", "Alias"),
            "escalation": ("escalation plan", "ListContacts", {"Type": "ESCALATION"}, "Contacts", "Alias"),
            "response": ("response plan", "ListResponsePlans", {}, "responsePlanSummaries", "name")}
"""Each later step -> what it creates: (noun, list operation, its params, its items, each item's name)."""
NAMED = 6
"""How many existing items a step names before it says how many more."""
HELP = {
    "replication": "The replication set holds your response plans, contacts and escalation plans. "
                   "It starts with this site's region; replica regions can be added later.\n\n"
                   "Tick the box (space) to agree, then press c to create it.",
    "contacts": "Contacts are engaged during an incident. Give each a name, an alias, channels and an "
                "engagement plan; the channels get activation codes.\n\nc creates a contact · a enters an "
                "activation code · n goes on (or skips).",
    "escalation": "An escalation plan engages contacts stage by stage; an acknowledgement can stop it.\n\n"
                  "c creates an escalation plan · n goes on (or skips).",
    "response": "A response plan is the template an incident starts from, and whom it engages.\n\n"
                "c creates the response plan · f finishes.",
}


class WizardScreen(CockpitScreen):
    CRUMB = "Get prepared"
    DEFAULT_CSS = """
    WizardScreen #wizard { height: 1fr; padding: 0 1; }
    WizardScreen #wizard-steps { height: 1; color: $text-muted; }
    WizardScreen .step { height: 1fr; }
    WizardScreen .step-title { text-style: bold; margin: 1 0; }
    WizardScreen .done { margin-top: 1; color: $text-success; }
    """
    BINDINGS = [
        Binding("c", "create", "Create", id="wizard-create", tooltip="Create what this step sets up"),
        Binding("a", "activate", "Activate", id="wizard-activate", tooltip="Enter a channel's activation code"),
        Binding("n", "next", "Next/Skip", id="wizard-next", tooltip="Go to the next step (optional steps can be skipped)"),
        Binding("p", "previous", "Previous", id="wizard-previous", tooltip="Go back one step"),
        Binding("f", "finish", "Finish", id="wizard-finish", tooltip="Leave the wizard for the incident list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.step = "replication"
        self.done: dict[str, list[str]] = {s: [] for s in STEPS}
        """What the wizard created or activated, by step."""
        self.existing: dict[str, tuple[int, str]] = {}
        """What the workspace held when last checked, by step: (how many, the line saying so)."""
        self.pending_channels: list[tuple[str, str]] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(id="wizard"):
            yield Static(id="wizard-steps")
            with ContentSwitcher(initial="replication", id="wizard-switcher"):
                for step in STEPS:
                    with Vertical(id=step, classes="step"):
                        yield Static(f"{STEPS.index(step) + 1}. {TITLES[step]}", classes="step-title")
                        yield Static(HELP[step])
                        if step == "replication":
                            yield Static("", id="wizard-region")
                            yield Checkbox("I have read and agree to the terms", id="agree")
                        yield Static("", id=f"{step}-done", classes="done")

    def on_mount(self) -> None:
        super().on_mount()
        self.show_step("replication")

    def on_screen_resume(self) -> None:
        self.check_prepared()  # each time it is shown: what was made elsewhere (or in a form just closed) counts

    @work(exclusive=True, group="wizard-check")
    async def check_prepared(self) -> None:
        try:
            workspace = await describe_workspace(self.app.client)
        except ServiceError as error:
            self.flash(describe_error(error), "error")
            return
        replicas = ", ".join(workspace.get("replicaRegions") or []) or "none configured"
        self.query_one("#wizard-region", Static).update(
            f"This site's region: [b]{workspace['region']}[/] · replica regions: {replicas}")
        if not workspace.get("replicationSetArn"):
            return  # nothing else can exist before the replication set
        self.existing["replication"] = (1, "the replication set already exists")
        for step, (noun, operation, params, items, name) in EXISTING.items():
            listed = await self.call_pages(operation, params, items)
            if listed is None:
                return
            names = [item[name] for item in listed]
            self.existing[step] = (len(names), existing_line(noun, names))
        for step in STEPS:
            self.show_done(step)
        self.show_step(self.step)

    def show_step(self, step: str) -> None:
        self.step = step
        self.query_one("#wizard-switcher", ContentSwitcher).current = step
        marks = [f"[b]{i}. {s}[/]" if s == step else f"{i}. {s}" + (" ✓" if self.met(s) else "")
                 for i, s in enumerate(STEPS, 1)]
        self.query_one("#wizard-steps", Static).update("  ›  ".join(marks))
        if step == "replication":
            self.query_one("#agree", Checkbox).focus()
        self.refresh_bindings()

    def met(self, step: str) -> bool:
        """The step's need is met: it made something, or the workspace has one already."""
        return bool(self.done[step]) or self.existing.get(step, (0, ""))[0] > 0

    def record(self, step: str, line: str) -> None:
        self.done[step].append(line)
        self.show_done(step)
        self.show_step(self.step)

    def show_done(self, step: str) -> None:
        count, line = self.existing.get(step, (0, ""))
        lines = ([f"✓ {line}" if count else line] if line else []) + [f"✓ {x}" for x in self.done[step]]
        self.query_one(f"#{step}-done", Static).update("\n".join(lines))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "activate":
            return self.step == "contacts" and bool(self.pending_channels)
        if action == "next":
            return self.step != "response" and (self.step != "replication" or self.met("replication"))
        if action == "previous":
            return self.step != "replication"
        if action == "create" and self.step == "replication":
            return not self.met("replication")
        if action == "finish":
            return self.step == "response"
        return super().check_action(action, parameters)

    def action_next(self) -> None:
        self.show_step(STEPS[STEPS.index(self.step) + 1])

    def action_previous(self) -> None:
        self.show_step(STEPS[STEPS.index(self.step) - 1])

    def action_finish(self) -> None:
        if not self.met("response"):
            self.flash("finished without a response plan: create one later under :responseplans", "warning")
        self.app.switch_mode("incidents")

    def action_create(self) -> None:
        if self.step == "replication":
            if not self.query_one("#agree", Checkbox).value:
                self.flash("tick the agreement first (space on the checkbox)", "warning")
                return
            self.create_set()
        elif self.step == "contacts":
            self.app.push_screen(PrepContactEditor(partial(save_contact, self.app.client.call)), self._contact_saved)
        else:
            self.open_form()

    @work(exclusive=True, group="wizard-save")
    async def create_set(self) -> None:
        try:
            await create_replication_set(self.app.client)
        except ServiceError as error:
            self.flash(describe_error(error), "error")
            return
        self.record("replication", "replication set created")
        self.check_prepared()
        self.flash("replication set created; next: contacts (optional)", "success")
        self.action_next()

    def _contact_saved(self, saved: SavedContact | None) -> None:
        if saved is None:
            return
        form, _added = saved
        self.pending_channels += [(c.arn, f"{form.alias} {c.name}") for c in form.channels if c.arn]
        self.record("contacts", f"contact {form.alias} ({counted(len(form.channels), 'channel')})")
        self.flash(f"created {form.alias}; activation codes sent, press a to enter one", "success")

    def action_activate(self) -> None:
        arn, label = self.pending_channels[0]
        self.app.push_screen(PrepCodeEntry(f"Activation code for [b]{label}[/]", partial(self._activate, arn)),
                             lambda done: self._activated(arn, label) if done else None)

    async def _activate(self, arn: str, code: str) -> bool:
        await self.app.client.call("ActivateContactChannel", {"ContactChannelId": arn, "ActivationCode": code})
        return True

    def _activated(self, arn: str, label: str) -> None:
        self.pending_channels = [p for p in self.pending_channels if p[0] != arn]
        self.record("contacts", f"channel {label} activated")

    @work(exclusive=True, group="wizard-form")
    async def open_form(self) -> None:
        if self.step == "escalation":
            contacts = await contact_choices(self.call, escalation_plans=False)
            if contacts is not None:
                self.app.push_screen(PrepStageEditor(self._save_plan, contacts), self._plan_saved)
        else:
            contacts = await contact_choices(self.call)
            if contacts is not None:
                self.app.push_screen(PrepResponsePlanForm(self._save_response, contacts), self._response_saved)

    async def _save_plan(self, plan: tuple[str, list[StageForm]]) -> str:
        alias, stages = plan
        arn = await save_escalation_plan(self.app.client.call, alias, stages, None)
        self.record("escalation", f"escalation plan {alias} ({counted(len(stages), 'stage')})")
        return arn

    def _plan_saved(self, arn: str | None) -> None:
        if arn is not None:
            self.flash("escalation plan created; next: response plan", "success")

    async def _save_response(self, request: dict[str, Any]) -> str:
        arn = await save_response_plan(self.app.client.call, request, None)
        self.record("response", f"response plan {request['name']}")
        return arn

    def _response_saved(self, arn: str | None) -> None:
        if arn is not None:
            self.flash("you are prepared: press f to finish", "success")


def existing_line(noun: str, names: list[str]) -> str:
    """``in the workspace: 3 contacts (alice, bob, carol)`` (the first NAMED names), or ``no contacts yet``."""
    if not names:
        return f"no {noun}s yet"
    shown = ", ".join(names[:NAMED]) + (f" and {len(names) - NAMED} more" if len(names) > NAMED else "")
    return f"in the workspace: {counted(len(names), noun)} ({shown})"
