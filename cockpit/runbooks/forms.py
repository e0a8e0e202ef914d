"""The Runbooks area's dialogs: clone a template, check a document (problems listed, nothing
saved) and read one runbook (its steps and document)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from cockpit.shell.modal import CockpitModal, FormError, FormModal, text_of
from core.errors import ServiceError
from widgets.formatting import counted
from widgets.markdown_text import MarkdownText


class CloneTemplateForm(FormModal[dict[str, Any]]):
    """A new runbook cloned from a shipped template (the critical incident checklist...)."""

    TITLE = "Clone runbook from template"
    SUBMIT_LABEL = "Clone"
    FIELD_IDS = {"name": "runbook-name", "fromTemplate": "runbook-template"}

    def __init__(self, save, templates: list[dict[str, Any]], plans: list[tuple[str, str]]) -> None:
        super().__init__(save)
        self.templates = templates
        self.plans = plans

    def compose_fields(self) -> ComposeResult:
        yield Label("Template", classes="field-label")
        yield Select([(f"{t['name']}: {counted(len(t['steps']), 'step')}", t["name"]) for t in self.templates],
                     value=self.templates[0]["name"], allow_blank=False, id="runbook-template")
        yield Label("Name of the new runbook", classes="field-label")
        yield Input(self.templates[0]["name"], id="runbook-name", placeholder="3-128 letters, digits and _.-")
        yield Label("Start it with this response plan's incidents (optional)", classes="field-label")
        yield Select(self.plans, prompt="no response plan", id="runbook-plan")
        yield Static("The copy is yours to edit: update it with `cockpit runbook import FILE --name NAME`. "
                     "A chosen plan's runbook action is replaced by this one.", classes="hint")

    def values(self) -> dict[str, Any]:
        name = text_of(self.query_one("#runbook-name", Input))
        if not name:
            raise FormError("runbook-name", "Name: give the runbook a name")
        request = {"name": name, "fromTemplate": self.query_one("#runbook-template", Select).value}
        plan = self.query_one("#runbook-plan", Select).value
        return {"request": request, "plan": None if plan is Select.NULL else plan}


class ValidateModal(CockpitModal[None]):
    """Paste or type a document; ctrl+s checks it and lists every problem, step by step."""

    DEFAULT_CSS = """
    ValidateModal { align: center middle; }
    ValidateModal > .dialog { width: 100; max-width: 100%; height: 90%; border: round $primary;
                              background: $surface; padding: 0 1; }
    ValidateModal .dialog-title { text-style: bold; margin-bottom: 1; }
    ValidateModal TextArea { height: 1fr; min-height: 6; }
    ValidateModal #validate-result { height: auto; max-height: 12; margin-top: 1; }
    ValidateModal .buttons { height: auto; align-horizontal: right; }
    ValidateModal .buttons Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "check", "Check", id="validate-check", priority=True, tooltip="Check the document"),
        Binding("escape", "close", "Close", id="validate-close", tooltip="Close (nothing is saved)"),
    ]

    def __init__(self, check: Callable[[str], Awaitable[dict[str, Any]]], text: str = "") -> None:
        super().__init__()
        self._check = check
        self._text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label("Check a runbook document (YAML or JSON; nothing is saved)", classes="dialog-title")
            yield TextArea(self._text, id="validate-text", language=None, soft_wrap=False)
            yield Static("", id="validate-result")
            with Horizontal(classes="buttons"):
                yield Button("Check", variant="primary", id="check")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(TextArea).focus()

    @on(Button.Pressed, "#check")
    def _pressed_check(self) -> None:
        self.action_check()

    @on(Button.Pressed, "#close")
    def _pressed_close(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)

    @work(exclusive=True, group="runbook-validate")
    async def action_check(self) -> None:
        result = self.query_one("#validate-result", Static)
        text = self.query_one(TextArea).text
        if not text.strip():
            result.update("[b]Type or paste a document first.[/b]")
            return
        try:
            out = await self._check(text)
        except ServiceError as error:
            result.update(f"[b]{escape(error.message)}[/b]")
            return
        if out["valid"]:
            result.update(f"[b]✓ The document is valid ({out.get('documentFormat', '')}).[/b]")
            return
        lines = [f"[b]✗ {counted(len(out['problems']), 'problem')}:[/b]"]
        lines += [f"  • {escape(p['message'])}" for p in out["problems"]]
        result.update("\n".join(lines))


class RunbookView(CockpitModal[None]):
    """One runbook: its description, parameters, steps and the document as saved."""

    DEFAULT_CSS = """
    RunbookView { align: center middle; }
    RunbookView > .dialog { width: 100; max-width: 100%; height: 90%; border: round $primary;
                            background: $surface; padding: 0 1; }
    RunbookView .dialog-title { text-style: bold; margin-bottom: 1; }
    RunbookView #runbook-content { color: $text-muted; margin-top: 1; }
    RunbookView #runbook-description { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="runbook-view-close", tooltip="Back to the list")]

    def __init__(self, runbook: dict[str, Any]) -> None:
        super().__init__()
        self.runbook = runbook

    def compose(self) -> ComposeResult:
        r = self.runbook
        with VerticalScroll(classes="dialog"):
            yield Label(f"{r['name']} · version {r['version']} of {r['latestVersion']} · {r['documentFormat']}",
                        classes="dialog-title")
            if r.get("description"):
                yield Static(MarkdownText(r["description"].strip()), id="runbook-description")
            params = [f"  {escape(k)} ({v.get('type')})" + (f" = {escape(str(v['default']))}" if "default" in v else " (required)")
                      for k, v in (r.get("parameters") or {}).items()]
            if params:
                yield Static("[b]Parameters[/b]\n" + "\n".join(params))
            yield Static("[b]Steps[/b]")
            for i, step in enumerate(r["steps"], 1):
                yield Static(_step(i, step), classes="runbook-step")
            yield Static(escape(r["content"]), id="runbook-content")

    def action_close(self) -> None:
        self.dismiss(None)


def _step(number: int, step: dict[str, Any]) -> RenderableType:
    """A step's line, its description (Markdown) indented under it."""
    head = Text.assemble(f"  {number}. ", (step["name"], "bold"), "  ", (step["action"], "dim"))
    description = (step.get("description") or "").strip()
    return Group(head, Padding(MarkdownText(description), (0, 0, 0, 5))) if description else head
