"""UpdateIntegration is partial: what a request leaves out keeps its value (a routing change
needs no name), through the real HTTP client as an admin."""

from __future__ import annotations

import pytest

from core.errors import ValidationException


async def test_a_routing_change_alone_keeps_the_name_and_options(intake):
    made = await intake.integration("alerts", "generic", mapping={"title": "/alert/name"}, resolveOnRecovery=False)
    integration_id = made["integration"]["integrationId"]
    other = (await intake.core.client().call("CreateResponsePlan", {
        "name": "db", "incidentTemplate": {"title": "DB", "impact": 3}}))["arn"]
    admin = intake.served.remote("admin")

    changed = (await admin.call("UpdateIntegration", {"integrationId": integration_id,
                                                       "responsePlanArn": other}))["integration"]

    assert changed["name"] == "alerts"
    assert changed["routing"] == {"responsePlanArn": other}
    (listed,) = (await admin.call("ListIntegrations", {}))["integrations"]
    assert (listed["name"], listed["mapping"], listed["resolveOnRecovery"]) == ("alerts", {"title": "/alert/name"}, False)

    renamed = (await admin.call("UpdateIntegration", {"integrationId": integration_id,
                                                       "name": "alerts-2"}))["integration"]
    assert (renamed["name"], renamed["routing"]) == ("alerts-2", {"responsePlanArn": other})
    with pytest.raises(ValidationException, match="name"):
        await admin.call("UpdateIntegration", {"integrationId": integration_id, "name": "no spaces"})
