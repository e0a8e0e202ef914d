"""``GET /healthz`` (database, scheduler lag, outbox backlog) and ``GET /metrics`` (Prometheus).

Both need an access key like every other route (any role may read them): a readonly key for
the load balancer or the Prometheus scrape (``authorization: {type: Bearer, credentials:
ID:SECRET}``).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from core.server.metrics import ServerMetrics, read_snapshot

if TYPE_CHECKING:
    from core.runtime import Core

log = logging.getLogger("cockpit.server.health")
LAGGING_AFTER_S = 60.0


def routes(core: Core, metrics: ServerMetrics) -> list[BaseRoute]:
    async def healthz(request: Request) -> Response:
        try:
            snap = await read_snapshot(core)
        except sqlite3.Error as exc:
            log.error("health check: the database cannot be read: %s", exc)
            return JSONResponse({"status": "unavailable", "database": f"error: {exc}"}, 503)
        lagging = snap.scheduler_lag_seconds > LAGGING_AFTER_S
        return JSONResponse(
            {
                "status": "lagging" if lagging else "ok",
                "database": "ok",
                "schedulerLagSeconds": round(snap.scheduler_lag_seconds, 3),
                "outboxBacklog": snap.outbox_backlog,
            }
        )

    async def prometheus(request: Request) -> Response:
        return Response(await metrics.exposition(core), media_type=CONTENT_TYPE_LATEST)

    return [Route("/healthz", healthz, methods=["GET"]), Route("/metrics", prometheus, methods=["GET"])]
