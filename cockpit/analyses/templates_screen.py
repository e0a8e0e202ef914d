"""Analysis templates: the standard one and the team's own, with the selected one's sections and
questions below. A new template starts from another (the standard one by default); a team's
template takes added sections and questions, and can be deleted (analyses made from it keep
theirs). The standard template is read-only."""

from __future__ import annotations

from collections import Counter
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from cockpit.analyses.cells import fill_cell
from cockpit.analyses.template_forms import NewTemplateForm, QuestionForm, SectionForm
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.list_screen import PrepListScreen, Row
from cockpit.shell.modal import FormError
from core.analysis.standard_template import STANDARD_NAME
from core.errors import ConflictException
from core.model import events as ev
from widgets.formatting import counted

READ_ONLY = f"{STANDARD_NAME} is read-only: n makes your own copy to add to"


class AnalysisTemplatesScreen(PrepListScreen):
    CRUMB = "Analysis templates"
    COLUMNS = (("name", "Template"), ("sections", "Sections"), ("questions", "Questions"),
               ("description", "Description"))
    REFRESH_ON = frozenset({ev.ANALYSIS_TEMPLATE_CHANGED})
    ORDERED = True
    DEFAULT_CSS = """
    AnalysisTemplatesScreen #prep-table { height: 1fr; }
    AnalysisTemplatesScreen #template-detail { height: 2fr; padding: 0 1; border-top: solid $panel; }
    """
    BINDINGS = [
        Binding("n", "new", "New", id="template-new", tooltip="A new template from the selected one"),
        Binding("s", "add_section", "Add section", id="template-add-section",
                tooltip="Add a notes section to the selected template"),
        Binding("a", "add_question", "Add question", id="template-add-question",
                tooltip="Add a question to the selected template"),
        Binding("d", "delete", "Delete", id="template-delete", tooltip="Delete the selected template (asks first)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.template: dict[str, Any] | None = None  # the selected one, whole

    def compose_extra(self) -> ComposeResult:
        yield Static("", id="template-detail")

    def on_mount(self) -> None:
        super().on_mount()
        self.table.fill = "description"  # takes the width the others leave; the detail below has it whole

    async def load_rows(self) -> list[Row] | None:
        out = await self.call("ListAnalysisTemplates", {})
        if out is None:
            return None
        return [(t["name"], (t["name"] + (" (built in)" if t["builtin"] else ""), str(t["sectionCount"]),
                             str(t["questionCount"]), fill_cell(t["description"]))) for t in out["templates"]]

    def rows_loaded(self) -> None:
        self.show_selected()

    @on(DataTable.RowHighlighted, "#prep-table")
    def _highlighted(self) -> None:
        self.show_selected()

    @work(exclusive=True, group="template-detail")
    async def show_selected(self) -> None:
        name = self.selected
        out = await self.call("GetAnalysisTemplate", {"name": name}) if name else None
        self.template = out["template"] if out else None
        self.query_one("#template-detail", Static).update(detail_text(self.template) if self.template else "")

    def _editable(self) -> dict[str, Any] | None:
        if self.template is None:
            return None
        if self.template.get("builtin"):
            self.flash(READ_ONLY, "warning")
            return None
        return self.template

    @work(exclusive=True, group="template-edit")
    async def action_new(self) -> None:
        out = await self.call("ListAnalysisTemplates", {})
        if out is not None:
            names = [t["name"] for t in out["templates"]]
            self.app.push_screen(NewTemplateForm(self._create, names, self.selected or STANDARD_NAME), self._saved)

    async def _create(self, request: dict[str, Any]) -> dict[str, Any]:
        try:
            return await self.app.client.call("CreateAnalysisTemplate", request)
        except ConflictException:
            raise FormError("template-name", f"Name: a template named {request['name']} already exists") from None

    def action_add_section(self) -> None:
        template = self._editable()
        if template is not None:
            self.app.push_screen(SectionForm(self._update, template), self._saved)

    def action_add_question(self) -> None:
        template = self._editable()
        if template is not None:
            self.app.push_screen(QuestionForm(self._update, template), self._saved)

    async def _update(self, request: dict[str, Any]) -> dict[str, Any]:
        await self.app.client.call("UpdateAnalysisTemplate", request)
        return {"name": request["name"]}

    def _saved(self, result: dict[str, Any] | None) -> None:
        if result is not None:
            self.flash(f"saved template {result['name']}", "success")
            self.reload()

    def action_delete(self) -> None:
        template = self._editable()
        if template is not None:
            name = template["name"]
            self.app.push_screen(
                ConfirmModal("Delete template", f"Delete the analysis template {name}? Analyses made from it keep "
                             "their sections and questions.", "Delete"),
                lambda yes: yes and self.delete(name))

    @work(exclusive=True, group="template-edit")
    async def delete(self, name: str) -> None:
        if await self.call("DeleteAnalysisTemplate", {"name": name}) is not None:
            self.flash(f"template {name} deleted", "success")
            self.reload()


def detail_text(template: dict[str, Any]) -> str:
    sections = ", ".join(s["title"] for s in template["sections"])
    per_category = Counter(q["category"] for q in template["questions"])
    questions = ", ".join(f"{category} {n}" for category, n in per_category.items())
    return (f"{template['name']}: {template['description'] or '(no description)'}\n"
            f"Sections: {sections}\nQuestions: {questions}\nChecklist: {counted(len(template['checklist']), 'item')}")
