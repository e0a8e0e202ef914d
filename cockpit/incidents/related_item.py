"""Add a related item (a link or an ARN) or a metric to an incident."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from textual.app import ComposeResult
from textual.widgets import Input, Label, Select

from cockpit.shell.modal import FormError, FormModal, text_of

ITEM_TYPES = [
    ("Link or other resource", "OTHER"),
    ("Involved resource (ARN)", "INVOLVED_RESOURCE"),
    ("Attachment", "ATTACHMENT"),
    ("Automation execution", "AUTOMATION"),
    ("Parent item", "PARENT"),
    ("Task", "TASK"),
    ("Related incident", "INCIDENT"),
]


def identifier_value(text: str) -> dict[str, str]:
    """ARNs go in ``arn``, everything else in ``url`` (the AWS ItemValue union)."""
    return {"arn": text} if text.startswith("arn:") else {"url": text}


def is_link(text: str) -> bool:
    """An ARN (the core checks its pattern) or an http(s) URL naming a host."""
    if text.startswith("arn:"):
        return True
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class RelatedItemModal(FormModal[dict]):
    TITLE = "Add a related item"
    SUBMIT_LABEL = "Add"
    FIELD_IDS = {
        "relatedItemsUpdate.itemToAdd.title": "item-title",
        "relatedItemsUpdate.itemToAdd.identifier.value": "value",
        "relatedItemsUpdate.itemToAdd.identifier.type": "type",
    }

    def __init__(self, submit, metric: bool = False) -> None:
        super().__init__(submit)
        self._metric = metric
        if metric:
            self.TITLE = "Add a metric"

    def compose_fields(self) -> ComposeResult:
        if not self._metric:
            yield Label("Type", classes="field-label")
            yield Select(ITEM_TYPES, value="OTHER", id="type", allow_blank=False)
        yield Label("Title", classes="field-label")
        yield Input(id="item-title", placeholder="what this is, for the next responder")
        if self._metric:
            yield Label("Metric: a CloudWatch metric source (JSON), a dashboard URL or an alarm ARN",
                        classes="field-label")
        else:
            yield Label("ARN or URL", classes="field-label")
        yield Input(id="value", placeholder="https://... or arn:...")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#item-title", Input).focus()

    def values(self) -> dict[str, Any]:
        title = text_of(self.query_one("#item-title", Input))
        value_text = text_of(self.query_one("#value", Input))
        if not value_text:
            raise FormError("value", "ARN or URL: give an ARN or a URL" if not self._metric
                            else "Metric: give the metric source, a dashboard URL or an alarm ARN")
        if self._metric:
            item_type = "METRIC"
            if value_text.startswith(("arn:", "http://", "https://")):
                value = identifier_value(value_text)
            else:
                value = {"metricDefinition": value_text}
        else:
            # The core files any string as a url (botocore's Url shape has no pattern; only Arn has
            # one), so "zzz" would be added as a link nobody can open. This form files the value as
            # an arn or a url by how it reads, so it takes only what it can file: an ARN or an
            # http(s) URL.
            if not is_link(value_text):
                raise FormError("value", f"ARN or URL: {value_text} is neither an ARN (arn:...) nor a "
                                         "URL (https://...)")
            item_type = self.query_one("#type", Select).value
            value = identifier_value(value_text)
        item: dict[str, Any] = {"identifier": {"type": item_type, "value": value}}
        if title:
            item["title"] = title
        return item
