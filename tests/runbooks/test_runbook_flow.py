"""Routing between steps (nextStep, isEnd, onFailure, isCritical), substitution, signals that
retry or stop, versions an execution pins, and the start from a response plan."""

from __future__ import annotations

import pytest

from core.errors import ConflictException, ValidationException

ROUTES = """
schemaVersion: '0.3'
parameters:
  When: {type: String, default: not a time}
mainSteps:
  - name: fail
    action: aws:sleep
    inputs: {Timestamp: '{{ When }}'}
    onFailure: {route}
    isCritical: {critical}
  - name: after
    action: aws:pause
    nextStep: last
  - name: skipped
    action: aws:pause
  - name: recover
    action: aws:pause
    isEnd: true
  - name: last
    action: aws:pause
"""


def routes(route: str, critical: bool = True) -> str:
    return ROUTES.replace("{route}", route).replace("{critical}", "true" if critical else "false")


async def test_abort_ends_the_execution_failed(rb):
    ex = await rb.run(routes("Abort"))
    got = await rb.get(ex)
    assert got["status"] == "Failed"
    assert got["failureMessage"] == "step fail: Timestamp 'not a time' is not an ISO-8601 time such as 2026-03-02T10:00:00Z"
    assert [s["status"] for s in got["steps"]] == ["Failed", "Pending", "Pending", "Pending", "Pending"]


async def test_continue_goes_on_and_next_step_jumps(rb):
    ex = await rb.run(routes("Continue", critical=False))
    assert (await rb.get(ex))["currentStep"] == "after"
    await rb.signal(ex, "after")
    got = await rb.get(ex)
    assert got["currentStep"] == "last"
    await rb.signal(ex, "last")
    got = await rb.get(ex)
    assert got["status"] == "Success"
    assert [s["status"] for s in got["steps"]] == ["Failed", "Success", "Pending", "Pending", "Success"]


async def test_a_critical_step_that_failed_makes_the_end_failed(rb):
    ex = await rb.run(routes("Continue", critical=True))
    await rb.signal(ex, "after")
    await rb.signal(ex, "last")
    assert (await rb.get(ex))["status"] == "Failed"


async def test_on_failure_step_routes_to_that_step_and_is_end_stops(rb):
    ex = await rb.run(routes("step:recover", critical=False))
    got = await rb.get(ex)
    assert got["currentStep"] == "recover"
    await rb.signal(ex, "recover")
    got = await rb.get(ex)
    assert got["status"] == "Success"
    assert got["steps"][4]["status"] == "Pending"


async def test_retry_runs_the_failed_step_again(rb):
    ex = await rb.run("""
        schemaVersion: '0.3'
        mainSteps:
          - name: approve
            action: aws:approve
            inputs: {Approvers: [local-admin]}
          - name: done
            action: aws:pause
        """)
    await rb.signal(ex, "approve", "Reject")
    assert (await rb.get(ex))["status"] == "Failed"
    with pytest.raises(ConflictException, match="only that step can be retried"):
        await rb.signal(ex, "done", "Retry")
    await rb.signal(ex, "approve", "Retry")
    got = await rb.get(ex)
    assert (got["status"], got["steps"][0]["status"], got["steps"][0]["attempt"]) == ("Waiting", "Waiting", 2)
    assert got["steps"][0]["approvals"] == []
    await rb.signal(ex, "approve", "Approve")
    assert (await rb.get(ex))["currentStep"] == "done"


async def test_stop_cancels_the_current_step_and_its_timer(rb):
    ex = await rb.run("""
        schemaVersion: '0.3'
        mainSteps:
          - name: wait
            action: aws:sleep
            inputs: {Duration: PT5M}
          - name: never
            action: aws:pause
        """)
    await rb.client.call("StopRunbookExecution", {"executionId": ex})
    await rb.clock.advance(minutes=10)
    got = await rb.get(ex)
    assert got["status"] == "Cancelled"
    assert [s["status"] for s in got["steps"]] == ["Cancelled", "Pending"]
    with pytest.raises(ConflictException, match="already ended"):
        await rb.client.call("StopRunbookExecution", {"executionId": ex})


