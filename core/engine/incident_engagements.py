"""An incident's engagements: the message they carry, the response plan's contacts engaged when
the incident starts, and every engagement it started stopped when it resolves."""

from __future__ import annotations

from typing import Any

from core.engine import escalation
from core.engine.context import Context
from core.engine.timeline import add_event
from core.errors import ResourceNotFoundException
from core.model.incidents import TimelineEventType, impact_label
from core.paging.render import incident_block, incident_link

INCIDENT_SENDER = "Incident Cockpit"
SUBJECT_MAX = 2048  # the model's Subject and Content limits
CONTENT_MAX = 8192


def incident_message(ctx: Context, record: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """An engagement's message for an incident: the caller's words, with the incident's facts
    added where they are missing. The Subject names the impact and title; the Content ends
    with the impact, title and link; SMS and voice (PublicSubject) get the impact and title."""
    title = " ".join(record["title"].split())
    label = impact_label(record["impact"])
    headline = f"{label} incident: {title}"
    subject = (given.get("Subject") or "").strip()
    if title not in subject:
        asked = subject.rstrip(" :-")
        subject = f"{asked}: {headline}" if asked else headline
    block = incident_block(title, record["impact"], incident_link(ctx.core.paging.public_url, record["arn"]))
    content = (given.get("Content") or "").strip() or record.get("summary") or title
    if block not in content:
        content = f"{content[:CONTENT_MAX - len(block) - 2]}\n\n{block}"
    return {
        **given,
        "Sender": given.get("Sender") or INCIDENT_SENDER,
        "Subject": subject[:SUBJECT_MAX],
        "Content": content,
        "PublicSubject": given.get("PublicSubject") or f"Cockpit {label}: {title}"[:SUBJECT_MAX],
        "IncidentId": record["arn"],
    }


async def engage_response_plan(ctx: Context, record: dict[str, Any], plan: dict[str, Any]) -> None:
    """Engage the plan's contacts for a new incident; a contact that no longer exists is noted
    on the timeline instead."""
    message = incident_message(ctx, record, {})
    for contact_arn in plan.get("engagements") or []:
        try:
            await escalation.engage(ctx, contact_arn=contact_arn, message=message)
        except ResourceNotFoundException:
            await add_event(
                ctx, record["arn"], TimelineEventType.ENGAGEMENT.value,
                {"contact": contact_arn, "error": "the response plan names a contact that no longer exists"},
            )


async def stop_incident_engagements(ctx: Context, record: dict[str, Any]) -> None:
    """Stop every engagement the incident started (and what they escalated to)."""
    rows = await ctx.tx.fetchall(
        "SELECT arn FROM engagements WHERE incident_id = ? AND parent_arn IS NULL AND stop_us IS NULL",
        (record["arn"],),
    )
    for row in rows:
        await escalation.stop_engagement(ctx, row["arn"], "incident resolved")

