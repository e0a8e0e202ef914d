"""Runbook documents: YAML, JSON and `aws ssm get-document` output; versions; templates; and
bad documents refused on save with a message naming the step and the problem."""

from __future__ import annotations

import json

import pytest
import yaml

from core.errors import ConflictException, ResourceNotFoundException, ValidationException


def doc(*steps: dict, **extra) -> str:
    return json.dumps({"schemaVersion": "0.3", **extra, "mainSteps": list(steps)})


PAUSE = {"name": "p", "action": "aws:pause"}


async def test_yaml_json_and_get_document_output_are_all_read(rb):
    body = {"schemaVersion": "0.3", "description": "d", "mainSteps": [PAUSE]}
    as_yaml = await rb.client.call("CreateRunbook", {"name": "from-yaml", "content": yaml.safe_dump(body)})
    as_json = await rb.client.call("CreateRunbook", {"name": "from-json", "content": json.dumps(body)})
    wrapped = json.dumps({"Name": "X", "DocumentFormat": "YAML", "DocumentType": "Automation", "Content": yaml.safe_dump(body)})
    as_aws = await rb.client.call("CreateRunbook", {"name": "from-aws", "content": wrapped})
    assert [r["runbook"]["documentFormat"] for r in (as_yaml, as_json, as_aws)] == ["YAML", "JSON", "YAML"]
    assert as_aws["runbook"]["content"] == yaml.safe_dump(body)  # unwrapped
    assert all(r["runbook"]["steps"] == [{"name": "p", "action": "aws:pause", "description": ""}] for r in (as_yaml, as_json, as_aws))


async def test_updates_make_versions_and_each_stays_readable(rb):
    await rb.client.call("CreateRunbook", {"name": "versioned", "content": doc(PAUSE, description="one")})
    await rb.client.call("UpdateRunbook", {"name": "versioned", "content": doc(PAUSE, description="two")})
    latest = (await rb.client.call("GetRunbook", {"name": "versioned"}))["runbook"]
    first = (await rb.client.call("GetRunbook", {"name": "versioned", "version": 1}))["runbook"]
    assert (latest["version"], latest["latestVersion"], latest["description"]) == (2, 2, "two")
    assert (first["version"], first["description"]) == (1, "one")
    with pytest.raises(ResourceNotFoundException, match="has no version 3 \\(its latest is 2\\)"):
        await rb.client.call("GetRunbook", {"name": "versioned", "version": 3})
    with pytest.raises(ConflictException, match="already exists"):
        await rb.client.call("CreateRunbook", {"name": "versioned", "content": doc(PAUSE)})
    listed = await rb.client.call("ListRunbooks", {})
    assert [(r["name"], r["latestVersion"], r["stepCount"]) for r in listed["runbooks"]] == [("versioned", 2, 1)]
    await rb.client.call("DeleteRunbook", {"name": "versioned"})
    assert (await rb.client.call("ListRunbooks", {}))["runbooks"] == []


async def test_the_critical_incident_template_clones_into_manual_steps(rb):
    templates = (await rb.client.call("ListRunbookTemplates", {}))["templates"]
    assert templates[0]["name"] == "critical-incident"
    made = await rb.client.call("CreateRunbook", {"name": "our-critical", "fromTemplate": "critical-incident"})
    steps = made["runbook"]["steps"]
    assert [s["name"] for s in steps] == [
        "Triage", "Engage", "Diagnose", "Mitigate", "Communicate", "Recover", "Resolve", "ScheduleAnalysis"
    ]
    assert {s["action"] for s in steps} == {"aws:pause"}
    with pytest.raises(ValidationException, match="there is no runbook template 'nope'"):
        await rb.client.call("CreateRunbook", {"name": "x-rb", "fromTemplate": "nope"})


