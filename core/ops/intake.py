"""The intake log and what an accepted payload does: start, join or resolve incidents.

Nothing is lost. ``receive`` writes the payload to ``intake_events`` and acts on it in the
same transaction, the action inside a savepoint: the row commits whatever the action does,
with its outcome (``processed``) or, when starting or updating the incident failed, its error
(``failed``). The HTTP binding answers 2xx only after that commit. ``ReplayIntakeEvent`` runs
a logged payload again; ``ListIntakeEvents`` shows the log.

Payloads arriving together are committed together: the store groups concurrent transactions
into one COMMIT (core/store/db.py), so concurrent senders share one fsync.

``act_on_alert`` is the one place a normalized alert becomes an incident (start or join, by
its dedupe string) or a recovery; a later check (maintenance windows) plugs in there.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from core import arns
from core.engine.context import Context
from core.engine.timeline import add_event
from core.errors import ResourceNotFoundException, ServiceError, ValidationException
from core.intake.alerts import Action, Alert, PayloadError
from core.intake.normalize import normalize
from core.intake.opsgenie import create_alert
from core.intake.routing import route
from core.model.events import INTEGRATION_CHANGED
from core.model.incidents import TimelineEventType
from core.ops import pagination
from core.ops.incidents import open_incident, update_incident_record
from core.ops.integrations import Integration, load_integration
from core.ops.registry import OWN_SERVICE, operation
from core.ops.related_items import MAX_ITEMS, add_item, item_key
from core.security import audit
from core.security.principals import Principal
from core.store.db import Tx, dumps, loads
from core.timeutil import from_us, to_us

if TYPE_CHECKING:
    from core.runtime import Core

log = logging.getLogger("cockpit.intake")

RAW_DATA_MAX = 10000
PAYLOAD_SHOWN = 10000
TRIGGER = TimelineEventType.TRIGGER.value
ALERT_ACTIONS = ("alert", "opsgenie-create")


@dataclass
class Received:
    """An accepted payload, on its way into the log."""

    integration: Integration
    action: str  # alert | opsgenie-create | opsgenie-acknowledge | opsgenie-close | sns-subscription
    payload: Any
    alerts: list[Alert] | None = None  # normalized at receipt (None: normalized from the payload)
    target: str | None = None  # "alias:web-1" for an Opsgenie acknowledge or close
    source_ip: str | None = None
    event_id: str = field(default_factory=arns.new_uuid)


@dataclass
class Outcome:
    event_id: str
    status: str  # processed | failed
    results: list[dict[str, Any]]
    error: str | None = None


def integration_principal(integration: Integration) -> Principal:
    """Who acts for an integration: its ARN is the incidents' createdBy."""
    return Principal(arn=integration.arn, name=f"integration {integration.name}")


# ---------------------------------------------------------------------------- acting on alerts


def _raw_data(alert: Alert) -> str:
    text = json.dumps(alert.event, separators=(",", ":"), default=str)
    return text if len(text) <= RAW_DATA_MAX else text[: RAW_DATA_MAX - 1] + "…"


async def _open_with_dedupe(ctx: Context, dedupe: str) -> str | None:
    return await ctx.tx.scalar(
        "SELECT arn FROM incidents WHERE dedupe_string = ? AND status = 'OPEN' ORDER BY id LIMIT 1", (dedupe,)
    )


async def _link(ctx: Context, incident_arn: str, links: list[tuple[str, str]]) -> None:
    for title, url in links:
        item = {"identifier": {"type": "OTHER", "value": {"url": url}}, "title": title[:200]}
        kind, value = item_key(item["identifier"])
        present = await ctx.tx.scalar(
            "SELECT COUNT(*) FROM related_items WHERE incident_arn = ? AND item_type = ? AND item_value = ?",
            (incident_arn, kind, value),
        )
        count = await ctx.tx.scalar("SELECT COUNT(*) FROM related_items WHERE incident_arn = ?", (incident_arn,))
        if not present and count < MAX_ITEMS:
            await add_item(ctx, incident_arn, item)


