"""One analysis: tabs Overview, Metrics (key moments and the times between them), Timeline (its
own copy, editable), Questions, Actions (recommended and custom; dismissed ones stay listed)
and Checklist. Closing with unchecked items asks first."""

from __future__ import annotations

from datetime import UTC
from typing import Any, ClassVar

from rich.table import Table
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from cockpit.analyses.cells import fill_cell
from cockpit.analyses.forms import (
    OVERVIEW_FIELDS,
    ActionItemForm,
    AnswerForm,
    OverviewForm,
    TimelinePointForm,
)
from cockpit.analyses.moments import moment_rows, time_rows
from cockpit.shell.confirm import ConfirmModal
from cockpit.shell.screen import CockpitScreen
from core.model import events as ev
from core.model.events import DomainEvent
from widgets.formatting import EMPTY, counted, local_time, shorten
from widgets.key_table import KeyTable
from widgets.timeline_text import describe, kind_label

STATUS_TEXT = {"RECOMMENDED": "recommended", "ACCEPTED": "accepted", "COMPLETED": "✓ completed",
               "DISMISSED": "dismissed"}
ANSWER_WIDTH = 24  # the start of an answer beside its question (the Answer form shows it whole)
OWNER_WIDTH = 14  # an owner's name beside the item (the item's form shows it whole)


