"""The response-plans area's call to the core, shared by its screen and the wizard."""

from __future__ import annotations

from typing import Any

from cockpit.contacts.calls import Call

FLAT = {"title": "incidentTemplateTitle", "impact": "incidentTemplateImpact", "summary": "incidentTemplateSummary",
        "dedupeString": "incidentTemplateDedupeString", "notificationTargets": "incidentTemplateNotificationTargets"}


async def save_response_plan(call: Call, request: dict[str, Any], arn: str | None) -> str | None:
    if arn is None:
        made = await call("CreateResponsePlan", request)
        return None if made is None else made["arn"]
    update: dict[str, Any] = {"arn": arn, "displayName": request["displayName"],
                              "engagements": request["engagements"],
                              "chatChannel": request.get("chatChannel", {"empty": {}})}
    template = request["incidentTemplate"]
    update |= {FLAT[k]: v for k, v in template.items() if k in FLAT}
    return None if await call("UpdateResponsePlan", update) is None else arn