async def start_or_join(ctx: Context, integration: Integration, alert: Alert) -> dict[str, Any]:
    """Start an incident from the alert's routed plan, or join the open one with its dedupe string."""
    plan_arn = route(integration.routing, alert.event)
    trigger = {
        "source": alert.source[:50],
        "timestamp": alert.timestamp,
        "rawData": _raw_data(alert),
        "triggerArn": integration.arn,  # what maintenance windows match; the alert's own ARN is in rawData
    }
    request: dict[str, Any] = {"responsePlanArn": plan_arn, "title": alert.title, "triggerDetails": trigger}
    if alert.impact is not None:
        request["impact"] = alert.impact
    if alert.summary:
        request["summary"] = alert.summary[:8000]
    # the timeline's words: which integration and which alert (the record keeps AWS's shape)
    request["triggerDetails"] = {**trigger, "integration": integration.name, "alert": alert.name}
    arn, joined = await open_incident(ctx, request, dedupe=alert.dedupe[:1000])
    await _link(ctx, arn, alert.links)
    return {"alert": alert.name, "action": "joined" if joined else "started", "incidentArn": arn}


async def recover(ctx: Context, integration: Integration, alert: Alert) -> dict[str, Any]:
    """The alert recovered: a timeline event on its open incident, and its resolution when the
    integration says so."""
    arn = await _open_with_dedupe(ctx, alert.dedupe[:1000])
    if arn is None:
        return {"alert": alert.name, "action": "no-open-incident"}
    await add_event(
        ctx, arn, TRIGGER,
        {"recovered": True, "alert": alert.name, "integration": integration.name, "source": alert.source,
         "title": alert.title},
        when=alert.timestamp,
    )
    if integration.options.get("resolveOnRecovery"):
        await update_incident_record(ctx, {"arn": arn, "status": "RESOLVED"})
        return {"alert": alert.name, "action": "resolved", "incidentArn": arn}
    return {"alert": alert.name, "action": "recovered", "incidentArn": arn}


async def act_on_alert(ctx: Context, integration: Integration, alert: Alert) -> dict[str, Any]:
    """What one normalized alert does."""
    if alert.action is Action.TRIGGER:
        return await start_or_join(ctx, integration, alert)
    return await recover(ctx, integration, alert)


# ---------------------------------------------------------------------------- Opsgenie alerts


async def find_alert(tx: Tx, integration_id: str, target: str) -> Any:
    """An Opsgenie alert by ``id:...``, ``alias:...`` or ``tiny:...`` (an alias names the open one,
    else the latest)."""
    kind, _, value = target.partition(":")
    if kind == "alias":
        sql = ("SELECT * FROM intake_alerts WHERE integration_id = ? AND alias = ?"
               " ORDER BY status = 'open' DESC, created_us DESC LIMIT 1")
    elif kind == "tiny":
        sql = "SELECT * FROM intake_alerts WHERE integration_id = ? AND tiny_id = ?"
    else:
        sql = "SELECT * FROM intake_alerts WHERE integration_id = ? AND id = ?"
    row = await tx.fetchone(sql, (integration_id, int(value) if kind == "tiny" and value.isdigit() else value))
    if row is None:
        raise ResourceNotFoundException(f"no alert with {kind} {value!r}", "ALERT", value)
    return row


async def _track_alert(ctx: Context, integration: Integration, alert: Alert, result: dict[str, Any]) -> None:
    row = await ctx.tx.fetchone(
        "SELECT id, count FROM intake_alerts WHERE integration_id = ? AND alias = ? AND status = 'open'",
        (integration.id, alert.dedupe),
    )
    doc = dumps({"message": alert.title, **alert.details, "description": alert.event.get("description")})
    if row is not None:
        await ctx.tx.execute(
            "UPDATE intake_alerts SET count = count + 1, updated_us = ?, incident_arn = ? WHERE id = ?",
            (to_us(ctx.now), result.get("incidentArn"), row["id"]),
        )
        result["alertId"] = row["id"]
    else:
        alert_id = arns.new_uuid()
        tiny = await ctx.tx.scalar("SELECT COALESCE(MAX(tiny_id), 0) + 1 FROM intake_alerts")
        await ctx.tx.execute(
            "INSERT INTO intake_alerts (id, tiny_id, integration_id, alias, incident_arn, status, doc, created_us,"
            " updated_us) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)",
            (alert_id, tiny, integration.id, alert.dedupe, result.get("incidentArn"), doc, to_us(ctx.now),
             to_us(ctx.now)),
        )
        result["alertId"] = alert_id
    result["alias"] = alert.dedupe


