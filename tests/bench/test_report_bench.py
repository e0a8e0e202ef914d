"""GetIncidentReport over a year of 100,000 incidents (`make bench`; not part of `make test`).
It prints figures; no asserts on time, as the machine is shared. Target: <= 1 s.

    .venv/bin/python -m pytest -q -s tests/bench/test_report_bench.py

The year is written straight into the real schema (one executemany per table) so the set-up
takes seconds rather than the hours 100,000 StartIncident calls with paging would: each incident
has one engagement of one of 40 people, four in five are acknowledged, all but 1% resolved,
each engagement one page.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from core import FakeClock, open_core
from core.store.db import dumps
from core.timeutil import to_us

INCIDENTS = 100_000
PEOPLE = 40
YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)
YEAR_END = datetime(2026, 1, 1, tzinfo=UTC)
RUNS = 5


async def _fill(core) -> None:
    rng = random.Random(12)
    span = to_us(YEAR_END) - to_us(YEAR_START)
    plans = [f"arn:aws:ssm-incidents::{core.account_id}:response-plan/plan-{i}" for i in range(8)]
    people = [f"arn:aws:ssm-contacts:{core.region}:{core.account_id}:contact/person-{i}" for i in range(PEOPLE)]
    incidents, engagements, pages = [], [], []
    for n in range(INCIDENTS):
        arn = f"arn:aws:ssm-incidents::{core.account_id}:incident-record/bench/{n:08d}"
        start = to_us(YEAR_START) + rng.randrange(span)
        resolved = start + rng.randrange(60, 6 * 3600) * 1_000_000 if rng.random() > 0.01 else None
        incidents.append((arn, "bench", rng.randint(1, 5), "RESOLVED" if resolved else "OPEN", "bench", start,
                          resolved, plans[n % len(plans)], dumps({"arn": arn})))
        engaged = start + rng.randrange(0, 600) * 1_000_000
        acked = engaged + rng.randrange(10, 1800) * 1_000_000 if rng.random() < 0.8 else None
        eng = f"arn:aws:ssm-contacts:{core.region}:{core.account_id}:engagement/bench/{n:08d}"
        person = people[rng.randrange(PEOPLE)]
        engagements.append((eng, eng, person, "PERSONAL", arn, "ops", "s", "c", engaged, acked))
        pages.append((f"{eng}/page", eng, person, arn, "x", "x", "x", engaged))
    async with core.db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO incidents (arn, title, impact, status, created_by, creation_us, resolved_us,"
            " response_plan_arn, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", incidents)
        await tx.executemany(
            "INSERT INTO engagements (arn, root_arn, contact_arn, contact_type, incident_id, sender, subject, content,"
            " start_us, acked_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", engagements)
        await tx.executemany(
            "INSERT INTO pages (arn, engagement_arn, contact_arn, incident_id, code_salt, code_hash, code_enc,"
            " created_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", pages)


async def test_bench_report_over_a_year_of_100k_incidents(tmp_path) -> None:
    async with open_core(tmp_path / "ws", clock=FakeClock(YEAR_END + timedelta(days=1))) as core:
        began = time.perf_counter()
        await _fill(core)
        print(f"\n[bench] set-up: {time.perf_counter() - began:.1f} s")
        client = core.client()
        request = {"startTime": YEAR_START, "endTime": YEAR_END, "timeZone": "Europe/Paris"}
        samples, cpu = [], []
        for _ in range(RUNS):
            began, began_cpu = time.perf_counter(), time.process_time()
            report = (await client.call("GetIncidentReport", request))["report"]
            samples.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        assert report["incidentCount"] == INCIDENTS
        assert sum(h["pages"] for h in report["pagesPerHour"]) == sum(p["pages"] for p in report["pagesPerContact"])
        ms = sorted(s * 1000 for s in samples)
        print(f"\n[bench] GetIncidentReport, {INCIDENTS} incidents over a year: n={RUNS} min={ms[0]:.0f} ms"
              f" median={statistics.median(ms):.0f} ms max={ms[-1]:.0f} ms; CPU min={min(cpu) * 1000:.0f} ms"
              f" (target <= 1000 ms)")
