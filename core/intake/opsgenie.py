"""Opsgenie's Alert API request bodies (``POST /v2/alerts``), as Alertmanager's
``opsgenie_configs``, Grafana's Opsgenie contact point and scripts send them.

``message`` is the title, ``alias`` the dedupe string (Opsgenie's own dedupe key), ``priority``
P1-P5 the impact (P3 when absent, as in Opsgenie), and ``description``, ``details``, ``tags``,
``entity`` and ``source`` go to the summary and the trigger details. Limits are Opsgenie's.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from core.intake.alerts import Action, Alert, PayloadError, optional, require

PRIORITIES = {"P1": 1, "P2": 2, "P3": 3, "P4": 4, "P5": 5}
MESSAGE_MAX = 130
ALIAS_MAX = 512
DESCRIPTION_MAX = 15000
IDENTIFIER_TYPES = ("id", "alias", "tiny")


def create_alert(payload: Any, now: datetime) -> Alert:
    if not isinstance(payload, dict):
        raise PayloadError("the request body must be a JSON object")
    message = require(payload, "message", str).strip()
    if not message:
        raise PayloadError("'message' must not be empty")
    alias = optional(payload, "alias", str)
    description = optional(payload, "description", str)
    priority = optional(payload, "priority", str) or "P3"
    if priority not in PRIORITIES:
        raise PayloadError(f"'priority' must be one of P1, P2, P3, P4, P5, not {priority[:10]!r}")
    tags = optional(payload, "tags", list) or []
    if not all(isinstance(t, str) for t in tags):
        raise PayloadError("'tags' must be a list of strings")
    details = optional(payload, "details", dict) or {}
    entity = optional(payload, "entity", str)
    source = optional(payload, "source", str)
    if alias is not None and len(alias) > ALIAS_MAX:
        raise PayloadError(f"'alias' is longer than {ALIAS_MAX} characters")
    if description is not None and len(description) > DESCRIPTION_MAX:
        raise PayloadError(f"'description' is longer than {DESCRIPTION_MAX} characters")
    alias = alias or hashlib.sha256(message.encode()).hexdigest()  # Opsgenie dedupes by message then
    summary_parts = [description or ""]
    if entity:
        summary_parts.append(f"Entity: {entity}")
    if tags:
        summary_parts.append("Tags: " + ", ".join(tags))
    if details:
        summary_parts.append("Details: " + ", ".join(f"{k}={v}" for k, v in details.items()))
    return Alert(
        action=Action.TRIGGER,
        dedupe=alias,
        title=message[:MESSAGE_MAX],
        source=source or "opsgenie-api",
        timestamp=now,
        event=payload,
        name=alias,
        impact=PRIORITIES[priority],
        summary="\n".join(p for p in summary_parts if p)[:8000] or None,
        details={"alias": alias, "tags": tags, "details": details, "entity": entity, "source": source,
                 "priority": priority},
    )


def identifier_type(value: str | None) -> str:
    kind = value or "id"
    if kind not in IDENTIFIER_TYPES:
        raise PayloadError(f"identifierType must be id, alias or tiny, not {kind[:20]!r}")
    return kind
