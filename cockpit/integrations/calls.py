"""What the Integrations area asks the core, shared by its screens."""

from __future__ import annotations

from typing import Any

from widgets.formatting import counted


def intake_url(client: Any, path: str) -> str:
    """The full URL when attached to a served core (its base URL), else the path on the server."""
    base = getattr(client, "url", "")
    return f"{base}{path}" if isinstance(base, str) and base else path


def plan_of(integration: dict[str, Any]) -> str:
    routing = integration["routing"]
    if "responsePlanArn" in routing:
        return routing["responsePlanArn"].rsplit("/", 1)[-1]
    return f"{counted(len(routing['rules']), 'rule')}, else {routing['defaultResponsePlanArn'].rsplit('/', 1)[-1]}"


def outcome_text(event: dict[str, Any]) -> str:
    if event.get("error"):
        return event["error"]
    parts = [f"{o.get('alert', '')}: {o.get('action')}".strip(": ") for o in event["outcome"]]
    return ", ".join(parts) or "–"
