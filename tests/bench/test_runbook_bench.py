"""Runbook benchmarks (figures printed, never asserted; not run by ``make test``).

1. StartIncident on a response plan whose runbook begins with an automatic step: the time from
   the call until that step is running (its row InProgress and its process launched), p50/p99
   over 200 incidents, on the wall clock. Target p99 <= 50 ms.
2. 1,000 executions asleep at once, all due at the same moment: the wall time the scheduler
   takes to resume every one of them (each sleep a timer row). Target: all within 1 s.

Run: .venv/bin/python -m pytest -q -s tests/bench/test_runbook_bench.py
"""

from __future__ import annotations

import shutil
import statistics
import time

import aiosqlite

from core import open_core
from core.clock import SystemClock

INCIDENTS = 200
SLEEPERS = 1000
PER_INCIDENT = 50  # an incident holds at most 100 related items, one per execution

FIRST_AUTOMATIC = """
schemaVersion: '0.3'
mainSteps:
  - name: announce
    action: cockpit:runCommand
    inputs: {Command: echo, Arguments: ['{{ IncidentArn }}']}
parameters:
  IncidentArn: {type: String}
"""


async def _statement_cost_us(path) -> float:
    """What one bare aiosqlite INSERT costs on this machine now (a gauge of its load: every
    resumed step runs about fifteen statements)."""
    async with aiosqlite.connect(path) as db:
        await db.execute("CREATE TABLE t (a)")
        started = time.perf_counter()
        for i in range(1000):
            await db.execute("INSERT INTO t VALUES (?)", (i,))
        return (time.perf_counter() - started) / 1000 * 1e6


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def test_start_incident_to_first_automatic_step_running(tmp_path):
    config = {"runbooks": {"commands_enabled": True, "allowed_commands": [shutil.which("echo")]}}
    async with open_core(tmp_path / "ws", clock=SystemClock(), config=config) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        await client.call("CreateRunbook", {"name": "announce", "content": FIRST_AUTOMATIC})
        plan = await client.call("CreateResponsePlan", {
            "name": "bench", "incidentTemplate": {"title": "Bench", "impact": 3},
            "actions": [{"ssmAutomation": {"documentName": "announce", "roleArn": "arn:aws:iam::111122223333:role/rb",
                                           "dynamicParameters": {"IncidentArn": {"variable": "INCIDENT_RECORD_ARN"}}}}],
        })
        runner = core.runbook_runner
        running_ms, finished_ms = [], []
        for i in range(INCIDENTS):
            runner.launched.clear()
            started = time.perf_counter()
            await client.call("StartIncident", {"responsePlanArn": plan["arn"], "title": f"bench {i}"})
            await runner.launched.wait()
            running_ms.append((time.perf_counter() - started) * 1000)
            await runner.drain()
            finished_ms.append((time.perf_counter() - started) * 1000)
        listed = await client.call("ListIncidentRecords", {"maxResults": 1})
        arn = listed["incidentRecordSummaries"][0]["arn"]
        [execution] = (await client.call("ListRunbookExecutions", {"incidentRecordArn": arn}))["executions"]
        assert execution["status"] == "Success"
    print(f"\nStartIncident -> first automatic step running ({INCIDENTS} incidents): "
          f"p50 {statistics.median(running_ms):.1f} ms, p99 {_pct(running_ms, 0.99):.1f} ms (target p99 <= 50 ms); "
          f"-> its command done: p50 {statistics.median(finished_ms):.1f} ms, p99 {_pct(finished_ms, 0.99):.1f} ms")


SLEEP = """
schemaVersion: '0.3'
mainSteps:
  - name: wait
    action: aws:sleep
    inputs: {Duration: PT10M}
  - name: after
    action: aws:pause
"""


async def test_a_thousand_sleeps_due_together(tmp_path, clock):
    async with open_core(tmp_path / "ws", clock=clock) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        await client.call("CreateRunbook", {"name": "sleeper", "content": SLEEP})
        plan = await client.call("CreateResponsePlan", {"name": "bench", "incidentTemplate": {"title": "B", "impact": 3}})
        setup = time.perf_counter()
        for i in range(SLEEPERS // PER_INCIDENT):
            arn = (await client.call("StartIncident", {"responsePlanArn": plan["arn"], "title": f"b{i}"}))["incidentRecordArn"]
            for _ in range(PER_INCIDENT):
                await client.call("StartRunbookExecution", {"incidentRecordArn": arn, "runbookName": "sleeper"})
        setup = time.perf_counter() - setup
        started = time.perf_counter()
        await clock.advance(minutes=10)  # every sleep falls due at this one moment
        resumed = time.perf_counter() - started
        async with core.db.transaction() as tx:
            waiting = await tx.scalar("SELECT COUNT(*) FROM runbook_executions WHERE status = 'Waiting' AND current_step = 'after'")
        assert waiting == SLEEPERS
    gauge = await _statement_cost_us(tmp_path / "gauge.db")
    print(f"\n{SLEEPERS} executions asleep, all due together: every step resumed in {resumed * 1000:.0f} ms "
          f"({resumed / SLEEPERS * 1000:.2f} ms each; target all within 1 s); setup {setup:.1f} s; "
          f"one bare aiosqlite INSERT costs {gauge:.0f} us on this machine now")
