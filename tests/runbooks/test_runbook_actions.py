"""Every action's semantics, on a real core (SQLite file, fake clock)."""

from __future__ import annotations

import pytest

from core.errors import ConflictException

PAUSE = """
schemaVersion: '0.3'
description: Two manual steps
mainSteps:
  - name: first
    action: aws:pause
    description: Look at the dashboards
  - name: second
    action: aws:pause
"""


async def test_a_pause_waits_for_next_step(rb):
    ex = await rb.run(PAUSE)
    got = await rb.get(ex)
    assert got["status"] == "Waiting"
    assert got["currentStep"] == "first"
    assert [s["status"] for s in got["steps"]] == ["Waiting", "Pending"]
    assert got["steps"][0]["description"] == "Look at the dashboards"
    await rb.signal(ex, "first")
    got = await rb.get(ex)
    assert [s["status"] for s in got["steps"]] == ["Success", "Waiting"]
    await rb.signal(ex, "second")
    got = await rb.get(ex)
    assert got["status"] == "Success"
    assert "endTime" in got


async def test_only_the_waiting_step_can_be_resumed(rb):
    ex = await rb.run(PAUSE)
    with pytest.raises(ConflictException, match="step second is not waiting"):
        await rb.signal(ex, "second")


async def test_each_step_start_and_end_is_on_the_timeline(rb):
    ex = await rb.run(PAUSE)
    await rb.signal(ex, "first")
    await rb.signal(ex, "second")
    assert await rb.timeline() == [
        "Runbook triage-rb (version 1) started",
        "Step first (aws:pause) started",
        "Step first completed",
        "Step second (aws:pause) started",
        "Step second completed",
        "Runbook triage-rb ended: Success",
    ]


SLEEP = """
schemaVersion: '0.3'
mainSteps:
  - name: wait
    action: aws:sleep
    inputs:
      Duration: PT10M
  - name: after
    action: aws:pause
"""


async def test_a_sleep_is_a_durable_timer(rb):
    ex = await rb.run(SLEEP)
    step = await rb.step(ex, "wait")
    assert step["status"] == "InProgress"
    assert (step["dueTime"] - rb.clock.now()).total_seconds() == 600
    await rb.clock.advance(minutes=9, seconds=59)
    assert (await rb.step(ex, "wait"))["status"] == "InProgress"
    await rb.clock.advance(seconds=1)
    assert (await rb.step(ex, "wait"))["status"] == "Success"
    assert (await rb.get(ex))["currentStep"] == "after"


async def test_a_sleep_until_a_timestamp(rb):
    due = rb.clock.now().replace(hour=rb.clock.now().hour + 1).isoformat()
    ex = await rb.run(f"""
        schemaVersion: '0.3'
        mainSteps:
          - name: wait
            action: aws:sleep
            inputs:
              Timestamp: '{due}'
        """)
    await rb.clock.advance(minutes=59)
    assert (await rb.get(ex))["status"] == "InProgress"
    await rb.clock.advance(minutes=1)
    assert (await rb.get(ex))["status"] == "Success"


BRANCH = """
schemaVersion: '0.3'
parameters:
  Severity:
    type: Integer
    default: 3
  Region:
    type: String
    default: eu-west-1
  Paged:
    type: Boolean
    default: false
mainSteps:
  - name: choose
    action: aws:branch
    inputs:
      Choices:
        - NextStep: page
          And:
            - Variable: '{{ Severity }}'
              NumericLesserOrEquals: 2
            - Not:
                Variable: '{{ Paged }}'
                BooleanEquals: true
        - NextStep: europe
          Or:
            - Variable: '{{ Region }}'
              StartsWith: eu-
            - Variable: '{{ Region }}'
              EqualsIgnoreCase: UK
      Default: other
  - name: page
    action: aws:pause
    isEnd: true
  - name: europe
    action: aws:pause
    isEnd: true
  - name: other
    action: aws:pause
"""


