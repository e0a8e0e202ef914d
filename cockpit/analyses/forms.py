"""The analysis forms: create one (template and name), the overview, an answer, a timeline
point and a custom action item. Each saves through the core and stays open on an error."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from textual.app import ComposeResult
from textual.markup import escape
from textual.widgets import Input, Label, Select, Static, TextArea

from cockpit.shell.modal import FormError, FormModal, text_of

OVERVIEW_FIELDS = (("background", "Background"), ("whatHappened", "What happened"), ("why", "Why it happened"),
                   ("mitigation", "How it was mitigated"), ("keyActions", "Key actions"))
TIME_FORMAT = "%Y-%m-%d %H:%M"


class CreateAnalysisForm(FormModal[dict[str, Any]]):
    """Start an analysis of a resolved incident: which template, and a descriptive name."""

    TITLE = "Create analysis"
    SUBMIT_LABEL = "Create"
    FIELD_IDS = {"name": "analysis-name", "templateName": "analysis-template"}

    def __init__(self, save, templates: list[str], incident_title: str) -> None:
        super().__init__(save)
        self.templates = templates
        self.incident_title = incident_title

    def compose_fields(self) -> ComposeResult:
        yield Static(f"Of the resolved incident “{self.incident_title}”.", classes="hint")
        yield Label("Template", classes="field-label")
        yield Select([(t, t) for t in self.templates], value=self.templates[0], allow_blank=False,
                     id="analysis-template")
        yield Label("Name", classes="field-label")
        yield Input(f"Analysis: {self.incident_title}"[:200], id="analysis-name")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#analysis-name").focus()

    def values(self) -> dict[str, Any]:
        name = text_of(self.query_one("#analysis-name", Input))
        if not name:
            raise FormError("analysis-name", "Name: give the analysis a descriptive name")
        return {"name": name, "templateName": self.query_one("#analysis-template", Select).value}


class OverviewForm(FormModal[dict[str, Any]]):
    """The overview: a high-level summary; the details go in the questions."""

    DEFAULT_CSS = """
    OverviewForm TextArea { height: 4; }
    """

    TITLE = "Overview"
    FIELD_IDS = {"name": "overview-name", "overview.duration": "overview-duration",
                 **{f"overview.{key}": f"overview-{key}" for key, _ in OVERVIEW_FIELDS}}

    def __init__(self, save, analysis: dict[str, Any]) -> None:
        super().__init__(save)
        self.analysis = analysis

    def compose_fields(self) -> ComposeResult:
        overview = self.analysis["overview"]
        yield Label("Name", classes="field-label")
        yield Input(self.analysis["name"], id="overview-name")
        for key, label in OVERVIEW_FIELDS:
            yield Label(label, classes="field-label")
            yield TextArea(overview.get(key) or "", id=f"overview-{key}", classes="overview-text")
        yield Label("Duration", classes="field-label")
        yield Input(overview.get("duration") or "", id="overview-duration")

    def values(self) -> dict[str, Any]:
        name = text_of(self.query_one("#overview-name", Input))
        if not name:
            raise FormError("overview-name", "Name: an analysis needs a name")
        overview = {key: text_of(self.query_one(f"#overview-{key}", TextArea)) for key, _ in OVERVIEW_FIELDS}
        overview["duration"] = text_of(self.query_one("#overview-duration", Input))
        return {"name": name, "overview": overview}


class AnswerForm(FormModal[dict[str, Any]]):
    """Answer one question (a yes/no question may recommend an action item)."""

    TITLE = "Answer"
    FIELD_IDS = {"answer": "answer-text"}
    DEFAULT_CSS = """
    AnswerForm TextArea { height: 6; }
    """

    def __init__(self, save, question: dict[str, Any]) -> None:
        super().__init__(save)
        self.question = question

    def compose_fields(self) -> ComposeResult:
        q = self.question
        yield Static(f"[b]{q['category']}[/b]: {q['text']}", id="answer-question")
        if q.get("kind") == "yesno":
            yield Static("Start with yes or no.", classes="hint")
        yield Label("Answer", classes="field-label")
        yield TextArea(q.get("answer") or "", id="answer-text")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#answer-text").focus()

    def values(self) -> dict[str, Any]:
        return {"answer": text_of(self.query_one("#answer-text", TextArea))}


class TimelinePointForm(FormModal[dict[str, Any]]):
    """Add or edit a point on the analysis's own timeline (the incident's stays as it was)."""

    FIELD_IDS = {"eventTime": "point-time", "eventData": "point-text"}
    DEFAULT_CSS = """
    TimelinePointForm TextArea { height: 5; }
    """

    def __init__(self, save, zone: tzinfo, when: datetime, event: dict[str, Any] | None = None,
                 text: str = "") -> None:
        super().__init__(save)
        self.zone = zone
        self.when = when
        self.event = event
        self.text = text
        self.TITLE = "Edit timeline point" if event else "Add timeline point"

    def compose_fields(self) -> ComposeResult:
        yield Label(f"Time ({self.zone})", classes="field-label")
        yield Input(self.when.astimezone(self.zone).strftime(TIME_FORMAT), id="point-time", placeholder="YYYY-MM-DD HH:MM")
        yield Label("What happened", classes="field-label")
        yield TextArea(self.text, id="point-text")

    def values(self) -> dict[str, Any]:
        raw = text_of(self.query_one("#point-time", Input))
        try:
            when = datetime.strptime(raw, TIME_FORMAT).replace(tzinfo=self.zone)
        except ValueError:
            raise FormError("point-time", f"Time: {raw!r} is not a time like 2026-03-02 09:30") from None
        text = text_of(self.query_one("#point-text", TextArea))
        if not text:
            raise FormError("point-text", "What happened: describe the point")
        return {"eventTime": when, "eventData": text}


class ActionItemForm(FormModal[dict[str, Any]]):
    """A custom action item (it starts accepted), or an item's title, description, owner and
    due date; ``accepting`` it asks for what acceptance needs (the core says what is missing)."""

    FIELD_IDS = {"title": "item-title", "description": "item-description", "owner": "item-owner",
                 "dueDate": "item-due"}
    DEFAULT_CSS = """
    ActionItemForm TextArea { height: 5; }
    """

    def __init__(self, save, item: dict[str, Any] | None = None, *, accepting: bool = False) -> None:
        super().__init__(save)
        self.item = item or {}
        self.accepting = accepting
        self.TITLE = "Accept action item" if accepting else "Edit action item" if item else "New action item"
        self.SUBMIT_LABEL = "Accept" if accepting else self.SUBMIT_LABEL

    def compose_fields(self) -> ComposeResult:
        if self.accepting:  # only what acceptance asks for (o edits the rest)
            yield Static(f"[b]{escape(self.item['title'])}[/b]\nAn accepted action item has an owner and a due date.",
                         id="item-accepted", classes="hint")
        else:
            yield Label("Title", classes="field-label")
            yield Input(self.item.get("title", ""), id="item-title")
            yield Label("Description", classes="field-label")
            yield TextArea(self.item.get("description", ""), id="item-description")
        yield Label("Owner (a person or a team)", classes="field-label")
        yield Input(self.item.get("owner", ""), id="item-owner")
        yield Label("Due date", classes="field-label")
        yield Input(self.item.get("dueDate") or "", id="item-due", placeholder="YYYY-MM-DD")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#item-owner" if self.accepting else "#item-title").focus()

    def values(self) -> dict[str, Any]:
        owned = {"owner": text_of(self.query_one("#item-owner", Input)),
                 "dueDate": text_of(self.query_one("#item-due", Input)) or None}
        if self.accepting:
            return owned
        title = text_of(self.query_one("#item-title", Input))
        if not title:
            raise FormError("item-title", "Title: say what should be done")
        return {"title": title, "description": text_of(self.query_one("#item-description", TextArea)), **owned}
