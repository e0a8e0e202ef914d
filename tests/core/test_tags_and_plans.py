"""Response plans (all fields stored and returned; the flattened update) and their tags."""

from __future__ import annotations

import pytest

from core.errors import ResourceNotFoundException, ServiceQuotaExceededException
from tests.support.core_state import setup_workspace, snapshot, walk

FULL_PLAN = {
    "name": "db-outage",
    "displayName": "Database outage",
    "incidentTemplate": {
        "title": "Primary DB down", "impact": 1, "summary": "writes fail", "dedupeString": "db",
        "incidentTags": {"team": "data"},
        "notificationTargets": [{"snsTopicArn": "arn:aws:sns:us-east-1:123456789012:db"}],
    },
    "chatChannel": {"chatbotSns": ["arn:aws:sns:us-east-1:123456789012:chat"]},
    "engagements": ["arn:aws:ssm-contacts:us-east-1:123456789012:contact/dba"],
    "actions": [{"ssmAutomation": {"documentName": "Restart-DB", "roleArn":
                                   "arn:aws:iam::123456789012:role/runbook", "documentVersion": "1",
                                   "parameters": {"db": ["primary"]}}}],
    "tags": {"owner": "platform"},
}


async def test_a_plan_keeps_every_field_and_the_update_flattens_the_template(core):
    await setup_workspace(core)
    c = core.client()
    arn = (await c.call("CreateResponsePlan", FULL_PLAN))["arn"]
    got = await c.call("GetResponsePlan", {"arn": arn})
    for key in ("displayName", "incidentTemplate", "chatChannel", "engagements", "actions"):
        assert got[key] == FULL_PLAN[key], key
    assert got["name"] == "db-outage" and got["arn"] == arn
    await c.call("UpdateResponsePlan", {"arn": arn, "incidentTemplateTitle": "DB down",
                                        "incidentTemplateImpact": 2, "displayName": "DB"})
    got = await c.call("GetResponsePlan", {"arn": arn})
    assert got["incidentTemplate"]["title"] == "DB down"
    assert got["incidentTemplate"]["impact"] == 2
    assert got["incidentTemplate"]["summary"] == "writes fail"
    assert got["displayName"] == "DB"
    # incidents started from it carry the template tags
    inc = (await c.call("StartIncident", {"responsePlanArn": arn}))["incidentRecordArn"]
    assert (await c.call("ListTagsForResource", {"resourceArn": inc}))["tags"] == {"team": "data"}


async def test_list_and_delete_plans(core):
    await setup_workspace(core)
    c = core.client()
    for n in range(5):
        await c.call("CreateResponsePlan", {"name": f"p{n}", "incidentTemplate": {"title": "t", "impact": 3}})
    names = [p["name"] for p in await walk(c, "ListResponsePlans", {}, "responsePlanSummaries", 2)]
    assert names == ["api-outage", "p0", "p1", "p2", "p3", "p4"]
    arn = (await c.call("ListResponsePlans", {}))["responsePlanSummaries"][1]["arn"]
    await c.call("TagResource", {"resourceArn": arn, "tags": {"a": "1"}})
    await c.call("DeleteResponsePlan", {"arn": arn})
    with pytest.raises(ResourceNotFoundException):
        await c.call("GetResponsePlan", {"arn": arn})
    async with core.db.transaction() as tx:
        assert await tx.scalar("SELECT COUNT(*) FROM tags WHERE resource_arn = ?", (arn,)) == 0


async def test_tag_untag_list(core):
    plan = await setup_workspace(core)
    c = core.client()
    assert (await c.call("ListTagsForResource", {"resourceArn": plan}))["tags"] == {}
    await c.call("TagResource", {"resourceArn": plan, "tags": {"team": "sre", "tier": "1"}})
    await c.call("TagResource", {"resourceArn": plan, "tags": {"tier": "0"}})
    assert (await c.call("ListTagsForResource", {"resourceArn": plan}))["tags"] == {"team": "sre", "tier": "0"}
    await c.call("UntagResource", {"resourceArn": plan, "tagKeys": ["team", "not-there"]})
    assert (await c.call("ListTagsForResource", {"resourceArn": plan}))["tags"] == {"tier": "0"}


async def test_tags_at_creation(core):
    await setup_workspace(core)
    c = core.client()
    arn = (await c.call("CreateResponsePlan", FULL_PLAN))["arn"]
    assert (await c.call("ListTagsForResource", {"resourceArn": arn}))["tags"] == {"owner": "platform"}


async def test_at_most_50_tags_and_nothing_half_written(core):
    plan = await setup_workspace(core)
    c = core.client()
    await c.call("TagResource", {"resourceArn": plan, "tags": {f"k{i}": "v" for i in range(45)}})
    before = await snapshot(core)
    with pytest.raises(ServiceQuotaExceededException):
        await c.call("TagResource", {"resourceArn": plan, "tags": {f"n{i}": "v" for i in range(10)}})
    assert await snapshot(core) == before
