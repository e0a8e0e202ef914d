"""The timeline writer: appends an event to an incident's timeline, for the engine and the ops.

An automatic event's data is JSON built from what a request carried (a trigger's raw data, a
summary, a related item's URL), so it can outgrow the model's ``eventData`` limit of 12,000
characters. ``event_text`` then cuts the longest texts (``core.engine.limits.fit``: a marker
says how much was cut and that the full text is in the audit trail, which keeps every
request's parameters whole). The JSON stays valid, and non-ASCII text counts one character
per character.

The operations that read and edit timelines live in ``core.ops.timeline``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from core import arns
from core.engine.context import Context
from core.engine.limits import AUDIT_TRAIL, CUT, EVENT_DATA_MAX, fit
from core.model import events as ev
from core.model.incidents import TimelineEventType
from core.store.db import dumps
from core.timeutil import to_us

CUSTOM = TimelineEventType.CUSTOM.value


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str)


def _longest_leaf(node: Any) -> tuple[Any, Any, str] | None:
    """(container, key, text) of the longest string anywhere in ``node``."""
    best = None
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        found = (node, key, value) if isinstance(value, str) else _longest_leaf(value)
        if found is not None and (best is None or len(found[2]) > len(best[2])):
            best = found
    return best


def event_text(data: dict[str, Any] | str, limit: int = EVENT_DATA_MAX) -> str:
    """``data`` as an event's text of at most ``limit`` characters (see the module's docstring)."""
    if isinstance(data, str):
        return fit(data, limit, AUDIT_TRAIL)
    text = _dumps(data)
    if len(text) <= limit:
        return text
    data = json.loads(text)  # a copy, with timestamps already as text
    while len(text) > limit:
        leaf = _longest_leaf(data)
        if leaf is None or len(leaf[2]) <= len(CUT):
            return _dumps({"cut": fit(text, limit // 2, AUDIT_TRAIL)})
        node, key, value = leaf
        node[key] = fit(value, len(value) - (len(text) - limit), AUDIT_TRAIL)
        text = _dumps(data)
    return text


async def add_event(
    ctx: Context,
    incident_arn: str,
    event_type: str,
    data: dict[str, Any] | str,
    *,
    when: datetime | None = None,
    refs: list[dict[str, str]] | None = None,
) -> str:
    """Append an event to an incident's timeline (automatic unless ``event_type`` is custom)."""
    event_id = arns.new_uuid()
    text = event_text(data)
    when = when or ctx.now
    await ctx.tx.execute(
        "INSERT INTO timeline_events (event_id, incident_arn, event_us, updated_us, event_type,"
        " is_custom, event_data, refs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            event_id,
            incident_arn,
            to_us(when),
            to_us(ctx.now),
            event_type,
            int(event_type == CUSTOM),
            text,
            dumps(refs or []),
        ),
    )
    ctx.emit(ev.TIMELINE_EVENT_ADDED, incident_arn, eventId=event_id, eventType=event_type)
    return event_id
