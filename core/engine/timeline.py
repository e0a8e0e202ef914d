"""The timeline writer: appends an event to an incident's timeline, for the engine and the ops.

The operations that read and edit timelines live in ``core.ops.timeline``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from core import arns
from core.engine.context import Context
from core.model import events as ev
from core.model.incidents import TimelineEventType
from core.store.db import dumps
from core.timeutil import to_us

CUSTOM = TimelineEventType.CUSTOM.value


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
    text = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"), default=str)
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