class AnalysisScreen(CockpitScreen):
    MUTATING_ACTIONS = frozenset({"edit_overview", "answer", "add_point", "edit_point", "delete_point", "add_item",
                                  "edit_item", "accept", "complete", "dismiss", "toggle", "close"})
    TAB_ACTIONS: ClassVar[dict[str, str]] = {
        "edit_overview": "overview", "answer": "questions",
        "add_point": "timeline", "edit_point": "timeline", "delete_point": "timeline",
        "add_item": "actions", "edit_item": "actions", "accept": "actions", "complete": "actions",
        "dismiss": "actions",
        "toggle": "checklist",
    }
    DEFAULT_CSS = """
    AnalysisScreen #analysis-banner { height: auto; padding: 0 1; background: $boost; }
    AnalysisScreen #analysis-tabs, AnalysisScreen ContentSwitcher { height: 1fr; }  /* the screen never scrolls */
    AnalysisScreen TabPane { padding: 0 1; height: 1fr; }
    AnalysisScreen KeyTable { height: 1fr; }
    AnalysisScreen .hint { color: $text-muted; height: auto; }
    """
    BINDINGS = [
        Binding("e", "edit_overview", "Edit", id="analysis-edit-overview", tooltip="Edit the name and overview"),
        Binding("a", "answer", "Answer", id="analysis-answer", tooltip="Answer the selected question"),
        Binding("n", "add_point", "Add point", id="analysis-add-point", tooltip="Add a point to this timeline"),
        Binding("E", "edit_point", "Edit point", id="analysis-edit-point", tooltip="Edit the selected point"),
        Binding("d", "delete_point", "Delete", id="analysis-delete-point",
                tooltip="Remove the selected point from this analysis's timeline (not the incident's)"),
        Binding("n", "add_item", "New item", id="analysis-add-item", tooltip="Add a custom action item"),
        Binding("o", "edit_item", "Owner, due", id="analysis-edit-item",
                tooltip="Edit the selected action item: its title, description, owner and due date"),
        Binding("c", "accept", "Accept", id="analysis-accept",
                tooltip="Accept the selected action item (asks for its owner and due date if it has none)"),
        Binding("x", "complete", "Complete", id="analysis-complete", tooltip="Mark the selected item completed"),
        Binding("z", "dismiss", "Dismiss", id="analysis-dismiss",
                tooltip="Dismiss the selected item (it stays listed as dismissed)"),
        Binding("space", "toggle", "Tick", id="analysis-toggle", tooltip="Tick or untick the checklist item"),
        Binding("C", "close", "Close analysis", id="analysis-close",
                tooltip="Close the analysis (asks first if checklist items are open)"),
    ]

    def __init__(self, analysis_id: str) -> None:
        super().__init__()
        self.analysis_id = analysis_id
        self.analysis: dict[str, Any] | None = None

    @property
    def crumb(self) -> str:
        name = self.analysis["name"] if self.analysis else "Analysis"
        return name if len(name) <= 32 else name[:31] + "…"

    def compose_body(self) -> ComposeResult:
        yield Static("Loading…", id="analysis-banner")
        with TabbedContent(initial="overview", id="analysis-tabs"):
            with TabPane("Overview", id="overview"), VerticalScroll():
                yield Static("", id="analysis-overview")
            with TabPane("Metrics", id="metrics"), VerticalScroll():
                yield Static("", id="analysis-metrics")
            with TabPane("Timeline", id="timeline"):
                yield Static("This analysis's own timeline: n adds, E edits, d removes; the incident's "
                             "timeline is not changed.", classes="hint")
                yield KeyTable(id="analysis-timeline")
            with TabPane("Questions", id="questions"):
                yield Static("a (or enter) answers. Describe what the system allowed, not who.", classes="hint")
                yield KeyTable(id="analysis-questions")
            with TabPane("Actions", id="actions"):
                yield Static("c accepts (an accepted item has an owner and a due date), o (or enter) edits, "
                             "x completes, z dismisses (it stays listed), n adds one.", classes="hint")
                yield KeyTable(id="analysis-actions")
            with TabPane("Checklist", id="checklist"):
                yield Static("space ticks the selected item; C closes the analysis.", classes="hint")
                yield KeyTable(id="analysis-checklist")

    def on_mount(self) -> None:
        super().on_mount()
        for table_id, columns, fill in (
                ("timeline", (("when", "When"), ("kind", "Kind"), ("description", "Description")), "description"),
                ("questions", (("category", "Category"), ("question", "Question"), ("answer", "Answer")), "question"),
                ("actions", (("status", "Status"), ("source", "From"), ("title", "Action item"), ("owner", "Owner"),
                             ("due", "Due")), "title"),
                ("checklist", (("done", "Done"), ("item", "Item")), "item")):
            table = self.query_one(f"#analysis-{table_id}", KeyTable)
            for key, label in columns:
                table.add_column(label, key=key)
            table.fill = fill  # takes the width the others leave, its text cut with "…" (the row opens it whole)
        self.update_breadcrumbs()
        self.call_after_refresh(self._focus_tab, self._active_tab())
        self.load()

    def on_domain_event(self, event: DomainEvent) -> None:
        if event.type == ev.ANALYSIS_CHANGED and self.analysis and event.resource_arn == self.analysis["arn"]:
            self.load()

    def reload_data(self) -> None:
        self.load()

    @work(exclusive=True, group="analysis-load")
    async def load(self) -> None:
        out = await self.call("GetAnalysis", {"analysisId": self.analysis_id})
        if out is not None:
            self.analysis = out["analysis"]
            self._show(self.analysis)

    # ---- showing ------------------------------------------------------------------------------
    def _show(self, a: dict[str, Any]) -> None:
        zone = self.app.settings.zone or UTC
        unchecked = sum(not c["checked"] for c in a["checklist"])
        self.query_one("#analysis-banner", Static).update(
            f"[b]{a['name']}[/b] · {a['status']} · incident “{a['properties']['title']}” · "
            f"{counted(unchecked, 'checklist item')} open")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for key, label in (*OVERVIEW_FIELDS, ("duration", "Duration")):
            grid.add_row(label, a["overview"].get(key) or "[dim]not written yet (e edits)[/dim]")
        for section in a.get("sections") or []:
            grid.add_row(section["title"], section.get("text") or "[dim]not written yet[/dim]")
        self.query_one("#analysis-overview", Static).update(grid)
        metrics = Table.grid(padding=(0, 2))
        metrics.add_column(style="bold", no_wrap=True)
        metrics.add_column()
        for label, value in [*moment_rows(a, zone), ("", ""), *time_rows(a)]:
            metrics.add_row(label, value)
        self.query_one("#analysis-metrics", Static).update(metrics)
        with self.app.batch_update():
            self.query_one("#analysis-timeline", KeyTable).sync_rows(
                [(e["eventId"], (local_time(e["eventTime"], zone), kind_label(e["eventType"]),
                                 fill_cell(describe(e["eventType"], e["eventData"])))) for e in a["timeline"]],
                ordered=True)
            self.query_one("#analysis-questions", KeyTable).sync_rows(
                [(q["id"], (q["category"], fill_cell(q["text"]),
                            shorten(" ".join((q.get("answer") or EMPTY).split()), ANSWER_WIDTH)))
                 for q in a["questions"]], ordered=True)
            self.query_one("#analysis-actions", KeyTable).sync_rows(
                [(i["itemId"], (STATUS_TEXT[i["status"]], i["source"].lower(), fill_cell(i["title"]),
                                shorten(i["owner"], OWNER_WIDTH) or EMPTY, i["dueDate"] or EMPTY))
                 for i in a["actionItems"]], ordered=True)
            self.query_one("#analysis-checklist", KeyTable).sync_rows(
                [(c["id"], ("✓" if c["checked"] else EMPTY, fill_cell(c["text"]))) for c in a["checklist"]],
                ordered=True)
        self.update_breadcrumbs()
        self.refresh_bindings()

    # ---- actions ------------------------------------------------------------------------------
    def _active_tab(self) -> str:
        return self.query_one("#analysis-tabs", TabbedContent).active

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed:
            return allowed
        if action in self.MUTATING_ACTIONS and (self.analysis is None or self.analysis["status"] == "CLOSED"):
            return False
        tab = self.TAB_ACTIONS.get(action)
        return not (tab is not None and self.is_mounted and self._active_tab() != tab)

    @on(TabbedContent.TabActivated, "#analysis-tabs")
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self._focus_tab(event.pane.id or "")
        self.refresh_bindings()

    def _focus_tab(self, tab: str) -> None:
        """The tab's table (or its scrolling text) takes the focus: its keys work at once."""
        pane = self.query_one(f"#{tab}", TabPane)
        for widget in (*pane.query(KeyTable), *pane.query(VerticalScroll)):
            self.set_focus(widget)
            break

    def _selected(self, table_id: str) -> str | None:
        return self.query_one(f"#{table_id}", KeyTable).selected_key

    async def _call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """For the forms: errors reach the form (it stays open with what was typed)."""
        out = await self.app.client.call(operation, {"analysisId": self.analysis_id, **params})
        for warning in out.get("warnings") or []:
            self.flash(warning, "warning")
        return out

    def _saved(self, message: str):
        def done(result: dict[str, Any] | None) -> None:
            if result is not None:
                if not result.get("warnings"):
                    self.flash(message, "success")
                self.load()
        return done

    def action_edit_overview(self) -> None:
        if self.analysis:
            self.app.push_screen(OverviewForm(lambda values: self._call("UpdateAnalysis", values), self.analysis),
                                 self._saved("overview saved"))

    def action_answer(self) -> None:
        key = self._selected("analysis-questions")
        question = next((q for q in (self.analysis or {}).get("questions", []) if q["id"] == key), None)
        if question is None:
            return

        async def save(values: dict[str, Any]) -> dict[str, Any]:
            out = await self._call("AnswerQuestion", {"questionId": question["id"], **values})
            for title in out.get("recommendedActionItems") or []:
                self.flash(f"recommended action item: {title}", "info")
            return out
        self.app.push_screen(AnswerForm(save, question), self._saved("answer saved"))

    @on(DataTable.RowSelected, "#analysis-questions")
    def _question_chosen(self) -> None:
        if self.check_action("answer", ()):
            self.action_answer()

    def _event(self) -> dict[str, Any] | None:
        key = self._selected("analysis-timeline")
        return next((e for e in (self.analysis or {}).get("timeline", []) if e["eventId"] == key), None)

    def action_add_point(self) -> None:
        if self.analysis:
            self.app.push_screen(TimelinePointForm(lambda v: self._call("CreateAnalysisTimelineEvent", v),
                                                   self.app.settings.zone or UTC, self.app.now()),
                                 self._saved("point added"))

    def action_edit_point(self) -> None:
        event = self._event()
        if event is not None:
            text = describe(event["eventType"], event["eventData"])
            self.app.push_screen(TimelinePointForm(
                lambda v: self._call("UpdateAnalysisTimelineEvent", {"eventId": event["eventId"], **v}),
                self.app.settings.zone or UTC, event["eventTime"], event, text), self._saved("point saved"))

    def action_delete_point(self) -> None:
        event = self._event()
        if event is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._run("DeleteAnalysisTimelineEvent", {"eventId": event["eventId"]}, "point removed")
        self.app.push_screen(ConfirmModal("Remove point", "Remove this point from the analysis's timeline? "
                                          "The incident's own timeline keeps it.", "Remove"), confirmed)

    def action_add_item(self) -> None:
        self.app.push_screen(ActionItemForm(lambda v: self._call("CreateActionItem", v)),
                             self._saved("action item added"))

    def _item(self) -> dict[str, Any] | None:
        key = self._selected("analysis-actions")
        return next((i for i in (self.analysis or {}).get("actionItems", []) if i["itemId"] == key), None)

    def _item_form(self, item: dict[str, Any], status: str | None, message: str) -> None:
        extra = {"status": status} if status else {}
        self.app.push_screen(ActionItemForm(
            lambda v: self._call("UpdateActionItem", {"itemId": item["itemId"], **extra, **v}), item,
            accepting=status == "ACCEPTED"), self._saved(message))

    def action_edit_item(self) -> None:
        item = self._item()
        if item is not None:
            self._item_form(item, None, "action item saved")

    @on(DataTable.RowSelected, "#analysis-actions")
    def _item_chosen(self) -> None:
        if self.check_action("edit_item", ()):
            self.action_edit_item()

    def _move_item(self, status: str) -> None:
        key = self._selected("analysis-actions")
        if key is not None:
            self._run("UpdateActionItem", {"itemId": key, "status": status}, f"action item {status.lower()}")

    def action_accept(self) -> None:
        item = self._item()
        if item is not None and not (item["owner"] and item["dueDate"]) and item["status"] != "ACCEPTED":
            self._item_form(item, "ACCEPTED", "action item accepted")  # it needs an owner and a due date first
        else:
            self._move_item("ACCEPTED")

    def action_complete(self) -> None:
        self._move_item("COMPLETED")

    def action_dismiss(self) -> None:
        self._move_item("DISMISSED")

    def action_toggle(self) -> None:
        key = self._selected("analysis-checklist")
        item = next((c for c in (self.analysis or {}).get("checklist", []) if c["id"] == key), None)
        if item is not None:
            self._run("UpdateChecklistItem", {"itemId": key, "checked": not item["checked"]},
                      "ticked" if not item["checked"] else "unticked")

    def action_close(self) -> None:
        if self.analysis is None:
            return
        unchecked = [c["text"] for c in self.analysis["checklist"] if not c["checked"]]
        if not unchecked:
            self._run("CloseAnalysis", {}, "analysis closed")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._run("CloseAnalysis", {"confirmUnchecked": True}, "analysis closed")
        self.app.push_screen(ConfirmModal(
            "Close analysis", f"{counted(len(unchecked), 'checklist item')} {'is' if len(unchecked) == 1 else 'are'} not done: " + "; ".join(unchecked)
            + ". Close the analysis anyway?", "Close anyway"), confirmed)

    @work(group="analysis-change")
    async def _run(self, operation: str, params: dict[str, Any], message: str) -> None:
        if await self.call(operation, {"analysisId": self.analysis_id, **params}) is not None:
            self.flash(message, "success")
            self.load()
