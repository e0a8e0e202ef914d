"""Core benchmarks (`make bench`; not part of `make test`). They print figures; no asserts on
time, because the machine is shared.

    make bench PYTEST_ARGS="-k core"     # or: .venv/bin/python -m pytest -q -s tests/bench/test_core_bench.py

Targets on a 2-core machine: StartIncident >= 500/s sequential and p99 <= 10 ms;
ListIncidentRecords, one filtered page of 50 over 100,000 incidents <= 20 ms; opening a
100,000-incident database <= 300 ms.

The 100,000-incident database is built by bulk SQL inserts through the store (one
transaction) of rows copied from a real StartIncident: the incident row, its creation
timeline event and its audit record, with varied time, impact, status and creator.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import timedelta
from pathlib import Path

import pytest

from core import SystemClock, open_core
from core.timeutil import from_us

N_START = 2000
N_BIG = 100_000


def _report(title: str, samples_s: list[float], target: str) -> None:
    ms = sorted(s * 1000 for s in samples_s)
    p50 = statistics.median(ms)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(f"\n[bench] {title}: n={len(ms)} p50={p50:.2f} ms p99={p99:.2f} ms max={ms[-1]:.2f} ms ({target})")


async def _setup(core) -> str:
    c = core.client()
    await c.call("CreateReplicationSet", {"regions": {core.region: {}}})
    return (await c.call("CreateResponsePlan", {
        "name": "api", "incidentTemplate": {"title": "API down", "impact": 2, "summary": "5xx"}}))["arn"]


async def test_bench_start_incident(tmp_path: Path):
    async with open_core(tmp_path / "ws", clock=SystemClock()) as core:
        plan = await _setup(core)
        c = core.client()
        for _ in range(50):  # warm up
            await c.call("StartIncident", {"responsePlanArn": plan})
        samples = []
        begin = time.perf_counter()
        for i in range(N_START):
            t = time.perf_counter()
            await c.call("StartIncident", {"responsePlanArn": plan, "impact": 1 + i % 5})
            samples.append(time.perf_counter() - t)
        elapsed = time.perf_counter() - begin
    print(f"\n[bench] StartIncident sequential: {N_START / elapsed:.0f}/s (target >= 500/s)")
    _report("StartIncident latency", samples, "target p99 <= 10 ms")


async def _build_big(data_dir: Path) -> None:
    async with open_core(data_dir, clock=SystemClock()) as core:
        plan = await _setup(core)
        c = core.client()
        arn = (await c.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
        async with core.db.transaction() as tx:
            inc = dict(await tx.fetchone("SELECT * FROM incidents WHERE arn = ?", (arn,)))
            tl = dict(await tx.fetchone("SELECT * FROM timeline_events WHERE incident_arn = ?", (arn,)))
            au = dict(await tx.fetchone("SELECT * FROM audit WHERE resource_arn = ?", (arn,)))
        base_us = inc["creation_us"] - N_BIG * 60_000_000
        doc = json.loads(inc["doc"])
        prefix = arn.rsplit("/", 1)[0]
        creators = [inc["created_by"], inc["created_by"].replace("local-admin", "alice")]
        incidents, events, audits = [], [], []
        for i in range(N_BIG):
            us = base_us + i * 60_000_000  # one a minute
            a = f"{prefix}/{i:032x}"
            impact, status, who = 1 + i % 5, "OPEN" if i % 7 == 0 else "RESOLVED", creators[i % 2]
            d = {**doc, "arn": a, "impact": impact, "status": status,
                 "creationTime": from_us(us).isoformat(), "lastModifiedTime": from_us(us).isoformat()}
            if status == "RESOLVED":
                d["resolvedTime"] = from_us(us + 600_000_000).isoformat()
            incidents.append((a, inc["title"], impact, status, who, us,
                              us + 600_000_000 if status == "RESOLVED" else None, plan,
                              json.dumps(d, separators=(",", ":"), sort_keys=True)))
            events.append((f"ev-{i}", a, us, us, tl["event_type"], 0, tl["event_data"], "[]"))
            audits.append((us, "StartIncident", who, "local", a, au["params"], "OK"))
        async with core.db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO incidents (arn, title, impact, status, created_by, creation_us, resolved_us,"
                " response_plan_arn, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", incidents)
            await tx.executemany(
                "INSERT INTO timeline_events (event_id, incident_arn, event_us, updated_us, event_type,"
                " is_custom, event_data, refs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", events)
            await tx.executemany(
                "INSERT INTO audit (time_us, operation, principal, origin, resource_arn, params, result)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", audits)
        async with core.db.transaction() as tx:
            assert await tx.scalar("SELECT COUNT(*) FROM incidents") == N_BIG + 1


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    import asyncio

    data_dir = tmp_path_factory.mktemp("big") / "ws"
    t = time.perf_counter()
    asyncio.run(_build_big(data_dir))
    print(f"\n[bench] built a {N_BIG:,}-incident database in {time.perf_counter() - t:.1f} s "
          f"({(data_dir / 'cockpit.db').stat().st_size / 1e6:.0f} MB)")
    return data_dir


async def test_bench_list_filtered_page(big_db: Path):
    async with open_core(big_db, clock=SystemClock()) as core:
        c = core.client()
        now = core.clock.now()
        queries = {
            "status=OPEN": [{"key": "status", "condition": {"equals": {"stringValues": ["OPEN"]}}}],
            "impact in (1,2)": [{"key": "impact", "condition": {"equals": {"integerValues": [1, 2]}}}],
            "OPEN + impact 1 + createdBy": [
                {"key": "status", "condition": {"equals": {"stringValues": ["OPEN"]}}},
                {"key": "impact", "condition": {"equals": {"integerValues": [1]}}},
                {"key": "createdBy", "condition": {"equals": {"stringValues": [c.principal.arn]}}},
            ],
            "createdBy with no match (worst case)": [
                {"key": "createdBy", "condition": {"equals": {"stringValues": ["arn:aws:iam::1:user/nobody"]}}},
            ],
            "creationTime window": [
                {"key": "creationTime", "condition": {"after": now - timedelta(days=40)}},
                {"key": "creationTime", "condition": {"before": now - timedelta(days=30)}},
            ],
        }
        for title, filters in queries.items():
            samples = []
            token = None
            for i in range(40):
                req = {"filters": filters, "maxResults": 50}
                if token and i % 2:
                    req["nextToken"] = token
                t = time.perf_counter()
                out = await c.call("ListIncidentRecords", req)
                samples.append(time.perf_counter() - t)
                token = out.get("nextToken")
                assert len(out["incidentRecordSummaries"]) == (0 if "no match" in title else 50)
            _report(f"ListIncidentRecords page of 50 over {N_BIG:,}, {title}", samples, "target <= 20 ms")


async def test_bench_open_big_database(big_db: Path):
    samples = []
    for _ in range(7):
        t = time.perf_counter()
        async with open_core(big_db, clock=SystemClock()) as core:
            samples.append(time.perf_counter() - t)
            assert core.account_id
    _report(f"open a {N_BIG:,}-incident database", samples, "target <= 300 ms")
