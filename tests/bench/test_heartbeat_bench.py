"""A missed heartbeat to its incident, on the real clock (`make bench`; not part of `make test`).
It prints figures; no asserts on time, because the machine is shared.

    .venv/bin/python -m pytest -q -s tests/bench/test_heartbeat_bench.py

Heartbeats of 30 s (the shortest interval) that are never pinged: for each, the lag from its
deadline (created + 30 s) to the moment its IncidentStarted event is published (the incident
committed), on the real clock. Twenty heartbeats whose deadlines fall 0.5 s apart (one miss at a
time: the target, within 1 s of the deadline), then 200 that miss at the same moment (a stress
figure: the incidents start one transaction after another). Takes about 75 s of real time.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from core import open_core
from core.model import events as ev

INTERVAL_S = 30
STAGGERED, STAGGER_S = 20, 0.5
BURST = 200


async def _misses(core, client, plan: str, prefix: str, count: int, spacing: float) -> list[float]:
    """Create ``count`` heartbeats ``spacing`` s apart, ping none, and return each one's lag
    from its deadline to its IncidentStarted event, in seconds."""
    events = core.bus.subscribe(lambda e: e)
    offset = time.perf_counter() - core.clock.now().timestamp()
    deadlines: dict[str, float] = {}  # heartbeat ARN -> deadline, on perf_counter
    for i in range(count):
        made = await client.call("CreateHeartbeat", {
            "name": f"{prefix}-{i:03d}", "intervalSeconds": INTERVAL_S, "responsePlanArn": plan, "impact": 3})
        deadlines[made["heartbeat"]["heartbeatArn"]] = made["heartbeat"]["expectedBy"].timestamp() + offset
        if spacing:
            await asyncio.sleep(spacing)
    seen: list[tuple[float, str]] = []
    async with asyncio.timeout(INTERVAL_S + 60):
        async for event in events:
            if event.type == ev.INCIDENT_STARTED:
                seen.append((time.perf_counter(), event.resource_arn))
                if len(seen) == count:
                    break
    await events.aclose()
    lags = []
    for at, incident in seen:
        record = (await client.call("GetIncidentRecord", {"arn": incident}))["incidentRecord"]
        lags.append(at - deadlines[record["incidentRecordSource"]["resourceArn"]])
    return sorted(lags)


async def _run(data_dir: Path) -> tuple[list[float], list[float]]:
    async with open_core(data_dir) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        plan = (await client.call("CreateResponsePlan", {
            "name": "heartbeats", "incidentTemplate": {"title": "Heartbeat missed", "impact": 3}}))["arn"]
        one_by_one = await _misses(core, client, plan, "job", STAGGERED, STAGGER_S)
        burst = await _misses(core, client, plan, "burst", BURST, 0)
        return one_by_one, burst


def _print(title: str, lags: list[float]) -> None:
    p50, p99 = statistics.median(lags), lags[max(0, int(len(lags) * 0.99) - 1)]
    late = sum(lag > 1.0 for lag in lags)
    print(f"[bench] {title}: n={len(lags)} p50={p50 * 1000:.0f} ms p99={p99 * 1000:.0f} ms"
          f" max={lags[-1] * 1000:.0f} ms; {late} later than 1 s (target: within 1 s of the deadline)")


def test_bench_missed_heartbeat_to_incident(tmp_path: Path) -> None:
    one_by_one, burst = asyncio.run(_run(tmp_path / "workspace"))
    print()
    _print(f"missed heartbeat -> incident started ({STAGGERED} heartbeats, deadlines {STAGGER_S} s apart)", one_by_one)
    _print(f"missed heartbeat -> incident started ({BURST} heartbeats missing at once)", burst)
