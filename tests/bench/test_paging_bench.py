"""Paging benchmarks (``make bench``): figures are printed, never asserted.

(a) StartIncident -> the first page accepted by a local SMTP server, 200 incidents, real clock.
    Target p50 <= 20 ms, p99 <= 100 ms.
(b) Lateness of due timers (fire time - due time) with 10,000 timers pending, real clock.
    Target p99 <= 250 ms.
(c) Resident memory with 10,000 active engagements.
"""

from __future__ import annotations

import asyncio
import gc
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core import FakeClock, open_core
from core.clock import SystemClock
from core.engine.scheduler import TIMER_KINDS, timer_handler
from core.timeutil import to_us
from tests.support.contacts import personal_contact
from tests.support.mail import MailSink

INCIDENTS = 200
FAR_TIMERS = 10_000
NEAR_TIMERS = 200
ENGAGEMENTS = 10_000


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def _figures(name: str, values_ms: list[float], target: str) -> None:
    print(f"\n[bench] {name}: n={len(values_ms)} p50={_pct(values_ms, 50):.2f} ms p90={_pct(values_ms, 90):.2f} ms "
          f"p99={_pct(values_ms, 99):.2f} ms max={max(values_ms):.2f} ms mean={statistics.fmean(values_ms):.2f} ms"
          f"  (target {target})")


def _rss_kib() -> dict[str, int]:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


async def test_bench_start_incident_to_smtp(tmp_path):
    async with MailSink() as sink, open_core(tmp_path / "ws", clock=SystemClock(),
                                             config={"paging": sink.paging_config()}) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        plans = []
        for i in range(INCIDENTS):  # one address per incident: no rate limiting in the way
            contact, _ = await personal_contact(client, f"resp{i}", [("EMAIL", f"resp{i}@bench.test")])
            plan = await client.call("CreateResponsePlan", {"name": f"bench{i}", "engagements": [contact],
                                                             "incidentTemplate": {"title": f"Bench {i}", "impact": 2}})
            plans.append((f"resp{i}@bench.test", plan["arn"]))
        while await core.scheduler.wait_idle() or await core.outbox.wait_idle():
            pass  # activation mails are out of the way
        waiting: dict[str, asyncio.Future[float]] = {}

        def on_receive(received: Any) -> None:
            if received["X-Cockpit-Kind"] != "page":
                return
            for rcpt in received.rcpt_tos:
                fut = waiting.get(rcpt)
                if fut is not None and not fut.done():
                    fut.set_result(received.at)

        sink.on_receive = on_receive
        latencies = []
        loop = asyncio.get_running_loop()
        for address, plan in plans:
            waiting[address] = loop.create_future()
            t0 = time.perf_counter()
            await client.call("StartIncident", {"responsePlanArn": plan})
            received_at = await asyncio.wait_for(waiting[address], timeout=10)
            latencies.append((received_at - t0) * 1000)
    _figures("StartIncident -> page accepted by SMTP (real clock)", latencies, "p50 <= 20 ms, p99 <= 100 ms")


async def test_bench_timer_lateness_with_10k_pending(tmp_path):
    fired: list[float] = []
    done = asyncio.Event()

    @timer_handler("bench.probe")
    async def probe(ctx: Any, payload: dict[str, Any]) -> None:
        # lateness on the core's own (real) clock, measured when the timer's transaction runs
        fired.append((to_us(ctx.now) - payload["due_us"]) / 1000)
        await ctx.tx.execute("UPDATE timers SET attempts = attempts WHERE id = -1")
        if len(fired) == NEAR_TIMERS:
            done.set()

    try:
        async with open_core(tmp_path / "ws", clock=SystemClock()) as core:
            now = core.clock.now()
            t0 = time.perf_counter()
            async with core.db.transaction() as tx:
                for i in range(FAR_TIMERS):
                    await core.scheduler.schedule(tx, "bench.probe", now + timedelta(days=1, seconds=i),
                                                  {"due_us": 0}, dedupe_key=f"far:{i}")
            insert_s = time.perf_counter() - t0
            rng = random.Random(7)
            start = core.clock.now() + timedelta(milliseconds=200)
            # near timers due over ~2 s, scheduled in small transactions as the engine would
            dues = sorted(start + timedelta(milliseconds=rng.uniform(0, 2000)) for _ in range(NEAR_TIMERS))
            for chunk in range(0, NEAR_TIMERS, 20):
                async with core.db.transaction() as tx:
                    for due in dues[chunk:chunk + 20]:
                        await core.scheduler.schedule(tx, "bench.probe", due, {"due_us": to_us(due)})
            await asyncio.wait_for(done.wait(), timeout=30)
            pending = await core.scheduler.pending_count()
    finally:
        TIMER_KINDS.pop("bench.probe", None)
    print(f"\n[bench] inserted {FAR_TIMERS} far-future timers in {insert_s * 1000:.0f} ms; {pending} still pending")
    _figures(f"timer lateness with {FAR_TIMERS} pending (real clock)", fired, "p99 <= 250 ms")


async def test_bench_memory_with_10k_active_engagements(tmp_path):
    gc.collect()
    before = _rss_kib()
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    async with open_core(tmp_path / "ws", clock=clock) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        # the second channel is engaged 30 minutes in: every engagement keeps a pending stage timer
        contacts = []
        for i in range(10):
            contact, _ = await personal_contact(client, f"mem{i}", [("EMAIL", f"mem{i}@bench.test"), ("SMS", f"+1415555{i:04d}")],
                                                stage_minutes=[30, 0])
            contacts.append(contact)
        await clock.advance(seconds=1)
        opened = _rss_kib()
        t0 = time.perf_counter()
        for i in range(ENGAGEMENTS):
            await client.call("StartEngagement", {"ContactId": contacts[i % 10], "Sender": "bench",
                                                  "Subject": f"engagement {i}", "Content": "memory benchmark"})
        start_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        await clock.advance(seconds=1)  # pages sent (LOCAL) or held and bundled by the rate limit
        settle_s = time.perf_counter() - t0
        gc.collect()
        after = _rss_kib()
        async with core.db.transaction() as tx:
            active = await tx.scalar("SELECT COUNT(*) FROM engagements WHERE stop_us IS NULL AND acked_us IS NULL")
            timers = await tx.scalar("SELECT COUNT(*) FROM timers WHERE state = 'pending'")
            outbox = await tx.fetchall("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
        db_bytes = sum(p.stat().st_size for p in (tmp_path / "ws").glob("*") if p.is_file())
    print(f"\n[bench] {active} active engagements ({timers} pending timers, outbox {dict((r['status'], r['n']) for r in outbox)})"
          f" started in {start_s:.1f} s ({start_s / ENGAGEMENTS * 1000:.2f} ms each), settled in {settle_s:.1f} s")
    print(f"[bench] RSS: before core {before['VmRSS'] / 1024:.1f} MiB, core open {opened['VmRSS'] / 1024:.1f} MiB, "
          f"with {ENGAGEMENTS} engagements {after['VmRSS'] / 1024:.1f} MiB "
          f"(+{(after['VmRSS'] - opened['VmRSS']) / 1024:.1f} MiB), peak {after['VmHWM'] / 1024:.1f} MiB; "
          f"database files {db_bytes / 2**20:.1f} MiB")
