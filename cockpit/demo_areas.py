"""The demo's runbook, integration, heartbeats, maintenance window and analysis, so that every
area of ``cockpit demo`` opens on something. Made through the Client (and, for the monitoring
payload, the core's intake endpoint) at plausible moments of the demo's history.

``cockpit.demo`` calls ``prepare_areas`` at the start of the history and schedules the rest with
its ``at(when, action)``: the runbook runs on the critical incident, the alert starts the replica
lag incident, the nightly backup misses its ping (starting an incident), the analysis follows
the worst resolved incident.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cockpit.factory import Post
from core.client.base import Client

RUNBOOK = "critical-incident"
RUNBOOK_ON = "Checkout payments failing for EU cards"
RUNBOOK_DONE = ["Triage", "Engage"]
INTEGRATION = "prometheus-prod"
ALERT_TITLE = "ReplicaLagHigh: orders-1 replica is 45 s behind the primary"
HEALTHY, MISSED = "billing-export", "nightly-backup"
WINDOW = "orders-db-failover-drill"
ANALYSED = "Duplicate charges for subscription renewals"
ACTION_ITEM = "Make renewal charges idempotent per billing period"

At = Callable[[datetime, Callable[[], Awaitable[Any]]], None]


@dataclass
class DemoAreas:
    plans: dict[str, str]
    """response plan name -> arn"""
    intake_path: str = ""
    intake_token: str = ""


async def prepare_areas(client: Client, plans: dict[str, str]) -> DemoAreas:
    """At the start of the history: the runbook document and the monitoring integration."""
    await client.call("CreateRunbook", {"name": RUNBOOK, "fromTemplate": RUNBOOK})
    made = await client.call("CreateIntegration", {
        "name": INTEGRATION, "type": "alertmanager", "responsePlanArn": plans["database-degraded"]})
    return DemoAreas(plans, made["path"], made["token"])


def alert_payload(title: str, started: datetime) -> dict[str, Any]:
    """What Alertmanager's webhook posts for one firing alert (its format, version 4)."""
    name, _, summary = title.partition(": ")
    labels = {"alertname": name, "cluster": "orders", "instance": "orders-1", "severity": "warning"}
    return {
        "version": "4", "groupKey": '{}:{alertname="ReplicaLagHigh"}', "status": "firing", "receiver": "cockpit",
        "groupLabels": {"alertname": name}, "commonLabels": labels, "commonAnnotations": {"summary": summary},
        "externalURL": "https://alertmanager.example.com",
        "alerts": [{
            "status": "firing", "labels": labels, "annotations": {"summary": summary},
            "startsAt": started.isoformat(), "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "https://prometheus.example.com/graph?g0.expr=mysql_slave_lag_seconds%3E30",
            "fingerprint": "5b9e1f0c2d3a4e6f",
        }],
    }


async def post_alert(post: Post, areas: DemoAreas, title: str, started: datetime) -> str:
    """Post the alert to the integration's intake path; returns the incident it started."""
    status, answer = await post(areas.intake_path, {"authorization": f"Bearer {areas.intake_token}"},
                                alert_payload(title, started))
    if status != 202 or answer.get("status") != "processed":
        raise RuntimeError(f"the demo's alert was refused ({status}): {answer}")
    return answer["outcome"][0]["incidentArn"]


def schedule_areas(client: Client, areas: DemoAreas, incidents: dict[str, str], end: datetime,
                   started: dict[str, datetime], resolved: dict[str, datetime], at: At) -> None:
    """Heartbeats, the maintenance window, the runbook's execution and the analysis, each at
    its moment (``started``/``resolved``: when the demo's incidents start and resolve)."""
    db_plan = areas.plans["database-degraded"]

    async def healthy() -> None:
        await client.call("CreateHeartbeat", {
            "name": HEALTHY, "intervalSeconds": 900, "responsePlanArn": db_plan, "impact": 3,
            "description": "The billing export job pings after each 15-minute batch"})

    async def ping() -> None:
        await client.call("PingHeartbeat", {"name": HEALTHY})

    async def missed() -> None:
        await client.call("CreateHeartbeat", {
            "name": MISSED, "intervalSeconds": 24 * 3600, "responsePlanArn": db_plan, "impact": 4,
            "description": "The nightly database backup pings when it has finished"})

    at(end - timedelta(minutes=20), healthy)
    at(end - timedelta(minutes=6), ping)
    at(end - timedelta(hours=25), missed)  # its first ping was due an hour ago: missed

    async def window() -> None:
        drill = (end + timedelta(days=2)).replace(hour=22, minute=0, second=0, microsecond=0)
        await client.call("CreateMaintenanceWindow", {
            "name": WINDOW, "timeZone": "UTC", "start": drill.strftime("%Y-%m-%dT%H:%M"),
            "end": (drill + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "targets": [db_plan],
            "description": "Failover drill of the orders database: replica lag alerts page no one"})

    at(end - timedelta(days=1), window)

    execution: dict[str, str] = {}

    async def start_runbook() -> None:
        out = await client.call("StartRunbookExecution", {"incidentRecordArn": incidents[RUNBOOK_ON],
                                                          "runbookName": RUNBOOK})
        execution["id"] = out["executionId"]

    at(started[RUNBOOK_ON] + timedelta(minutes=2), start_runbook)
    for i, step in enumerate(RUNBOOK_DONE):
        async def resume(step: str = step) -> None:
            await client.call("SignalRunbookStep", {"executionId": execution["id"], "stepName": step,
                                                    "signal": "Resume", "comment": f"{step} done"})
        at(started[RUNBOOK_ON] + timedelta(minutes=6 + 5 * i), resume)

    async def analyse() -> None:
        made = await client.call("CreateAnalysis", {"incidentRecordArn": incidents[ANALYSED],
                                                    "name": f"{ANALYSED}: what happened"})
        await client.call("UpdateAnalysis", {"analysisId": made["analysisId"], "overview": {
            "whatHappened": "Subscription renewals were charged twice when the payment provider timed out "
                            "and the renewal job retried.",
            "why": "The renewal job retried a timed-out charge without an idempotency key.",
            "mitigation": "Paused the renewal job and refunded the duplicate charges."}})
        await client.call("CreateActionItem", {"analysisId": made["analysisId"], "title": ACTION_ITEM,
                                               "description": "Send the billing period as the idempotency key.",
                                               "owner": "billing team",
                                               "dueDate": (resolved[ANALYSED] + timedelta(days=14)).date().isoformat()})

    at(resolved[ANALYSED] + timedelta(hours=20), analyse)
