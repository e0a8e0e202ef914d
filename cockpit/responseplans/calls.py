"""The response-plans area's call to the core, shared by its screen and the wizard."""

from __future__ import annotations

from typing import Any

from cockpit.contacts.calls import RaisingCall
from cockpit.shell.tags import tag_changes

FLAT = {"title": "incidentTemplateTitle", "impact": "incidentTemplateImpact", "summary": "incidentTemplateSummary",
        "dedupeString": "incidentTemplateDedupeString", "notificationTargets": "incidentTemplateNotificationTargets"}


async def save_response_plan(call: RaisingCall, request: dict[str, Any], arn: str | None) -> str:
    """Create the plan from a CreateResponsePlan request (``arn`` None) or update it; its arn."""
    if arn is None:
        return (await call("CreateResponsePlan", request))["arn"]
    await save_tags(call, arn, request.get("tags", {}))
    update: dict[str, Any] = {"arn": arn, "displayName": request["displayName"],
                              "engagements": request["engagements"],
                              "chatChannel": request.get("chatChannel", {"empty": {}})}
    template = request["incidentTemplate"]
    update |= {FLAT[k]: v for k, v in template.items() if k in FLAT}
    await call("UpdateResponsePlan", update)
    return arn


async def plan_tags(call: RaisingCall, arn: str) -> dict[str, str]:
    return (await call("ListTagsForResource", {"resourceArn": arn}))["tags"]


async def save_tags(call: RaisingCall, arn: str, tags: dict[str, str]) -> None:
    """Bring the plan's tags to ``tags`` (UpdateResponsePlan does not take tags)."""
    to_set, to_remove = tag_changes(await plan_tags(call, arn), tags)
    if to_set:
        await call("TagResource", {"resourceArn": arn, "tags": to_set})
    if to_remove:
        await call("UntagResource", {"resourceArn": arn, "tagKeys": to_remove})
