"""The Audit table's cells, short enough that every column reads whole at 80 columns: the time
(today's by the minute, another day's by its date), who by name, the operation marked when it failed, and a resource
as ``type/name`` with generated ids cut to their first characters. The pane below the table
and the record's detail view show every value in full. Pure: no Textual, no I/O."""

from __future__ import annotations

from datetime import datetime, tzinfo

from widgets.formatting import EMPTY, alias_of

SHORT_TYPES = {
    "incident-record": "incident", "response-plan": "plan", "replication-set": "replication",
    "contact-channel": "channel", "maintenance-window": "window", "analysis-template": "template",
}
"""ARN resource types as the table names them (the others keep their own word)."""
ID_SHOWN = 4
WHO_WIDTH = 12
FAILED = "✗ "
"""Marks the operation of a call that failed (the pane and the detail view give its error)."""


def _generated(part: str) -> bool:
    """A uuid or hash that the core made up (as opposed to a name a person chose)."""
    return len(part) > 12 and part.replace("-", "").isalnum() and sum(c.isdigit() for c in part) >= 3


def resource_label(arn: str | None) -> str:
    """``arn:...:incident-record/api/0f3a9c1b22...`` -> ``incident/api/0f3a9c…``;
    ``arn:...:response-plan/payments-down`` -> ``plan/payments-down``; a bare id shortened."""
    if not arn:
        return EMPTY
    if not arn.startswith("arn:"):
        return arn[:ID_SHOWN] if _generated(arn) else arn
    kind, _, path = arn.split(":", 5)[-1].partition("/")
    names = [p[:ID_SHOWN] if _generated(p) else p for p in path.split("/") if p]
    return "/".join([SHORT_TYPES.get(kind, kind), *names])


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def who_label(principal: str | None) -> str:
    """The principal's name (the last part of its ARN), at most WHO_WIDTH characters."""
    return _cut(alias_of(principal), WHO_WIDTH) if principal else EMPTY


def operation_label(operation: str, result: str) -> str:
    return operation if result == "OK" else FAILED + operation


def time_label(when: datetime, now: datetime, zone: tzinfo | None) -> str:
    """``14:05`` today, ``11-30`` another day (in ``zone``; the pane below the table gives the
    time to the second)."""
    local = when.astimezone(zone)
    return local.strftime("%H:%M" if local.date() == now.astimezone(zone).date() else "%m-%d")
