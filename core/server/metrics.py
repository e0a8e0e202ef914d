"""What ``/healthz`` and ``/metrics`` report, read from the store at the moment of asking.

Counts that live in the database (open incidents, pages by outcome, the scheduler's oldest
overdue timer, the outbox backlog) are read in one transaction per scrape, so they are the
same in every process and survive restarts. HTTP request counts are this process's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from core.timeutil import to_us

if TYPE_CHECKING:
    from core.runtime import Core

PAGE_OUTCOMES = {"sent": ("sent",), "failed": ("failed",), "held": ("held", "bundled")}


@dataclass
class Snapshot:
    scheduler_lag_seconds: float = 0.0
    outbox_backlog: int = 0
    open_incidents_by_impact: dict[int, int] = field(default_factory=dict)
    pages: dict[tuple[str, str], int] = field(default_factory=dict)  # (channel type, outcome)


async def read_snapshot(core: Core) -> Snapshot:
    now_us = to_us(core.clock.now())
    snap = Snapshot()
    async with core.db.transaction() as tx:
        oldest = await tx.scalar(
            "SELECT MIN(due_us) FROM timers WHERE state = 'pending' AND due_us <= ?", (now_us,)
        )
        snap.scheduler_lag_seconds = 0.0 if oldest is None else (now_us - oldest) / 1e6
        snap.outbox_backlog = await tx.scalar(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
        )
        for row in await tx.fetchall(
            "SELECT impact, COUNT(*) AS n FROM incidents WHERE status = 'OPEN' GROUP BY impact"
        ):
            snap.open_incidents_by_impact[row["impact"]] = row["n"]
        counts = {
            (row["channel_type"], row["status"]): row["n"]
            for row in await tx.fetchall(
                "SELECT channel_type, status, COUNT(*) AS n FROM outbox WHERE kind = 'page'"
                " GROUP BY channel_type, status"
            )
        }
    for channel in {channel for channel, _ in counts}:
        for outcome, statuses in PAGE_OUTCOMES.items():
            snap.pages[(channel, outcome)] = sum(counts.get((channel, s), 0) for s in statuses)
    return snap


class _StoreCollector(Collector):
    def __init__(self) -> None:
        self.snapshot = Snapshot()

    def collect(self) -> Iterator[Metric]:
        snap = self.snapshot
        incidents = GaugeMetricFamily(
            "cockpit_open_incidents", "Open incidents, by impact (1 critical .. 5 no impact).", labels=["impact"]
        )
        for impact in range(1, 6):
            incidents.add_metric([str(impact)], snap.open_incidents_by_impact.get(impact, 0))
        yield incidents
        pages = CounterMetricFamily(
            "cockpit_pages",
            "Pages by channel type and outcome (held: delayed by the rate limit, then bundled).",
            labels=["channel_type", "outcome"],
        )
        for (channel, outcome), count in sorted(snap.pages.items()):
            pages.add_metric([channel, outcome], count)
        yield pages
        yield GaugeMetricFamily(
            "cockpit_scheduler_lag_seconds",
            "How long the oldest due timer has waited to fire (0 when none is overdue).",
            value=snap.scheduler_lag_seconds,
        )
        yield GaugeMetricFamily(
            "cockpit_outbox_backlog", "Messages waiting to be sent (pending or sending).", value=snap.outbox_backlog
        )


class ServerMetrics:
    """One registry per server app (not prometheus-client's global one)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._store = _StoreCollector()
        self.registry.register(self._store)
        self._requests = Counter(
            "cockpit_http_requests",
            "HTTP requests, by route template and status code.",
            ["route", "status"],
            registry=self.registry,
        )

        self._intake = Counter(
            "cockpit_intake_payloads",
            "Intake payloads, by integration type and outcome (accepted, or the refusal's error code).",
            ["type", "outcome"],
            registry=self.registry,
        )

    def count_intake(self, integration_type: str, outcome: str) -> None:
        self._intake.labels(integration_type, outcome).inc()

    def count_request(self, route: str, status: int) -> None:
        self._requests.labels(route, str(status)).inc()

    async def exposition(self, core: Core) -> bytes:
        self._store.snapshot = await read_snapshot(core)
        return generate_latest(self.registry)
