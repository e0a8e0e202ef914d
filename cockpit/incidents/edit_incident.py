"""Edit the incident banner (title, impact, chat channel) and the summary (last writer wins)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label, Select, TextArea

from cockpit.incidents.start_incident import IMPACT_OPTIONS
from cockpit.shell.modal import FormError, FormModal, text_of

SNS_PREFIX = "arn:aws:sns:"


class EditIncidentModal(FormModal[dict]):
    TITLE = "Edit incident"
    FIELD_IDS = {"title": "title", "impact": "impact", "chatChannel": "chat"}

    def __init__(self, record: dict[str, Any], submit) -> None:
        super().__init__(submit)
        self._record = record

    def compose_fields(self) -> ComposeResult:
        yield Label("Title", classes="field-label")
        yield Input(self._record.get("title", ""), id="title")
        yield Label("Impact", classes="field-label")
        yield Select(IMPACT_OPTIONS, value=self._record.get("impact", 3), id="impact", allow_blank=False)
        yield Label("Chat channel: SNS topic ARNs, comma separated (blank: none)", classes="field-label")
        topics = ((self._record.get("chatChannel") or {}).get("chatbotSns")) or []
        yield Input(", ".join(topics), id="chat", placeholder="arn:aws:sns:region:account:topic")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#title", Input).focus()

    def values(self) -> dict[str, Any]:
        title = text_of(self.query_one("#title", Input))
        if not title:
            raise FormError("title", "Title: give the incident a title")
        topics = [t.strip() for t in self.query_one("#chat", Input).value.split(",") if t.strip()]
        for topic in topics:
            if not topic.startswith(SNS_PREFIX):
                raise FormError("chat", f"Chat channel: {topic} is not an SNS topic ARN ({SNS_PREFIX}...)")
        return {
            "title": title,
            "impact": self.query_one("#impact", Select).value,
            "chatChannel": {"chatbotSns": topics} if topics else {"empty": {}},
        }


class EditSummaryModal(FormModal[dict]):
    TITLE = "Edit summary"
    FIELD_IDS = {"summary": "summary"}
    DEFAULT_CSS = """
    EditSummaryModal #summary { height: 10; }
    """

    def __init__(self, summary: str, submit) -> None:
        super().__init__(submit)
        self._summary = summary

    def compose_fields(self) -> ComposeResult:
        yield Label("Summary: what happened, what was done, what comes next (ctrl+s saves; "
                    "if someone else saves after you, theirs wins)", classes="field-label")
        yield TextArea(self._summary, id="summary", soft_wrap=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#summary", TextArea).focus()

    def values(self) -> dict[str, Any]:
        return {"summary": text_of(self.query_one("#summary", TextArea))}
