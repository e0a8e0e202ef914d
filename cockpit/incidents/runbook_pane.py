"""The incident detail's Runbook tab, and the Overview's current-step line.

Every step of the incident's latest runbook execution is listed with its state; the current
step is expanded with its description and inputs (a running automatic step shows how long it
has run, a sleep when it resumes); a completed step folds open to its outputs. `n` is Next
step for a manual step, `v`/`x` approve or reject an approval, `t` retries the step the
execution failed on, `s` stops the execution."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Collapsible, Static

from cockpit.incidents.start_runbook import StartRunbookForm
from cockpit.responseplans.calls import dynamic_variable
from cockpit.shell.confirm import ConfirmModal
from core.errors import ServiceError
from core.model import events as ev
from core.timeutil import parse_timestamp
from widgets.formatting import format_duration
from widgets.markdown_text import MarkdownText

MARKS = {"Pending": "·", "InProgress": "▶", "Waiting": "⏸", "Success": "✓", "Failed": "✗",
         "TimedOut": "⌛", "Cancelled": "⊘"}
AUTOMATIC = ("aws:sleep", "aws:branch", "aws:executeScript", "cockpit:runCommand", "cockpit:httpRequest")
ENDED = ("Success", "Failed", "Cancelled", "TimedOut")


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return escape(text if len(text) <= 400 else text[:399] + "…")


def progress_text(step: dict[str, Any], now: datetime) -> str:
    """How a running automatic step is getting on ("" for other steps)."""
    if step["status"] != "InProgress" or step["action"] not in AUTOMATIC:
        return ""
    if step["action"] == "aws:sleep" and step.get("dueTime"):
        return f"sleeping: resumes in {format_duration(parse_timestamp(step['dueTime']) - now)}"
    attempt = f" (attempt {step['attempt']})" if step.get("attempt", 1) > 1 else ""
    return f"running for {format_duration(now - parse_timestamp(step['startTime']))}{attempt}"


def step_title(step: dict[str, Any], current: bool) -> str:
    mark = MARKS.get(step["status"], "?")
    here = "  ◀ current" if current else ""
    return f"{mark} {step['name']}  {step['action']}  {step['status']}{here}"


def step_body(step: dict[str, Any], now: datetime) -> RenderableType:
    """The step unfolded: description (Markdown, as runbooks write it), inputs, progress,
    approvals, outputs, failure."""
    lines: list[str] = []
    if progress := progress_text(step, now):
        lines.append(f"[b]{progress}[/b]")
    inputs = {k: v for k, v in (step.get("inputs") or {}).items() if k not in ("Script", "Message")}
    if inputs:
        lines.append("[dim]Inputs[/dim]")
        lines += [f"  {escape(k)}: {_value(v)}" for k, v in inputs.items()]
    if step.get("approvals"):
        lines.append("[dim]Decisions[/dim]")
        lines += [f"  {a['decision'].lower()} by {escape(a['name'])}"
                  + (f": {escape(a['comment'])}" if a.get("comment") else "") for a in step["approvals"]]
    if step.get("outputs") and step["status"] == "Success":
        lines.append("[dim]Outputs[/dim]")
        lines += [f"  {escape(k)}: {_value(v)}" for k, v in step["outputs"].items()]
    if step.get("failureMessage"):
        lines.append(f"[b]{escape(step['failureMessage'])}[/b]")
    hint = {"aws:pause": "n: next step", "aws:approve": "v: approve  x: reject"}.get(step["action"])
    if step["status"] == "Waiting" and hint:
        lines.append(f"[dim]{hint}[/dim]")
    description = (step.get("description") or "").strip()
    rest = Text.from_markup("\n".join(lines))
    if not description:
        return rest if lines else Text("nothing to show", style="dim")
    return Group(MarkdownText(description), Text(), rest) if lines else MarkdownText(description)


def current_step_line(execution: dict[str, Any] | None, now: datetime) -> str:
    """One line for the Overview."""
    if execution is None:
        return "No runbook is running for this incident."
    head = f"{execution['runbookName']} (version {execution['runbookVersion']})"
    if execution["status"] in ENDED:
        return f"{head} ended: {execution['status']}"
    step = next((s for s in execution["steps"] if s["name"] == execution.get("currentStep")), None)
    if step is None:
        return f"{head}: {execution['status']}"
    done = sum(1 for s in execution["steps"] if s["status"] == "Success")
    progress = progress_text(step, now)
    waiting = " — waiting for you (Runbook tab: n)" if step["status"] == "Waiting" else ""
    return (f"{head}: step {step['name']} ({step['action']}), {done} of {len(execution['steps'])} done"
            + (f", {progress}" if progress else "") + waiting)


async def latest_execution(call: Any, incident_arn: str) -> dict[str, Any] | None:
    listed = await call("ListRunbookExecutions", {"incidentRecordArn": incident_arn})
    if not listed or not listed["executions"]:
        return None
    got = await call("GetRunbookExecution", {"executionId": listed["executions"][-1]["executionId"]})
    return got["execution"] if got else None


def _is_about(event: Any, incident_arn: str) -> bool:
    return event.type == ev.RUNBOOK_EXECUTION_CHANGED and event.resource_arn == incident_arn


class CurrentRunbookStep(Static):
    """The Overview's line about the runbook's current step, kept live."""

    def __init__(self, incident_arn: str, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.incident_arn = incident_arn

    def on_mount(self) -> None:
        self.app.domain_events.subscribe(self, self._on_event)  # type: ignore[attr-defined]
        self.call_after_refresh(self.reload)  # after the incident's first frame, which it is not part of

    def _on_event(self, event: Any) -> None:
        if _is_about(event, self.incident_arn):
            self.reload()

    async def _call(self, operation: str, params: dict[str, Any]) -> dict[str, Any] | None:
        try:
            return await self.app.client.call(operation, params)  # type: ignore[attr-defined]
        except ServiceError:
            return None  # the tab says what is wrong; the overview line stays as it was

    @work(exclusive=True, group="runbook-current-step")
    async def reload(self) -> None:
        execution = await latest_execution(self._call, self.incident_arn)
        self.update(current_step_line(execution, self.app.now()))  # type: ignore[attr-defined]


class RunbookPane(Vertical):
    DEFAULT_CSS = """
    RunbookPane { height: 1fr; }
    RunbookPane #runbook-head { height: auto; padding: 0 1; text-style: bold; }
    RunbookPane #runbook-description { height: auto; padding: 0 1; color: $text-muted; }
    RunbookPane #runbook-steps { height: 1fr; }
    RunbookPane #runbook-empty { height: auto; color: $text-muted; padding: 1 1; }
    RunbookPane Collapsible { padding-bottom: 0; }
    RunbookPane Collapsible.-current CollapsibleTitle { text-style: bold; color: $accent; }
    """
    BINDINGS = [
        Binding("n", "next_step", "Next step", id="runbook-next", tooltip="The manual step is done: go on to the next one"),
        Binding("v", "approve", "Approve", id="runbook-approve", tooltip="Approve the approval step, as you"),
        Binding("x", "reject", "Reject", id="runbook-reject", tooltip="Reject the approval step (asks first)"),
        Binding("t", "retry", "Retry", id="runbook-retry", tooltip="Run the step the execution failed on again"),
        Binding("s", "stop", "Stop", id="runbook-stop", tooltip="Stop the runbook execution (asks first)"),
        Binding("S", "start_runbook", "Start runbook", id="runbook-start",
                tooltip="Choose a runbook and start it on this incident"),
    ]

    MUTATING_ACTIONS = frozenset({"next_step", "approve", "reject", "retry", "stop", "start_runbook"})
    can_focus = True  # with no execution (no steps to focus) the pane itself holds the focus, so S works

    def __init__(self, incident_arn: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.incident_arn = incident_arn
        self.execution: dict[str, Any] | None = None
        self._shown_for: tuple[str, str | None] | None = None  # (execution, current step) last expanded

    def compose(self) -> ComposeResult:
        yield Static("", id="runbook-head")
        yield Static("", id="runbook-description")
        yield VerticalScroll(id="runbook-steps")
        yield Static(
            "No runbook execution for this incident. A response plan's runbook starts with the incident, "
            "or start one here (S); the Runbooks area (:runbooks) lists the documents.",
            id="runbook-empty",
        )

    def on_mount(self) -> None:
        self.app.domain_events.subscribe(self, self._on_event)  # type: ignore[attr-defined]
        self.set_interval(1.0, self._tick)
        self.reload()

    def _on_event(self, event: Any) -> None:
        if _is_about(event, self.incident_arn):
            self.reload()

    def on_show(self) -> None:
        """Shown (its tab chosen): the steps take the focus, so the step keys work at once."""
        self._focus_steps()

    def _focus_steps(self) -> None:
        if not self.is_on_screen:
            return
        current = self.query(".-current CollapsibleTitle") or self.query("CollapsibleTitle")
        if current:
            current.first().focus()
        elif not self.has_focus_within:
            self.focus()

    def _tick(self) -> None:
        """Keep a running step's progress current."""
        if self.execution is not None and any(progress_text(s, self.app.now()) for s in self.execution["steps"]):  # type: ignore[attr-defined]
            self._render_steps()

    async def _call(self, operation: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """The screen's call: a refusal goes to the flash line and gives None."""
        return await self.screen.call(operation, params)  # type: ignore[attr-defined]

    @work(exclusive=True, group="runbook-load")
    async def reload(self) -> None:
        execution = await latest_execution(self._call, self.incident_arn)
        await self._show(execution)

    def _gone(self) -> bool:
        """Its screen closed, or the app is tearing it down, while a load was out."""
        return not self.is_attached or self._closing or self.screen.is_closing  # type: ignore[attr-defined]

    async def _show(self, execution: dict[str, Any] | None) -> None:
        if self._gone():
            return
        try:
            await self._fill(execution)
        except NoMatches:
            if not self._gone():
                raise  # its widgets are missing on a live screen: a real bug, not a closing race

    async def _fill(self, execution: dict[str, Any] | None) -> None:
        self.execution = execution
        self.refresh_bindings()  # S only while there is no execution
        steps_box = self.query_one("#runbook-steps", VerticalScroll)
        self.query_one("#runbook-empty").display = execution is None
        steps_box.display = execution is not None
        if execution is None:
            self.query_one("#runbook-head", Static).update("")
            self.query_one("#runbook-description", Static).display = False
            return
        head = (f"{execution['runbookName']} (version {execution['runbookVersion']}) · {execution['status']}"
                + (f" · {execution['failureMessage']}" if execution.get("failureMessage") else ""))
        self.query_one("#runbook-head", Static).update(escape(head))
        description = self.query_one("#runbook-description", Static)
        description.update(escape(execution.get("description", "").strip()))
        description.display = bool(execution.get("description"))
        names = [s["name"] for s in execution["steps"]]
        if [c.id for c in steps_box.children] != [f"runbook-step-{n}" for n in names]:
            await steps_box.remove_children()
            await steps_box.mount_all(
                Collapsible(Static("", classes="runbook-step-body"), title="", collapsed=True, id=f"runbook-step-{n}")
                for n in names
            )
        self._render_steps()
        if not self.has_focus_within:
            self._focus_steps()

    def _render_steps(self) -> None:
        execution = self.execution
        if execution is None:
            return
        now = self.app.now()  # type: ignore[attr-defined]
        current = execution.get("currentStep") if execution["status"] not in ENDED else None
        moved = self._shown_for != (execution["executionId"], current)
        self._shown_for = (execution["executionId"], current)
        for step in execution["steps"]:
            box = next(iter(self.query(f"#runbook-step-{step['name']}").results(Collapsible)), None)
            if box is None:  # its step is still mounting, or the screen is closing
                continue
            is_current = step["name"] == current
            box.title = step_title(step, is_current)
            box.set_class(is_current, "-current")
            box.query_one(".runbook-step-body", Static).update(step_body(step, now))
            if moved:
                box.collapsed = not is_current

    # ---- stepping -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.MUTATING_ACTIONS and self.app.settings.read_only:  # type: ignore[attr-defined]
            return False  # the read-only cockpit only watches the runbook
        if action == "start_runbook":
            return self.execution is None
        return self.execution is not None  # with none, the stepping keys give way to S in the footer

    def _current(self) -> dict[str, Any] | None:
        execution = self.execution
        if execution is None or execution["status"] in ENDED:
            return None
        return next((s for s in execution["steps"] if s["name"] == execution.get("currentStep")), None)

    def _flash(self, message: str, level: str = "info") -> None:
        self.app.flash(message, level)  # type: ignore[attr-defined]

    def action_next_step(self) -> None:
        step = self._current()
        if step is None:
            self._flash("no runbook step is waiting", "warning")
        elif step["action"] != "aws:pause" or step["status"] != "Waiting":
            what = "approve it with v or reject it with x" if step["action"] == "aws:approve" else "it goes on by itself"
            self._flash(f"step {step['name']} is an {step['action']}: {what}", "warning")
        else:
            self.signal(step["name"], "Resume")

    def action_approve(self) -> None:
        step = self._current()
        if step is None or step["action"] != "aws:approve":
            self._flash("no approval step is waiting", "warning")
        else:
            self.signal(step["name"], "Approve")

    def action_reject(self) -> None:
        step = self._current()
        if step is None or step["action"] != "aws:approve":
            self._flash("no approval step is waiting", "warning")
            return
        self.app.push_screen(
            ConfirmModal("Reject", f"Reject step {step['name']}? The step fails and the runbook follows its onFailure route.", "Reject"),
            lambda yes: yes and self.signal(step["name"], "Reject"),
        )

    def action_retry(self) -> None:
        execution = self.execution
        failed = [s for s in (execution or {}).get("steps", []) if s["status"] in ("Failed", "TimedOut")]
        if execution is None or execution["status"] not in ("Failed", "TimedOut") or not failed:
            self._flash("the runbook has not failed: nothing to retry", "warning")
            return
        self.signal(execution["currentStep"], "Retry")

    def action_stop(self) -> None:
        if self._current() is None:
            self._flash("no runbook is running", "warning")
            return
        name = self.execution["runbookName"]  # type: ignore[index]
        self.app.push_screen(
            ConfirmModal("Stop runbook", f"Stop runbook {name}? Its current step is cancelled.", "Stop"),
            lambda yes: yes and self.stop(),
        )

    @work(exclusive=True, group="runbook-start")
    async def action_start_runbook(self) -> None:
        runbooks = await self.screen.call_pages("ListRunbooks", {}, "runbooks")  # type: ignore[attr-defined]
        if runbooks == []:
            self._flash("no runbooks yet: clone the template or import one in the Runbooks area (:runbooks)", "warning")
        elif runbooks is not None:
            self.app.push_screen(StartRunbookForm(self._start, runbooks), self._started)

    async def _start(self, runbook: dict[str, Any]) -> dict[str, Any]:
        """Start the chosen runbook (a ListRunbooks summary); the incident's ARN goes to its
        IncidentRecordArn parameter, as a response plan's would."""
        given = {n: [self.incident_arn] for n in runbook["parameters"] if dynamic_variable(n) == "INCIDENT_RECORD_ARN"}
        request = {"incidentRecordArn": self.incident_arn, "runbookName": runbook["name"], "parameters": given}
        await self.app.client.call("StartRunbookExecution", request)  # type: ignore[attr-defined]
        return request

    def _started(self, request: dict[str, Any] | None) -> None:
        if request is not None:
            self._flash(f"runbook {request['runbookName']} started", "success")
            self.reload()

    @work(exclusive=True, group="runbook-signal")
    async def signal(self, step: str, kind: str) -> None:
        execution_id = self.execution["executionId"]  # type: ignore[index]
        out = await self._call("SignalRunbookStep", {"executionId": execution_id, "stepName": step, "signal": kind})
        if out is not None:
            done = {"Resume": "done", "Approve": "approved", "Reject": "rejected", "Retry": "retried"}[kind]
            self._flash(f"step {step} {done}", "success")
            await self._show(out["execution"])

    @work(exclusive=True, group="runbook-signal")
    async def stop(self) -> None:
        out = await self._call("StopRunbookExecution", {"executionId": self.execution["executionId"]})  # type: ignore[index]
        if out is not None:
            self._flash("runbook stopped", "success")
            await self._show(out["execution"])
