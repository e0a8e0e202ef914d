"""The escalation-plans area's call to the core, shared by its screen and the wizard."""

from __future__ import annotations

from cockpit.contacts.calls import Call
from cockpit.plans.forms import StageForm, escalation_stages


async def save_escalation_plan(call: Call, alias: str, stages: list[StageForm], arn: str | None) -> str | None:
    plan = escalation_stages(stages)
    if arn is not None:
        return None if await call("UpdateContact", {"ContactId": arn, "Plan": plan}) is None else arn
    made = await call("CreateContact", {"Alias": alias, "DisplayName": alias, "Type": "ESCALATION", "Plan": plan})
    return None if made is None else made["ContactArn"]
