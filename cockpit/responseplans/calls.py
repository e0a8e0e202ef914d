"""The response-plans area's call to the core, shared by its screen and the wizard."""

from __future__ import annotations

from typing import Any

from cockpit.contacts.calls import RaisingCall

FLAT = {"title": "incidentTemplateTitle", "impact": "incidentTemplateImpact", "summary": "incidentTemplateSummary",
        "dedupeString": "incidentTemplateDedupeString", "notificationTargets": "incidentTemplateNotificationTargets"}


async def save_response_plan(call: RaisingCall, request: dict[str, Any], arn: str | None) -> str:
    """Create the plan from a CreateResponsePlan request (``arn`` None) or update it; its arn."""
    if arn is None:
        return (await call("CreateResponsePlan", request))["arn"]
    update: dict[str, Any] = {"arn": arn, "displayName": request["displayName"],
                              "engagements": request["engagements"],
                              "chatChannel": request.get("chatChannel", {"empty": {}})}
    template = request["incidentTemplate"]
    update |= {FLAT[k]: v for k, v in template.items() if k in FLAT}
    await call("UpdateResponsePlan", update)
    return arn
