"""Steps that reach outside the core: Python scripts in their own process, allow-listed
commands without a shell, HTTP requests to a real local server; outputs, retries, timeouts."""

from __future__ import annotations

import asyncio
import json
import shutil

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from tests.support.http_server import LocalHTTPServer

ECHO = shutil.which("echo")
ENV = shutil.which("env")
FALSE = shutil.which("false")
ENABLED = {"runbooks": {"scripts_enabled": True, "commands_enabled": True, "allowed_commands": [ECHO, ENV, FALSE]}}

SCRIPT = """
schemaVersion: '0.3'
parameters:
  Service: {type: String, default: checkout}
  Replicas: {type: Integer, default: 3}
mainSteps:
  - name: count
    action: aws:executeScript
    inputs:
      Runtime: python3.11
      Handler: handler
      InputPayload:
        service: '{{ Service }}'
        replicas: '{{ Replicas }}'
      Script: |
        def handler(events, context):
            print("this goes to the log")
            return {"healthy": events["replicas"] - 1, "name": events["service"].upper()}
    outputs:
      - Name: Healthy
        Selector: $.Payload.healthy
        Type: Integer
      - Name: Name
        Selector: $.Payload.name
        Type: String
  - name: report
    action: cockpit:runCommand
    inputs:
      Command: echo
      Arguments: ['{{ count.Name }} has {{ count.Healthy }} healthy']
    outputs:
      - Name: Said
        Selector: $.Stdout
"""


@pytest.mark.parametrize("runbook_config", [ENABLED])
async def test_a_script_returns_its_payload_and_outputs_feed_later_steps(rb):
    ex = await rb.run(SCRIPT, Replicas=5)
    got = await rb.get(ex)
    assert got["status"] == "Success", got
    assert got["steps"][0]["outputs"]["Healthy"] == 4
    assert got["outputs"] == {"count.Healthy": 4, "count.Name": "CHECKOUT", "report.Said": "CHECKOUT has 4 healthy\n"}
    assert got["steps"][1]["inputs"]["Arguments"] == ["CHECKOUT has 4 healthy"]


async def test_a_disabled_script_step_never_runs(rb, tmp_path):
    marker = tmp_path / "ran"
    ex = await rb.run(f"""
        schemaVersion: '0.3'
        mainSteps:
          - name: script
            action: aws:executeScript
            inputs:
              Runtime: python3.11
              Handler: handler
              Script: |
                def handler(events, context):
                    open({str(marker)!r}, "w").write("ran")
        """)
    got = await rb.get(ex)
    assert got["status"] == "Failed"
    assert got["steps"][0]["failureMessage"] == (
        "aws:executeScript steps are disabled in this core's configuration (runbooks.scripts_enabled)"
    )
    assert not marker.exists()


async def test_a_disabled_command_step_never_runs(rb):
    ex = await rb.run("""
        schemaVersion: '0.3'
        mainSteps:
          - name: cmd
            action: cockpit:runCommand
            inputs: {Command: echo}
        """)
    assert "runbooks.commands_enabled" in (await rb.get(ex))["steps"][0]["failureMessage"]


@pytest.mark.parametrize("runbook_config", [ENABLED])
async def test_an_argument_that_tries_shell_injection_stays_one_literal_argument(rb, tmp_path):
    pwned = tmp_path / "pwned"
    attack = f"x; touch {pwned} && echo $HOME `id` $(id)"
    ex = await rb.run("""
        schemaVersion: '0.3'
        parameters:
          Target: {type: String}
        mainSteps:
          - name: say
            action: cockpit:runCommand
            inputs:
              Command: echo
              Arguments: ['{{ Target }}']
            outputs:
              - {Name: Out, Selector: $.Stdout}
        """, Target=attack)
    got = await rb.get(ex)
    assert got["outputs"]["say.Out"] == attack + "\n"
    assert not pwned.exists()


@pytest.mark.parametrize("runbook_config", [ENABLED])
async def test_a_command_gets_its_environment_and_not_the_cores(rb, monkeypatch):
    monkeypatch.setenv("COCKPIT_TEST_SECRET", "hunter2")
    ex = await rb.run("""
        schemaVersion: '0.3'
        mainSteps:
          - name: env
            action: cockpit:runCommand
            inputs:
              Command: env
              Environment: {SERVICE: checkout}
            outputs:
              - {Name: Out, Selector: $.Stdout}
        """)
    out = (await rb.get(ex))["outputs"]["env.Out"]
    assert "SERVICE=checkout" in out.splitlines()
    assert "hunter2" not in out


@pytest.mark.parametrize("runbook_config", [ENABLED])
async def test_a_command_off_the_allow_list_is_refused(rb):
    ex = await rb.run("""
        schemaVersion: '0.3'
        mainSteps:
          - name: rm
            action: cockpit:runCommand
            inputs: {Command: /bin/rm, Arguments: ['-rf', '/tmp/x']}
        """)
    message = (await rb.get(ex))["steps"][0]["failureMessage"]
    assert message.startswith("the command '/bin/rm' is not on the allow-list (runbooks.allowed_commands: ")


@pytest.mark.parametrize("runbook_config", [ENABLED])
async def test_a_failing_step_is_retried_up_to_max_attempts(rb):
    ex = await rb.run("""
        schemaVersion: '0.3'
        mainSteps:
          - name: flaky
            action: cockpit:runCommand
            inputs: {Command: 'false'}
            maxAttempts: 3
        """)
    got = await rb.get(ex)
    assert got["status"] == "Failed"
    assert got["steps"][0]["attempt"] == 3
    lines = await rb.timeline()
    assert [line.split(",")[0] for line in lines if "retrying" in line] == [
        "Step flaky failed (attempt 1 of 3)", "Step flaky failed (attempt 2 of 3)"
    ]


