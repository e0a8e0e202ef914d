"""The escalation-plans area's call to the core, shared by its screen and the wizard."""

from __future__ import annotations

from cockpit.contacts.calls import RaisingCall
from cockpit.plans.forms import StageForm, escalation_stages


async def save_escalation_plan(call: RaisingCall, alias: str, stages: list[StageForm], arn: str | None) -> str:
    """Create the plan (``arn`` None) or replace its stages; its arn. One call: all or nothing."""
    plan = escalation_stages(stages)
    if arn is not None:
        await call("UpdateContact", {"ContactId": arn, "Plan": plan})
        return arn
    made = await call("CreateContact", {"Alias": alias, "DisplayName": alias, "Type": "ESCALATION", "Plan": plan})
    return made["ContactArn"]
