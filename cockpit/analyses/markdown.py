"""The whole analysis as one Markdown document (`cockpit analysis export`)."""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

from cockpit.analyses.moments import moment_rows, time_rows
from core.model.incidents import impact_label
from widgets.formatting import local_time
from widgets.timeline_text import describe, kind_label

OVERVIEW = (("background", "Background"), ("whatHappened", "What happened"), ("why", "Why it happened"),
            ("mitigation", "How it was mitigated"), ("duration", "Duration"), ("keyActions", "Key actions"))
ITEM_MARKS = {"RECOMMENDED": "[ ] recommended", "ACCEPTED": "[ ] accepted", "COMPLETED": "[x] completed"}


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(headers: tuple[str, str], rows: list[tuple[str, str]]) -> list[str]:
    return [f"| {headers[0]} | {headers[1]} |", "| --- | --- |", *(f"| {_cell(a)} | {_cell(b)} |" for a, b in rows)]


def _text(value: str) -> str:
    return value.strip() or "_Not written yet._"


def render(analysis: dict[str, Any], zone: tzinfo = UTC) -> str:
    props = analysis["properties"]
    out = [f"# {analysis['name']}", "",
           f"Post-incident analysis of **{props['title']}** ({impact_label(props['impact'])}), "
           f"from the {analysis['templateName']} template. Status: {analysis['status']}. Times are {zone}.", "",
           "## Properties", "",
           *_table(("Property", "Value"), [
               ("Incident", props["incidentRecordArn"]),
               ("Response plan", props.get("responsePlanArn") or "–"),
               ("Started", local_time(props.get("creationTime"), zone)),
               ("Resolved", local_time(props.get("resolvedTime"), zone)),
               ("Source", (props.get("incidentRecordSource") or {}).get("source", "–")),
               ("Analysis", analysis["arn"]),
           ]), "", "## Overview", ""]
    for key, title in OVERVIEW:
        out += [f"### {title}", "", _text(analysis["overview"].get(key, "")), ""]
    out += ["## Metrics", "", *_table(("Key moment", "Time"), moment_rows(analysis, zone)), "",
            *_table(("Measure", "Value"), time_rows(analysis)), "", "## Timeline", ""]
    for event in analysis["timeline"]:
        text = describe(event["eventType"], event["eventData"])
        out.append(f"- {local_time(event['eventTime'], zone)} · {kind_label(event['eventType'])}: {_cell(text)}")
    out += ["", "## Questions", ""]
    category = None
    for question in analysis["questions"]:
        if question["category"] != category:
            category = question["category"]
            out += [f"### {category}", ""]
        out += [f"**{question['text']}**", "", _text(question.get("answer") or ""), ""]
    for section in analysis.get("sections") or []:
        out += [f"## {section['title']}", "", _text(section.get("text") or ""), ""]
    items = analysis["actionItems"]
    out += ["## Actions", ""]
    out += [f"- {ITEM_MARKS[i['status']]}: {i['title']}" + (f". {i['description']}" if i["description"] else "")
            + _owned_by(i) for i in items if i["status"] != "DISMISSED"] or ["_No action items._"]
    dismissed = [i for i in items if i["status"] == "DISMISSED"]
    if dismissed:
        out += ["", "Dismissed action items:", "", *(f"- ~~{i['title']}~~" for i in dismissed)]
    out += ["", "## Checklist", "",
            *(f"- [{'x' if c['checked'] else ' '}] {c['text']}" for c in analysis["checklist"]), ""]
    return "\n".join(out)


def _owned_by(item: dict[str, Any]) -> str:
    parts = [f"owner {item['owner']}" if item.get("owner") else "", f"due {item['dueDate']}" if item.get("dueDate") else ""]
    return f" ({', '.join(p for p in parts if p)})" if any(parts) else ""