async def _opsgenie_action(ctx: Context, item: Received) -> dict[str, Any]:
    row = await find_alert(ctx.tx, item.integration.id, item.target or "")
    body = item.payload if isinstance(item.payload, dict) else {}
    closing = item.action == "opsgenie-close"
    result: dict[str, Any] = {"alertId": row["id"], "alias": row["alias"],
                              "action": "closed" if closing else "acknowledged"}
    if closing:
        await ctx.tx.execute("UPDATE intake_alerts SET status = 'closed', updated_us = ? WHERE id = ?",
                             (to_us(ctx.now), row["id"]))
    else:
        await ctx.tx.execute("UPDATE intake_alerts SET acknowledged = 1, updated_us = ? WHERE id = ?",
                             (to_us(ctx.now), row["id"]))
    arn = row["incident_arn"]
    if arn and await ctx.tx.scalar("SELECT status FROM incidents WHERE arn = ?", (arn,)) == "OPEN":
        result["incidentArn"] = arn
        await add_event(ctx, arn, TRIGGER, {
            "closed" if closing else "acknowledged": True, "alert": row["alias"], "integration": item.integration.name,
            "user": str(body.get("user") or "")[:100], "note": str(body.get("note") or "")[:1000],
            "source": str(body.get("source") or "opsgenie-api")[:100],
        })
        if closing and item.integration.options.get("resolveOnRecovery"):
            await update_incident_record(ctx, {"arn": arn, "status": "RESOLVED"})
            result["action"] = "resolved"
    return result


# ---------------------------------------------------------------------------- the log


def alerts_of(item: Received, now: Any) -> list[Alert]:
    if item.alerts is not None:
        return item.alerts
    integration = item.integration
    if item.action == "opsgenie-create":
        return [create_alert(item.payload, now)]
    return normalize(integration.type, integration.options, item.payload, now)


async def _act(ctx: Context, item: Received) -> list[dict[str, Any]]:
    if item.action == "sns-subscription":
        return [{"action": "subscription-received", "topicArn": item.payload.get("TopicArn")}]
    if item.action in ("opsgenie-acknowledge", "opsgenie-close"):
        return [await _opsgenie_action(ctx, item)]
    results = []
    for alert in alerts_of(item, ctx.now):
        result = await act_on_alert(ctx, item.integration, alert)
        if item.action == "opsgenie-create":
            await _track_alert(ctx, item.integration, alert, result)
        results.append(result)
    return results


async def _process(core: Core, tx: Tx, item: Received, row_id: int) -> Outcome:
    """Act on a logged payload inside a savepoint; the row records the outcome or the error."""
    ctx = Context(core, tx, integration_principal(item.integration), "intake", item.source_ip)
    await tx.execute("SAVEPOINT intake_event")
    error: ServiceError | None = None
    results: list[dict[str, Any]] = []
    try:
        results = await _act(ctx, item)
    except PayloadError as exc:
        error = ValidationException(str(exc))
    except ServiceError as exc:
        error = exc
    except Exception as exc:
        log.exception("acting on intake event %s failed", item.event_id)
        error = ServiceError(f"the core failed to act on the payload: {type(exc).__name__}; see the core log")
    if error is not None:
        await tx.execute("ROLLBACK TO intake_event")
        ctx.discard_events()
    await tx.execute("RELEASE intake_event")
    status = "failed" if error else "processed"
    message = f"{error.code}: {error.message}" if error else None
    await tx.execute(
        "UPDATE intake_events SET status = ?, outcome = ?, error = ?, attempts = attempts + 1, processed_us = ?"
        " WHERE id = ?",
        (status, dumps(results), message, to_us(ctx.now), row_id),
    )
    incident = next((r["incidentArn"] for r in results if r.get("incidentArn")), None)
    await audit.record(
        tx, when=ctx.now, operation="IntakePayload", principal=ctx.principal, origin="intake",
        params={"integrationId": item.integration.id, "eventId": item.event_id, "action": item.action,
                "alerts": [r.get("alert") for r in results if r.get("alert")][:20]},
        result=error.code if error else "OK", error_message=error.message if error else None,
        resource_arn=incident or item.integration.arn, source_ip=item.source_ip,
    )
    return Outcome(item.event_id, status, results, message)


def _received(ctx: Context, integration: Integration) -> None:
    """The integration received a payload (the cockpit refreshes its log)."""
    ctx.emit(INTEGRATION_CHANGED, integration.arn, integrationId=integration.id, change="received")