async def test_a_whole_reference_keeps_its_type_and_an_embedded_one_becomes_text(rb):
    ex = await rb.run("""
        schemaVersion: '0.3'
        parameters:
          Hosts: {type: StringList, default: [a, b]}
          Count: {type: Integer, default: 2}
        mainSteps:
          - name: approve
            action: aws:approve
            inputs:
              Approvers: '{{ Hosts }}'
              MinRequiredApprovals: '{{ Count }}'
              Message: 'Restart {{ Hosts }} ({{ Count }} hosts) in {{ automation:EXECUTION_ID }}'
        """, Hosts=["web-1", "web-2"])
    inputs = (await rb.step(ex, "approve"))["inputs"]
    assert inputs["Approvers"] == ["web-1", "web-2"]
    assert inputs["MinRequiredApprovals"] == 2
    assert inputs["Message"] == f'Restart ["web-1", "web-2"] (2 hosts) in {ex}'


async def test_parameters_are_typed_and_required(rb):
    text = """
        schemaVersion: '0.3'
        parameters:
          Count: {type: Integer}
        mainSteps:
          - {name: p, action: aws:pause}
        """
    with pytest.raises(ValidationException, match="needs the parameter Count \\(Integer\\), which has no default"):
        await rb.run(text)
    with pytest.raises(ValidationException, match="parameter Count must be a Integer, not 'many'"):
        await rb.client.call("StartRunbookExecution", {"incidentRecordArn": rb.incident, "runbookName": "triage-rb", "parameters": {"Count": "many"}})
    with pytest.raises(ValidationException, match="has no parameter 'Other'"):
        await rb.client.call("StartRunbookExecution", {"incidentRecordArn": rb.incident, "runbookName": "triage-rb", "parameters": {"Other": 1}})


async def test_an_execution_pins_the_version_it_started_with(rb):
    ex = await rb.run("""
        schemaVersion: '0.3'
        mainSteps:
          - {name: old_step, action: aws:pause}
        """)
    updated = await rb.client.call("UpdateRunbook", {"name": "triage-rb", "content": "schemaVersion: '0.3'\nmainSteps:\n  - {name: new_step, action: aws:pause}\n"})
    assert updated["runbook"]["version"] == 2
    await rb.client.call("DeleteRunbook", {"name": "triage-rb"})
    got = await rb.get(ex)
    assert (got["runbookVersion"], [s["name"] for s in got["steps"]]) == (1, ["old_step"])
    await rb.signal(ex, "old_step")
    assert (await rb.get(ex))["status"] == "Success"


async def test_an_execution_is_an_automation_related_item(rb):
    ex = await rb.run("schemaVersion: '0.3'\nmainSteps:\n  - {name: p, action: aws:pause}\n")
    arn = (await rb.get(ex))["executionArn"]
    items = await rb.client.call("ListRelatedItems", {"incidentRecordArn": rb.incident})
    assert [(i["identifier"]["type"], i["identifier"]["value"]) for i in items["relatedItems"]] == [("AUTOMATION", {"arn": arn})]
    record = await rb.client.call("GetIncidentRecord", {"arn": rb.incident})
    assert record["incidentRecord"]["automationExecutions"] == [{"ssmExecutionArn": arn}]


async def test_a_runbook_starts_only_on_a_running_incident(rb):
    await rb.save("triage-rb", "schemaVersion: '0.3'\nmainSteps:\n  - {name: p, action: aws:pause}\n")
    await rb.client.call("UpdateIncidentRecord", {"arn": rb.incident, "status": "RESOLVED"})
    with pytest.raises(ConflictException, match="is resolved; a runbook starts only on a running incident"):
        await rb.client.call("StartRunbookExecution", {"incidentRecordArn": rb.incident, "runbookName": "triage-rb"})