@pytest.mark.parametrize("runbook_config", [ENABLED])
async def test_a_retry_that_succeeds_completes_the_step(rb, tmp_path):
    counter = tmp_path / "count"
    ex = await rb.run(f"""
        schemaVersion: '0.3'
        mainSteps:
          - name: second_time_lucky
            action: aws:executeScript
            maxAttempts: 2
            inputs:
              Runtime: python3
              Handler: go
              Script: |
                import pathlib
                def go(events, context):
                    p = pathlib.Path({str(counter)!r})
                    n = int(p.read_text()) + 1 if p.exists() else 1
                    p.write_text(str(n))
                    if n < 2:
                        raise RuntimeError("not yet")
                    return n
            outputs:
              - {{Name: Tries, Selector: $.Payload, Type: Integer}}
        """)
    got = await rb.get(ex)
    assert got["status"] == "Success"
    assert got["outputs"] == {"second_time_lucky.Tries": 2}


@pytest.mark.parametrize("runbook_config", [ENABLED])
async def test_a_script_that_hangs_times_out_on_the_clock(rb):
    ex = await rb.run("""
        schemaVersion: '0.3'
        mainSteps:
          - name: hang
            action: aws:executeScript
            timeoutSeconds: 30
            inputs:
              Runtime: python3
              Handler: go
              Script: |
                import time
                def go(events, context):
                    time.sleep(3600)
        """, settle=False)
    assert rb.core.runbook_runner.running == 1
    await rb.clock.advance(seconds=29)
    assert (await rb.get(ex))["status"] == "InProgress"
    await rb.clock.advance(seconds=1)
    got = await rb.get(ex)
    assert got["status"] == "TimedOut"
    assert got["steps"][0]["failureMessage"] == "the step timed out after 30 seconds"
    await rb.core.runbook_runner.drain()
    assert rb.core.runbook_runner.running == 0


@pytest.mark.parametrize("runbook_config", [ENABLED])
async def test_a_script_that_raises_fails_with_its_error(rb):
    ex = await rb.run("""
        schemaVersion: '0.3'
        mainSteps:
          - name: boom
            action: aws:executeScript
            inputs:
              Runtime: python3
              Handler: go
              Script: |
                def go(events, context):
                    raise ValueError("disk full")
        """)
    assert (await rb.get(ex))["steps"][0]["failureMessage"] == "the script raised ValueError: disk full"


@pytest.fixture
async def web():
    seen: list[dict] = []
    release = asyncio.Event()

    async def status(request: Request):
        seen.append({"method": request.method, "body": (await request.body()).decode(), "auth": request.headers.get("x-token")})
        return JSONResponse({"service": {"state": "degraded", "errors": [3, 7]}})

    async def broken(request: Request):
        return PlainTextResponse("nope", status_code=503)

    async def hang(request: Request):
        await release.wait()
        return PlainTextResponse("late")

    app = Starlette(routes=[Route("/status", status, methods=["GET", "POST"]), Route("/broken", broken), Route("/hang", hang)])
    async with LocalHTTPServer(app) as server:
        server.seen = seen
        yield server
        release.set()


async def test_an_http_request_selects_from_the_json_response(rb, web):
    ex = await rb.run(f"""
        schemaVersion: '0.3'
        parameters:
          Token: {{type: String, default: s3cret}}
        mainSteps:
          - name: ask
            action: cockpit:httpRequest
            inputs:
              Url: {web.url}/status
              Method: POST
              Headers: {{X-Token: '{{{{ Token }}}}'}}
              Body: {{incident: '{{{{ automation:EXECUTION_ID }}}}'}}
            outputs:
              - {{Name: State, Selector: $.Json.service.state}}
              - {{Name: Second, Selector: '$.Json.service.errors[1]', Type: Integer}}
              - {{Name: Code, Selector: $.StatusCode, Type: Integer}}
        """)
    got = await rb.get(ex)
    assert got["outputs"] == {"ask.State": "degraded", "ask.Second": 7, "ask.Code": 200}
    assert web.seen == [{"method": "POST", "body": json.dumps({"incident": ex}), "auth": "s3cret"}]


async def test_an_http_error_status_fails_the_step(rb, web):
    ex = await rb.run(f"""
        schemaVersion: '0.3'
        mainSteps:
          - name: ask
            action: cockpit:httpRequest
            inputs: {{Url: {web.url}/broken}}
        """)
    assert (await rb.get(ex))["steps"][0]["failureMessage"] == f"GET {web.url}/broken answered 503: nope"


async def test_a_selector_naming_nothing_fails_the_step(rb, web):
    ex = await rb.run(f"""
        schemaVersion: '0.3'
        mainSteps:
          - name: ask
            action: cockpit:httpRequest
            inputs: {{Url: {web.url}/status}}
            outputs:
              - {{Name: Missing, Selector: $.Json.service.owner}}
        """)
    assert (await rb.get(ex))["steps"][0]["failureMessage"] == "$.Json.service.owner names 'owner', which the result does not hold"


async def test_an_http_request_that_hangs_times_out(rb, web):
    ex = await rb.run(f"""
        schemaVersion: '0.3'
        mainSteps:
          - name: ask
            action: cockpit:httpRequest
            timeoutSeconds: 5
            onFailure: Continue
            isCritical: false
            inputs: {{Url: {web.url}/hang}}
          - name: next
            action: aws:pause
        """, settle=False)
    await rb.clock.advance(seconds=5)
    got = await rb.get(ex)
    assert got["steps"][0]["status"] == "TimedOut"
    assert got["currentStep"] == "next"
