"""Writes while a long read runs (`make bench`; not part of `make test`). It prints figures; no
asserts on time, as the machine is shared.

    .venv/bin/python -m pytest -q -s tests/bench/test_read_beside_write_bench.py

One caller asks GetIncidentReport over a year of 100,000 incidents (test_report_bench's data)
while another starts incidents one after the other: a read-only operation reads beside the
writer, so each StartIncident waits for its own commit, not for the report.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from datetime import timedelta

from core import FakeClock, open_core
from tests.bench.test_report_bench import YEAR_END, YEAR_START, _fill

RUNS = 3


async def test_bench_start_incident_while_a_report_runs(tmp_path) -> None:
    async with open_core(tmp_path / "ws", clock=FakeClock(YEAR_END + timedelta(days=1))) as core:
        await _fill(core)
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        plan = (await client.call("CreateResponsePlan", {
            "name": "bench", "incidentTemplate": {"title": "bench", "impact": 3}}))["arn"]
        request = {"startTime": YEAR_START, "endTime": YEAR_END}
        await client.call("GetIncidentReport", request)  # warm: pages in the cache, models built
        await client.call("StartIncident", {"responsePlanArn": plan})
        starts: list[float] = []
        reports: list[float] = []
        for _ in range(RUNS):
            began = time.perf_counter()
            report = asyncio.create_task(client.call("GetIncidentReport", request))
            while not report.done():
                start = time.perf_counter()
                await client.call("StartIncident", {"responsePlanArn": plan})
                starts.append(time.perf_counter() - start)
            await report
            reports.append(time.perf_counter() - began)
        ms = sorted(s * 1000 for s in starts)
        print(f"\n[bench] StartIncident while GetIncidentReport (100000 incidents) runs: {len(ms)} starts during"
              f" {RUNS} reports (median report {statistics.median(reports) * 1000:.0f} ms); start p50="
              f"{statistics.median(ms):.1f} ms max={ms[-1]:.1f} ms; load {os.getloadavg()[0]:.2f}")