async def test_a_response_plan_starts_its_runbook_with_the_incident(rb):
    await rb.save("triage-rb", """
        schemaVersion: '0.3'
        parameters:
          IncidentArn: {type: String}
          Resources: {type: StringList}
          Team: {type: String, default: nobody}
        mainSteps:
          - name: look
            action: aws:pause
            inputs:
              Message: '{{ Team }} looks at {{ IncidentArn }}'
        """)
    plan = await rb.client.call("CreateResponsePlan", {
        "name": "db-outage",
        "incidentTemplate": {"title": "DB down", "impact": 1},
        "actions": [{"ssmAutomation": {
            "documentName": "triage-rb", "documentVersion": "$LATEST",
            "roleArn": "arn:aws:iam::111122223333:role/runbooks",
            "parameters": {"Team": ["dba"]},
            "dynamicParameters": {"IncidentArn": {"variable": "INCIDENT_RECORD_ARN"},
                                  "Resources": {"variable": "INVOLVED_RESOURCES"}},
        }}],
    })
    started = await rb.client.call("StartIncident", {
        "responsePlanArn": plan["arn"],
        "relatedItems": [{"identifier": {"type": "INVOLVED_RESOURCE", "value": {"arn": "arn:aws:rds:eu-west-1:111122223333:db:main"}}}],
    })
    arn = started["incidentRecordArn"]
    listed = await rb.client.call("ListRunbookExecutions", {"incidentRecordArn": arn})
    assert [(e["runbookName"], e["status"], e["currentStep"]) for e in listed["executions"]] == [("triage-rb", "Waiting", "look")]
    got = await rb.get(listed["executions"][0]["executionId"])
    assert got["parameters"] == {"IncidentArn": arn, "Resources": ["arn:aws:rds:eu-west-1:111122223333:db:main"], "Team": "dba"}
    assert got["roleArn"] == "arn:aws:iam::111122223333:role/runbooks"
    assert got["steps"][0]["inputs"]["Message"] == f"dba looks at {arn}"


async def test_a_plan_runbook_that_cannot_start_leaves_the_incident_started_and_says_why(rb):
    plan = await rb.client.call("CreateResponsePlan", {
        "name": "missing-rb",
        "incidentTemplate": {"title": "X", "impact": 3},
        "actions": [{"ssmAutomation": {"documentName": "no-such", "roleArn": "arn:aws:iam::111122223333:role/r"}}],
    })
    arn = (await rb.client.call("StartIncident", {"responsePlanArn": plan["arn"]}))["incidentRecordArn"]
    rb.incident = arn
    assert await rb.timeline() == ["Runbook no-such could not start: runbook 'no-such' does not exist"]


async def test_responders_step_through_runbooks_and_only_admins_write_them(rb):
    from core.errors import AccessDeniedException
    from core.security.roles import principal_for_role

    def as_role(role: str):
        return rb.core.client(principal_for_role(f"arn:aws:iam::{rb.core.account_id}:user/{role}-1", f"{role}-1", role))

    ex = await rb.run("schemaVersion: '0.3'\nmainSteps:\n  - {name: p, action: aws:pause}\n")
    with pytest.raises(AccessDeniedException):
        await as_role("responder").call("CreateRunbook", {"name": "mine", "fromTemplate": "critical-incident"})
    with pytest.raises(AccessDeniedException):
        await as_role("readonly").call("SignalRunbookStep", {"executionId": ex, "stepName": "p", "signal": "Resume"})
    assert (await as_role("readonly").call("GetRunbookExecution", {"executionId": ex}))["execution"]["status"] == "Waiting"
    await as_role("responder").call("SignalRunbookStep", {"executionId": ex, "stepName": "p", "signal": "Resume"})
    assert (await rb.get(ex))["status"] == "Success"
