"""The response-plans area's call to the core, shared by its screen and the wizard."""

from __future__ import annotations

from collections.abc import Collection
from itertools import chain, count
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
                              "chatChannel": request.get("chatChannel", {"empty": {}}),
                              "actions": request.get("actions", [])}
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


RUNBOOK_ROLE = "incident-cockpit-runbooks"
DYNAMIC_PARAMETERS = {"incidentrecordarn": "INCIDENT_RECORD_ARN", "involvedresources": "INVOLVED_RESOURCES"}


def dynamic_variable(parameter: str) -> str | None:
    """The incident value a runbook parameter of this name receives (INCIDENT_RECORD_ARN...), if any."""
    return DYNAMIC_PARAMETERS.get(parameter.replace("_", "").lower())


def runbook_action(runbook: dict[str, Any], kept: dict[str, Any] | None = None) -> dict[str, Any]:
    """The plan action that starts ``runbook`` (a ListRunbooks summary or a runbook view) with
    each incident: the incident's ARN goes to its parameter named IncidentRecordArn, the involved
    resources to InvolvedResources (any case, underscores ignored). AWS's model requires a
    ``roleArn``: it is stored as role/incident-cockpit-runbooks in the runbook's account, and a
    runbook here runs with the response plan's own rights. ``kept`` is the plan's current
    ssmAutomation: its version and role stay while it names the same runbook."""
    same = kept if kept and kept.get("documentName") == runbook["name"] else {}
    dynamic = {name: {"variable": dynamic_variable(name)} for name in runbook.get("parameters") or ()
               if dynamic_variable(name)}
    ssm: dict[str, Any] = {
        "documentName": runbook["name"],
        "documentVersion": same.get("documentVersion", "$LATEST"),
        "roleArn": same.get("roleArn") or f"arn:aws:iam::{runbook['arn'].split(':')[4]}:role/{RUNBOOK_ROLE}",
    }
    if same.get("parameters"):
        ssm["parameters"] = same["parameters"]
    if dynamic:
        ssm["dynamicParameters"] = dynamic
    return {"ssmAutomation": ssm}


async def clone_runbook_template(call: RaisingCall, taken: Collection[str]) -> dict[str, Any]:
    """A new runbook cloned from the first shipped template, named after it (``-2``, ``-3``...
    when ``taken``)."""
    template = (await call("ListRunbookTemplates", {}))["templates"][0]["name"]
    name = next(n for n in chain([template], (f"{template}-{i}" for i in count(2))) if n not in taken)
    return (await call("CreateRunbook", {"name": name, "fromTemplate": template}))["runbook"]
