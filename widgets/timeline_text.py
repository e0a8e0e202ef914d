"""Timeline events as one line of text each: custom events say what people wrote, automatic
events are described from the data the core recorded."""

from __future__ import annotations

import json
from typing import Any

from core.model.incidents import TimelineEventType, impact_label

KIND_LABELS = {
    TimelineEventType.CUSTOM.value: "Custom",
    TimelineEventType.CREATED.value: "Created",
    TimelineEventType.TRIGGER.value: "Trigger",
    TimelineEventType.UPDATED.value: "Updated",
    TimelineEventType.RELATED_ITEM.value: "Related item",
    TimelineEventType.ENGAGEMENT.value: "Engagement",
    TimelineEventType.PAGE.value: "Page",
    TimelineEventType.ACKNOWLEDGEMENT.value: "Acknowledged",
    TimelineEventType.RUNBOOK.value: "Runbook",
}


def is_custom(event_type: str) -> bool:
    return event_type == TimelineEventType.CUSTOM.value


def kind_label(event_type: str) -> str:
    return KIND_LABELS.get(event_type, event_type)


def _value_text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("url") or value.get("arn") or value.get("metricDefinition") or value)
    return str(value)


def _change_text(key: str, change: dict[str, Any]) -> str:
    before, after = change.get("from"), change.get("to")
    if key == "impact":
        return f"impact {impact_label(before) if before else '–'} → {impact_label(after) if after else '–'}"
    if key == "summary":
        return "summary edited"
    if key == "chatChannel":
        return "chat channel changed"
    if key == "status":
        return f"status {before} → {after}"
    return f"{key} “{before}” → “{after}”"


CONTACT_KINDS = {"ESCALATION": "escalation plan", "ONCALL_SCHEDULE": "on-call schedule"}


def alias_from_arn(arn: Any) -> str:
    """``...:contact/alice``, ``...:engagement/alice/ID`` or ``...:page/alice/ID`` -> ``alice``."""
    if not isinstance(arn, str) or not arn:
        return "?"
    resource = arn.split(":", 5)[-1]
    parts = resource.split("/")
    return parts[1] if len(parts) > 1 else resource


def _engagement_text(data: dict[str, Any]) -> str:
    alias = data.get("alias") or alias_from_arn(data.get("contact"))
    kind = CONTACT_KINDS.get(str(data.get("type")))
    who = f"{kind} {alias}" if kind else alias
    via = f" via {alias_from_arn(data['via'])}" if data.get("via") else ""
    return f"Engaged {who}{via}"


def _page_text(data: dict[str, Any]) -> str:
    channel = data.get("channel")
    return f"Paged {alias_from_arn(data.get('contact'))}" + (f" by {channel}" if channel else "")


def _acknowledgement_text(data: dict[str, Any]) -> str:
    who = alias_from_arn(data.get("contact"))
    by = data.get("by")
    by_name = by.rsplit("/", 1)[-1] if isinstance(by, str) and by else None
    via = data.get("via")  # the operation and binding (and origin) it came through
    return f"Page to {who} acknowledged" + (f" by {by_name}" if by_name else "") + (f" via {via}" if via else "")


AUTOMATIC_TEXT = {
    TimelineEventType.ENGAGEMENT.value: _engagement_text,
    TimelineEventType.PAGE.value: _page_text,
    TimelineEventType.ACKNOWLEDGEMENT.value: _acknowledgement_text,
}


def describe(event_type: str, data: str | None) -> str:
    """One line for a timeline event (``data`` is its eventData, as stored)."""
    text = data or ""
    try:
        parsed: Any = json.loads(text) if text else None
    except ValueError:
        parsed = None
    if is_custom(event_type):
        return parsed if isinstance(parsed, str) else text
    if not isinstance(parsed, dict):
        return text or kind_label(event_type)
    if event_type == TimelineEventType.CREATED.value:
        impact = parsed.get("impact")
        text = f"Incident started: {parsed.get('title', '')} ({impact_label(impact) if impact else '?'})"
        return text + _from_intake(parsed.get("trigger"))
    if event_type == TimelineEventType.UPDATED.value:
        changes = parsed.get("changes") or {}
        return "; ".join(_change_text(k, v) for k, v in changes.items()) or "record updated"
    if event_type == TimelineEventType.RELATED_ITEM.value:
        label = parsed.get("title") or _value_text(parsed.get("value"))
        return f"{parsed.get('type', 'item')} {parsed.get('action', 'changed')}: {label}"
    if isinstance(parsed.get("message"), str):  # an automatic event that says what happened itself
        return parsed["message"]
    if event_type in AUTOMATIC_TEXT:
        return AUTOMATIC_TEXT[event_type](parsed)
    if event_type == TimelineEventType.TRIGGER.value:
        if parsed.get("deduplicated"):
            return f"Duplicate start folded into this incident: {parsed.get('title', '')}" + _from_intake(
                parsed.get("trigger"))
        for key, words in INTAKE_WORDS.items():
            if parsed.get(key):
                return f"Alert {parsed.get('alert', '?')} {words} (integration {parsed.get('integration', '?')})"
        return "Triggered"
    for key in ("description", "title", "name"):
        if parsed.get(key):
            return str(parsed[key])
    return kind_label(event_type)


INTAKE_WORDS = {"recovered": "recovered", "acknowledged": "acknowledged through the Opsgenie API",
                "closed": "closed through the Opsgenie API"}


def _from_intake(trigger: Any) -> str:
    """ from integration X, alert Y: for incidents started (or joined) by alert intake."""
    if not isinstance(trigger, dict) or not trigger.get("integration"):
        return ""
    return f" — from integration {trigger['integration']}, alert {trigger.get('alert', '?')}"
