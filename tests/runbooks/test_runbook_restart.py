"""A restart resumes sleeping and waiting steps where they were, and runs again a step that
was running outside the core when it stopped."""

from __future__ import annotations

import asyncio
import os

import pytest

from core import open_core
from core.errors import ResourceNotFoundException
from tests.runbooks.conftest import Runbooks

SLEEP = """
schemaVersion: '0.3'
mainSteps:
  - name: wait
    action: aws:sleep
    inputs: {Duration: PT1H}
  - name: approve
    action: aws:approve
    inputs: {Approvers: [local-admin]}
"""


async def test_a_restart_in_the_middle_of_a_sleep_resumes_it_on_time(data_dir, clock):
    async with open_core(data_dir, clock=clock) as core:
        rb = await Runbooks(core, clock).setup()
        ex = await rb.run(SLEEP)
        await clock.advance(minutes=20)
    await clock.advance(minutes=30)  # the core is down
    async with open_core(data_dir, clock=clock) as core:
        rb2 = Runbooks(core, clock)
        rb2.incident = rb.incident
        assert (await rb2.step(ex, "wait"))["status"] == "InProgress"
        await clock.advance(minutes=9, seconds=59)
        assert (await rb2.step(ex, "wait"))["status"] == "InProgress"
        await clock.advance(seconds=1)
        got = await rb2.get(ex)
        assert (got["steps"][0]["status"], got["currentStep"], got["status"]) == ("Success", "approve", "Waiting")
    async with open_core(data_dir, clock=clock) as core:
        rb3 = Runbooks(core, clock)
        await rb3.signal(ex, "approve", "Approve")
        assert (await rb3.get(ex))["status"] == "Success"


async def test_a_sleep_that_fell_due_while_down_ends_at_start(data_dir, clock):
    async with open_core(data_dir, clock=clock) as core:
        ex = await (await Runbooks(core, clock).setup()).run(SLEEP)
    await clock.advance(hours=2)
    async with open_core(data_dir, clock=clock) as core:
        await clock.advance(0)
        assert (await Runbooks(core, clock).get(ex))["currentStep"] == "approve"


async def test_a_step_running_outside_the_core_when_it_stopped_runs_again(data_dir, clock, tmp_path):
    marker = tmp_path / "first-run"
    started = tmp_path / "started"
    os.mkfifo(started)
    text = f"""
        schemaVersion: '0.3'
        mainSteps:
          - name: once_more
            action: aws:executeScript
            inputs:
              Runtime: python3
              Handler: go
              Script: |
                import pathlib, time
                def go(events, context):
                    marker = pathlib.Path({str(marker)!r})
                    if not marker.exists():
                        marker.write_text("x")
                        with open({str(started)!r}, "w") as fifo:
                            fifo.write("started")
                        time.sleep(3600)
                    return "second run"
            outputs:
              - {{Name: Said, Selector: $.Payload}}
        """
    config = {"runbooks": {"scripts_enabled": True}}
    async with open_core(data_dir, clock=clock, config=config) as core:
        ex = await (await Runbooks(core, clock).setup()).run(text, settle=False)
        assert await asyncio.to_thread(started.read_text) == "started"  # the first run is under way
        assert core.runbook_runner.running == 1
    async with open_core(data_dir, clock=clock, config=config) as core:
        rb = Runbooks(core, clock)
        await rb.settle()
        got = await rb.get(ex)
        assert (got["status"], got["outputs"]) == ("Success", {"once_more.Said": "second run"})


async def test_a_deleted_incident_takes_its_executions_and_their_timers_find_nothing(rb):
    ex = await rb.run(SLEEP)
    await rb.client.call("DeleteIncidentRecord", {"arn": rb.incident})
    await rb.clock.advance(hours=2)
    assert await rb.core.scheduler.pending_count() == 0
    async with rb.core.db.transaction() as tx:
        failed = await tx.scalar("SELECT COUNT(*) FROM timers WHERE state = 'failed'")
    assert failed == 0
    with pytest.raises(ResourceNotFoundException, match=f"runbook execution {ex} does not exist"):
        await rb.get(ex)