@pytest.mark.parametrize(
    ("params", "chosen"),
    [
        ({"Severity": 1}, "page"),
        ({"Severity": 1, "Paged": True}, "europe"),
        ({"Severity": 5, "Region": "uk"}, "europe"),
        ({"Severity": 5, "Region": "us-east-1"}, "other"),
        ({"Severity": 2, "Paged": True, "Region": "ap-south-1"}, "other"),
    ],
)
async def test_a_branch_takes_the_first_choice_that_holds(rb, params, chosen):
    ex = await rb.run(BRANCH, **params)
    got = await rb.get(ex)
    assert got["currentStep"] == chosen
    assert got["steps"][0]["outputs"] == {"NextStep": chosen}
    skipped = {"page", "europe", "other"} - {chosen}
    assert all(s["status"] == "Pending" for s in got["steps"] if s["name"] in skipped)


async def test_a_branch_without_a_match_or_default_fails(rb):
    ex = await rb.run("""
        schemaVersion: '0.3'
        parameters:
          Word: {type: String, default: x}
        mainSteps:
          - name: choose
            action: aws:branch
            inputs:
              Choices:
                - NextStep: found
                  Variable: '{{ Word }}'
                  Contains: needle
          - name: found
            action: aws:pause
        """)
    got = await rb.get(ex)
    assert got["status"] == "Failed"
    assert got["steps"][0]["failureMessage"] == "no choice matched and the step has no Default"


APPROVE = """
schemaVersion: '0.3'
mainSteps:
  - name: approve
    action: aws:approve
    inputs:
      Approvers: [alice, bob, carol]
      MinRequiredApprovals: 2
      Message: Fail over to the standby region?
    onFailure: step:declined
  - name: failover
    action: aws:pause
    isEnd: true
  - name: declined
    action: aws:pause
"""


def as_user(rb, name: str):
    from core.security.roles import principal_for_role

    return rb.core.client(principal_for_role(f"arn:aws:iam::{rb.core.account_id}:user/{name}", name, "responder"))


async def test_an_approval_needs_two_of_three(rb):
    ex = await rb.run(APPROVE)
    alice, bob, mallory = as_user(rb, "alice"), as_user(rb, "bob"), as_user(rb, "mallory")
    step = {"executionId": ex, "stepName": "approve"}
    with pytest.raises(ConflictException, match="mallory is not an approver"):
        await mallory.call("SignalRunbookStep", {**step, "signal": "Approve"})
    await alice.call("SignalRunbookStep", {**step, "signal": "Approve", "comment": "go"})
    got = await rb.get(ex)
    assert got["status"] == "Waiting"
    assert [a["name"] for a in got["steps"][0]["approvals"]] == ["alice"]
    with pytest.raises(ConflictException, match="alice has already decided"):
        await alice.call("SignalRunbookStep", {**step, "signal": "Approve"})
    await bob.call("SignalRunbookStep", {**step, "signal": "Approve"})
    got = await rb.get(ex)
    assert got["steps"][0]["status"] == "Success"
    assert got["steps"][0]["outputs"]["ApprovalStatus"] == "Approved"
    assert got["currentStep"] == "failover"


async def test_a_rejection_fails_the_step_and_follows_on_failure(rb):
    ex = await rb.run(APPROVE)
    await as_user(rb, "carol").call(
        "SignalRunbookStep", {"executionId": ex, "stepName": "approve", "signal": "Reject", "comment": "too risky"}
    )
    got = await rb.get(ex)
    assert got["steps"][0]["status"] == "Failed"
    assert got["steps"][0]["failureMessage"] == "rejected by carol: too risky"
    assert got["currentStep"] == "declined"


async def test_an_approver_may_be_a_contact_linked_to_a_user(rb):
    contact = await rb.client.call("CreateContact", {"Alias": "dana", "DisplayName": "Dana", "Type": "PERSONAL", "Plan": {"Stages": []}})
    await rb.client.call("CreateUser", {"userName": "dana-user", "role": "responder", "contactArn": contact["ContactArn"]})
    ex = await rb.run("""
        schemaVersion: '0.3'
        mainSteps:
          - name: approve
            action: aws:approve
            inputs:
              Approvers: [dana]
        """)
    await as_user(rb, "dana-user").call("SignalRunbookStep", {"executionId": ex, "stepName": "approve", "signal": "Approve"})
    assert (await rb.get(ex))["status"] == "Success"