async def _log(core: Core, tx: Tx, item: Received) -> int:
    return await tx.scalar(
        "INSERT INTO intake_events (event_id, integration_id, received_us, action, target, payload, status)"
        " VALUES (?, ?, ?, ?, ?, ?, 'received') RETURNING id",
        (item.event_id, item.integration.id, to_us(core.clock.now()), item.action, item.target,
         json.dumps(item.payload, separators=(",", ":"))),
    )


async def receive(core: Core, item: Received) -> Outcome:
    """Log an accepted payload and act on it; returns once both are committed."""
    async with core.db.transaction() as tx:
        outcome = await _process(core, tx, item, await _log(core, tx, item))
        _received(Context(core, tx, core.system_principal, "intake"), item.integration)
    return outcome


async def record_outcome(core: Core, event_id: str, results: list[dict[str, Any]], error: str | None) -> None:
    """An outcome learned after the commit (an SNS subscription's confirmation)."""
    async with core.db.transaction() as tx:
        await tx.execute(
            "UPDATE intake_events SET status = ?, outcome = ?, error = ?, processed_us = ? WHERE event_id = ?",
            ("failed" if error else "processed", dumps(results), error, to_us(core.clock.now()), event_id),
        )


# ---------------------------------------------------------------------------- operations


def event_view(row: Any) -> dict[str, Any]:
    payload = row["payload"]
    out: dict[str, Any] = {
        "eventId": row["event_id"],
        "integrationId": row["integration_id"],
        "receivedTime": from_us(row["received_us"]),
        "action": row["action"],
        "status": row["status"],
        "attempts": row["attempts"],
        "outcome": loads(row["outcome"]) or [],
        "payload": payload if len(payload) <= PAYLOAD_SHOWN else payload[:PAYLOAD_SHOWN] + "…",
        "payloadSize": len(payload),
    }
    if row["error"]:
        out["error"] = row["error"]
    if row["target"]:
        out["target"] = row["target"]
    return out


class ListIntakeEventsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    integrationId: str | None = Field(default=None, pattern=r"^[a-z0-9]{1,40}$")
    status: str | None = Field(default=None, pattern=r"^(received|processed|failed)$")
    maxResults: int | None = Field(default=None, ge=1, le=100)
    nextToken: str | None = Field(default=None, max_length=2000)


@operation("ListIntakeEvents", service=OWN_SERVICE, readonly=True, request=ListIntakeEventsRequest)
async def list_intake_events(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """List the intake log, newest first: each payload with its outcome or its error."""
    where, args = ["id < ?"], [((pagination.decode(req.get("nextToken"), scope="intake") or {}).get("i", 2**62))]
    if req.get("integrationId"):
        where.append("integration_id = ?")
        args.append(req["integrationId"])
    if req.get("status"):
        where.append("status = ?")
        args.append(req["status"])
    limit = pagination.page_size(req.get("maxResults"))
    rows = await ctx.tx.fetchall(
        f"SELECT * FROM intake_events WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?", [*args, limit + 1]
    )
    out: dict[str, Any] = {"intakeEvents": [event_view(r) for r in rows[:limit]]}
    if len(rows) > limit:
        out["nextToken"] = pagination.encode({"s": "intake", "i": rows[limit - 1]["id"]})
    return out


class ReplayIntakeEventRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    eventId: str = Field(min_length=1, max_length=64)


@operation("ReplayIntakeEvent", service=OWN_SERVICE, request=ReplayIntakeEventRequest)
async def replay_intake_event(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """Run a logged payload again (after a failure, or to start its incident anew)."""
    row = await ctx.tx.fetchone("SELECT * FROM intake_events WHERE event_id = ?", (req["eventId"],))
    if row is None:
        raise ResourceNotFoundException(f"intake event {req['eventId']!r} does not exist", "INTAKE_EVENT",
                                        req["eventId"])
    integration = await load_integration(ctx, row["integration_id"])
    item = Received(integration, row["action"], loads(row["payload"]), target=row["target"],
                    source_ip=ctx.source_ip, event_id=row["event_id"])
    outcome = await _process(ctx.core, ctx.tx, item, row["id"])
    _received(ctx, integration)
    ctx.resource_arn = integration.arn
    out: dict[str, Any] = {"eventId": outcome.event_id, "status": outcome.status, "outcome": outcome.results}
    if outcome.error:
        out["error"] = outcome.error
    return out
