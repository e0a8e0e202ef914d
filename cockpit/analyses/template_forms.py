"""The analysis template forms: a new template from another (the standard one by default), a
section added to one, a question added to one. Each saves through the core and stays open on
an error; ids are made from the words typed, unique within the template."""

from __future__ import annotations

import re
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label, Select, Static

from cockpit.shell.modal import FormError, FormModal, text_of
from core.analysis.standard_template import CATEGORIES, STANDARD_NAME

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
ID_LENGTH = 40


def new_id(words: str, taken: set[str]) -> str:
    """An id from ``words`` (lower case, dashes between words), with -2, -3... if it is taken."""
    base = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")[:ID_LENGTH].rstrip("-") or "item"
    made, n = base, 1
    while made in taken:
        n += 1
        made = f"{base}-{n}"
    return made


class NewTemplateForm(FormModal[dict[str, Any]]):
    """A new template: the sections, questions and checklist of the one it is based on, to which
    a team then adds its own."""

    TITLE = "New analysis template"
    SUBMIT_LABEL = "Create"
    FIELD_IDS = {"name": "template-name", "description": "template-description", "basedOn": "template-base"}

    def __init__(self, save, templates: list[str], base: str = STANDARD_NAME) -> None:
        super().__init__(save)
        self.templates = templates
        self.base = base if base in templates else templates[0]

    def compose_fields(self) -> ComposeResult:
        yield Label("Based on", classes="field-label")
        yield Select([(t, t) for t in self.templates], value=self.base, allow_blank=False, id="template-base")
        yield Label("Name", classes="field-label")
        yield Input(placeholder="letters, digits, - _ . (e.g. database-incidents)", id="template-name")
        yield Label("Description", classes="field-label")
        yield Input(id="template-description")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#template-name").focus()

    def values(self) -> dict[str, Any]:
        name = text_of(self.query_one("#template-name", Input))
        if not NAME.fullmatch(name):
            raise FormError("template-name", "Name: up to 64 letters, digits, - _ or ., starting with a letter or digit")
        return {"name": name, "description": text_of(self.query_one("#template-description", Input)),
                "basedOn": self.query_one("#template-base", Select).value}


class SectionForm(FormModal[dict[str, Any]]):
    """A notes section added after the template's others: a title, and free text in each analysis."""

    TITLE = "Add a section"
    SUBMIT_LABEL = "Add"
    FIELD_IDS = {"sections": "section-title"}

    def __init__(self, save, template: dict[str, Any]) -> None:
        super().__init__(save)
        self.template = template

    def compose_fields(self) -> ComposeResult:
        yield Static(f"To the template {self.template['name']}: a notes section each analysis fills in.",
                     classes="hint")
        yield Label("Title", classes="field-label")
        yield Input(id="section-title")

    def values(self) -> dict[str, Any]:
        title = text_of(self.query_one("#section-title", Input))
        if not title:
            raise FormError("section-title", "Title: give the section a title")
        sections = self.template["sections"]
        section = {"id": new_id(title, {s["id"] for s in sections}), "title": title[:100], "kind": "notes"}
        return {"name": self.template["name"], "sections": [*sections, section]}


class QuestionForm(FormModal[dict[str, Any]]):
    """A question added to a category of the template's questions."""

    TITLE = "Add a question"
    SUBMIT_LABEL = "Add"
    FIELD_IDS = {"questions": "question-text"}

    def __init__(self, save, template: dict[str, Any]) -> None:
        super().__init__(save)
        self.template = template

    def compose_fields(self) -> ComposeResult:
        yield Static(f"To the template {self.template['name']}; each analysis made from it asks it.", classes="hint")
        yield Label("Category", classes="field-label")
        yield Select([(c, c) for c in CATEGORIES], value=CATEGORIES[0], allow_blank=False, id="question-category")
        yield Label("Question", classes="field-label")
        yield Input(id="question-text")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#question-text").focus()

    def values(self) -> dict[str, Any]:
        text = text_of(self.query_one("#question-text", Input))
        if not text:
            raise FormError("question-text", "Question: write the question to ask")
        category = str(self.query_one("#question-category", Select).value)
        questions = self.template["questions"]
        qid = new_id(f"{category} {text}", {q["id"] for q in questions})
        return {"name": self.template["name"],
                "questions": [*questions, {"id": qid, "category": category, "text": text[:1000], "kind": "text"}]}
