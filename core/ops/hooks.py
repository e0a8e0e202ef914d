"""Extension points between areas, so that incidents need not import contacts.

Other areas (engagements, runbooks) append async callables here at import time:
``incident_started(ctx, record, plan)`` and ``incident_resolved(ctx, record)``, run inside
the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from core.engine.context import Context

incident_started: list[Callable[[Context, dict[str, Any], dict[str, Any]], Awaitable[None]]] = []
incident_resolved: list[Callable[[Context, dict[str, Any]], Awaitable[None]]] = []