BAD = [
    ({"schemaVersion": "0.2", "mainSteps": [PAUSE]}, "schemaVersion must be '0.3' (SSM Automation), not '0.2'"),
    ({"schemaVersion": "0.3", "mainSteps": []}, "mainSteps must be a non-empty list of steps"),
    (json.loads(doc({"name": "go", "action": "aws:runCommand"})),
     "step 'go': action aws:runCommand is not supported here; use one of aws:pause, aws:sleep, aws:approve, "
     "aws:branch, aws:executeScript, cockpit:runCommand, cockpit:httpRequest"),
    (json.loads(doc({"name": "go", "action": "shell:run"})), "step 'go': unknown action 'shell:run'"),
    (json.loads(doc({"name": "ok", "action": "aws:approve", "inputs": {}})), "step 'ok': aws:approve needs the input Approvers"),
    (json.loads(doc({"name": "w", "action": "aws:sleep", "inputs": {"Duration": "10 minutes"}})),
     "step 'w': Duration '10 minutes' is not an ISO-8601 duration such as PT10M or P1DT2H"),
    (json.loads(doc({"name": "w", "action": "aws:sleep", "inputs": {"Duration": "P8D"}})),
     "step 'w': Duration 'P8D' is longer than the 7 days a sleep may last"),
    (json.loads(doc({"name": "w", "action": "aws:sleep", "inputs": {"Duraton": "PT1M"}})),
     "step 'w': aws:sleep has no input 'Duraton' (its inputs: Duration, Timestamp)"),
    (json.loads(doc(PAUSE, {"name": "p", "action": "aws:pause"})), "step 'p': the step name 'p' is used twice"),
    (json.loads(doc({**PAUSE, "nextStep": "nowhere"})), "step 'p': nextStep 'nowhere' names no step"),
    (json.loads(doc({**PAUSE, "onFailure": "step:gone"})), "step 'p': onFailure 'step:gone' names no step"),
    (json.loads(doc({**PAUSE, "onFailure": "Retry"})), "step 'p': onFailure 'Retry' must be Abort, Continue or step:NAME"),
    (json.loads(doc({**PAUSE, "maxAttempts": 0})), "step 'p': maxAttempts must be a whole number from 1 to 10, not 0"),
    (json.loads(doc({**PAUSE, "timeoutSeconds": "soon"})), "step 'p': timeoutSeconds must be a whole number from 1 to 604800, not 'soon'"),
    (json.loads(doc({**PAUSE, "retries": 3})), "step 'p': unknown step property 'retries'"),
    (json.loads(doc({"name": "a", "action": "aws:pause", "nextStep": "b"}, {"name": "b", "action": "aws:pause", "nextStep": "a"})),
     "step 'a': steps a -> b form a cycle with no exit (no step of it reaches an end)"),
    (json.loads(doc({"name": "a", "action": "aws:pause", "inputs": {"Message": "{{ Missing }}"}})),
     "step 'a': {{ Missing }} refers to nothing: there is no parameter 'Missing'"),
    (json.loads(doc({"name": "a", "action": "aws:pause", "inputs": {"Message": "{{ b.Out }}"}}, {"name": "b", "action": "aws:pause"})),
     "step 'a': {{ b.Out }} refers to nothing: step 'b' declares no output 'Out'"),
    (json.loads(doc({"name": "b", "action": "aws:branch", "inputs": {"Choices": [{"NextStep": "b", "Variable": "x", "Bigger": 1}]}})),
     "step 'b': Choices[0] has an unknown operation 'Bigger'"),
    (json.loads(doc({"name": "a", "action": "aws:approve", "inputs": {"Approvers": ["x"], "MinRequiredApprovals": 2}})),
     "step 'a': MinRequiredApprovals is 2, more than the 1 approvers"),
    (json.loads(doc({"name": "h", "action": "cockpit:httpRequest", "inputs": {"Url": "ftp://x"}})),
     "step 'h': Url 'ftp://x' must be an http:// or https:// address"),
    (json.loads(doc({"name": "c", "action": "cockpit:runCommand", "inputs": {"Command": "ls", "Arguments": "-la"}})),
     "step 'c': Arguments must be a list of text"),
    (json.loads(doc({"name": "p", "action": "aws:pause", "outputs": [{"Name": "X", "Selector": "$.a"}]})),
     "step 'p': aws:pause returns no result to select outputs from"),
    (json.loads(doc({"name": "s", "action": "aws:executeScript", "inputs": {"Runtime": "python3", "Handler": "h", "Script": "x"},
                     "outputs": [{"Name": "X", "Selector": "Payload.a"}]})),
     "step 's': output X: Selector 'Payload.a' must look like $.Payload.name or $.Json.items[0]"),
    ({"schemaVersion": "0.3", "parameters": {"N": {"type": "Integer", "default": "lots"}}, "mainSteps": [PAUSE]},
     "the default of parameter N must be a Integer, not 'lots'"),
]


@pytest.mark.parametrize(("body", "message"), BAD, ids=[m[:40] for _, m in BAD])
async def test_a_bad_document_is_refused_naming_the_step_and_the_problem(rb, body, message):
    with pytest.raises(ValidationException) as refused:
        await rb.client.call("CreateRunbook", {"name": "bad-one", "content": json.dumps(body)})
    assert message in refused.value.message
    assert any(message in f["message"] for f in refused.value.details["fields"])
    assert (await rb.client.call("ListRunbooks", {}))["runbooks"] == []  # nothing half-written


async def test_validate_lists_every_problem_without_saving(rb):
    text = doc({"name": "w", "action": "aws:sleep", "inputs": {"Duration": "soon"}}, {"name": "w", "action": "aws:nope"})
    out = await rb.client.call("GetRunbookValidation", {"content": text})
    assert out["valid"] is False
    assert [p["message"] for p in out["problems"]] == [
        "step 'w': Duration 'soon' is not an ISO-8601 duration such as PT10M or P1DT2H",
        "step 'w': the step name 'w' is used twice",
        "step 'w': action aws:nope is not supported here; use one of aws:pause, aws:sleep, aws:approve, aws:branch, "
        "aws:executeScript, cockpit:runCommand, cockpit:httpRequest",
    ]
    broken = await rb.client.call("GetRunbookValidation", {"content": "mainSteps: [\n"})
    assert broken["problems"][0]["message"].startswith("the document is not valid YAML: ")
    assert (await rb.client.call("GetRunbookValidation", {"content": doc(PAUSE)})) == {"valid": True, "documentFormat": "JSON", "problems": []}
