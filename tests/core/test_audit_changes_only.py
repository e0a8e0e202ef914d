"""LookupAuditEvents ``changesOnly``: the trail of what changed, without the reads."""

from __future__ import annotations

from tests.support.core_state import setup_workspace


async def test_changes_only_leaves_out_the_reads(core, clock):
    plan = await setup_workspace(core)
    c = core.client()
    arn = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await c.call("GetIncidentRecord", {"arn": arn})
    await c.call("ListIncidentRecords", {})
    await c.call("UpdateIncidentRecord", {"arn": arn, "impact": 1})
    everything = [e["operation"] for e in (await c.call("LookupAuditEvents", {}))["events"]]
    assert everything[:4] == ["UpdateIncidentRecord", "ListIncidentRecords", "GetIncidentRecord", "StartIncident"]
    changes = (await c.call("LookupAuditEvents", {"changesOnly": True, "resourceArn": arn}))["events"]
    assert [e["operation"] for e in changes] == ["UpdateIncidentRecord", "StartIncident"]
    # reads of the audit trail itself are reads too
    assert "LookupAuditEvents" not in {
        e["operation"] for e in (await c.call("LookupAuditEvents", {"changesOnly": True}))["events"]}
