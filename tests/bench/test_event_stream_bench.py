"""Event stream benchmarks against a real `cockpit serve` subprocess (`make bench`; not
`make test`). They print figures; no asserts on time, because the machine is shared.

    .venv/bin/python -m pytest -q -s tests/bench/test_event_stream_bench.py

Targets on a 2-core machine: 50 attached SSE clients seeing an incident update, p99 <= 200 ms
(from sending the update to each client's receipt of its event); resident memory of
`cockpit serve` with 10,000 incidents and 50 SSE clients <= 250 MB.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from pathlib import Path

import httpx
from httpx_sse import aconnect_sse

from core import open_core
from tests.support.serve import Key, ServeProcess, create_keys_async

CLIENTS = 50
UPDATES = 40
INCIDENTS = 10_000


def _report(title: str, samples_s: list[float], target: str) -> None:
    ms = sorted(s * 1000 for s in samples_s)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(f"\n[bench] {title}: n={len(ms)} p50={statistics.median(ms):.2f} ms p99={p99:.2f} ms max={ms[-1]:.2f} ms ({target})")


async def _prepare(data_dir: Path, incidents: int) -> tuple[dict[str, Key], str, str]:
    keys = await create_keys_async(data_dir, roles=("admin", "readonly"))
    async with open_core(data_dir) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        plan = (await client.call("CreateResponsePlan", {
            "name": "bench", "incidentTemplate": {"title": "Bench", "impact": 3}}))["arn"]
        arn = ""
        for i in range(incidents):
            arn = (await client.call("StartIncident", {"responsePlanArn": plan, "title": f"incident {i}"}))[
                "incidentRecordArn"]
    return keys, plan, arn


async def _listener(url: str, key: Key, ready: asyncio.Event, counter: list[int], arrivals: dict[int, list[float]],
                    want: int) -> None:
    """Record when each IncidentUpdated arrives (the n-th one answers the n-th update)."""
    async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(10, read=60)) as http:
        async with aconnect_sse(http, "GET", "/v1/events", headers=key.bearer) as source:
            counter[0] += 1
            if counter[0] == CLIENTS:
                ready.set()
            got = 0
            async for message in source.aiter_sse():
                if message.event != "IncidentUpdated":
                    continue
                assert json.loads(message.data)["resourceArn"]
                arrivals.setdefault(got, []).append(time.perf_counter())
                got += 1
                if got == want:
                    return


async def _fan_out(server: ServeProcess, key: Key, arn: str, updates: int) -> list[float]:
    ready = asyncio.Event()
    counter = [0]
    arrivals: dict[int, list[float]] = {}
    listeners = [asyncio.create_task(_listener(server.url, key, ready, counter, arrivals, updates))
                 for _ in range(CLIENTS)]
    async with asyncio.timeout(60):
        await ready.wait()
    sent: dict[int, float] = {}
    async with httpx.AsyncClient(base_url=server.url, headers=server.key.bearer, timeout=30) as http:
        for i in range(updates):
            sent[i] = time.perf_counter()
            response = await http.post("/v1/UpdateIncidentRecord", json={"arn": arn, "title": f"update {i}"})
            response.raise_for_status()
            await asyncio.sleep(0.05)  # one update at a time, as people make them
    async with asyncio.timeout(120):
        await asyncio.gather(*listeners)
    return [at - sent[i] for i, times in arrivals.items() for at in times]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_bench_50_sse_clients_see_an_incident_update(tmp_path):
    keys, _plan, arn = asyncio.run(_prepare(tmp_path / "ws", 1))
    with ServeProcess(tmp_path / "ws", keys["admin"]) as server:
        latencies = asyncio.run(_fan_out(server, keys["readonly"], arn, UPDATES))
    assert len(latencies) == CLIENTS * UPDATES  # every client saw every update
    _report(f"{CLIENTS} SSE clients (readonly) seeing an incident update", latencies, "target p99 <= 200 ms")


def test_bench_serve_memory_with_10000_incidents_and_50_sse_clients(tmp_path):
    started = time.perf_counter()
    keys, _plan, arn = asyncio.run(_prepare(tmp_path / "ws", INCIDENTS))
    print(f"\n[bench] seeded {INCIDENTS} incidents through StartIncident in {time.perf_counter() - started:.1f} s")
    with ServeProcess(tmp_path / "ws", keys["admin"]) as server:
        idle = _rss_mb(server.proc.pid)

        async def run() -> float:
            ready = asyncio.Event()
            counter = [0]
            arrivals: dict[int, list[float]] = {}
            listeners = [asyncio.create_task(_listener(server.url, keys["readonly"], ready, counter, arrivals, 5))
                         for _ in range(CLIENTS)]
            async with asyncio.timeout(60):
                await ready.wait()
            async with httpx.AsyncClient(base_url=server.url, headers=server.key.bearer, timeout=30) as http:
                pages = 0
                token = None
                while pages < 100:  # read the whole list, as a dashboard would
                    body = {"maxResults": 100, **({"nextToken": token} if token else {})}
                    listed = (await http.post("/v1/ListIncidentRecords", json=body)).json()
                    pages += 1
                    token = listed.get("nextToken")
                    if not token:
                        break
                for i in range(5):
                    (await http.post("/v1/UpdateIncidentRecord", json={"arn": arn, "title": f"m{i}"})).raise_for_status()
            async with asyncio.timeout(60):
                await asyncio.gather(*listeners)
            return _rss_mb(server.proc.pid)

        loaded = asyncio.run(run())
    print(f"[bench] cockpit serve resident memory: {idle:.1f} MB idle with {INCIDENTS} incidents, "
          f"{loaded:.1f} MB with {CLIENTS} SSE clients after reading every incident (target <= 250 MB)")
