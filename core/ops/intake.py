"""The intake log and what an accepted payload does: start, join or resolve incidents.

Nothing is lost. ``receive`` writes the payload to ``intake_events`` and acts on it in the
same transaction, the action inside a savepoint: the row commits whatever the action does,
with its outcome (``processed``) or, when starting or updating the incident failed, its error
(``failed``). The HTTP binding answers 2xx only after that commit. ``ReplayIntakeEvent`` runs
a logged payload again; ``ListIntakeEvents`` shows the log.

Payloads arriving together are acted on together: ``receive`` queues the payload, and one task
per core takes every payload queued (up to ``BATCH_MAX`` payloads and ``BATCH_ALERTS`` alerts,
so a storm does not hold the writer's turn long) into ONE transaction once the store
gives it the writer's turn, each payload in its own savepoint (a payload whose logging fails
rolls back alone and its caller gets the error; the others commit). So concurrent senders
share one transaction, one fsync and one "received" event per integration, and a payload
queued while a batch commits goes into the next. Each caller still returns only after the
COMMIT that holds its payload.

``act_on_alert`` is the one place a normalized alert becomes an incident (start or join, by
its dedupe string) or a recovery; a later check (maintenance windows) plugs in there.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from pydantic import BaseModel, ConfigDict, Field

from core import arns
from core.engine.context import Context
from core.engine.timeline import add_event
from core.errors import (
    InternalServerException,
    ResourceNotFoundException,
    ServiceError,
    ValidationException,
)
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
BATCH_MAX = 64  # payloads acted on in one transaction: bounds a sender's wait and the WAL's growth
BATCH_ALERTS = 500  # alerts a batch takes on (more only as one payload's): bounds the writer's turn


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
    body: str | None = None  # the payload's JSON text as it came (the log keeps it), when it is the body


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
    text = alert.event_text or json.dumps(alert.event, separators=(",", ":"), default=str)
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
        if alert.event is item.payload and item.body is not None:
            alert.event_text = item.body  # the payload is the event: its text as it came
        result = await act_on_alert(ctx, item.integration, alert)
        if item.action == "opsgenie-create":
            await _track_alert(ctx, item.integration, alert, result)
        results.append(result)
    return results


def _acting(core: Core, tx: Tx, item: Received) -> Context:
    """The unit of work a payload is acted on in: the integration acts, from the sender's address."""
    return Context(core, tx, integration_principal(item.integration), "intake", item.source_ip)


async def _acted(ctx: Context, item: Received) -> tuple[list[dict[str, Any]], ServiceError | None]:
    """What the payload did, or the error that undid it (rolled back to ``intake_event``)."""
    error: ServiceError | None = None
    try:
        return await _act(ctx, item), None
    except PayloadError as exc:
        error = ValidationException(str(exc))
    except ServiceError as exc:
        error = exc
    except Exception as exc:
        log.exception("acting on intake event %s failed", item.event_id)
        error = ServiceError(f"the core failed to act on the payload: {type(exc).__name__}; see the core log")
    await ctx.tx.execute("ROLLBACK TO intake_event")
    ctx.discard_events()
    return [], error


async def _write_log(ctx: Context, item: Received, row_id: int | None, status: str, results: list[dict[str, Any]],
                     message: str | None) -> None:
    """The payload's row, with its outcome or its error: a new one, or (a replay) its own again."""
    if row_id is not None:
        await ctx.tx.execute(
            "UPDATE intake_events SET status = ?, outcome = ?, error = ?, attempts = attempts + 1, processed_us = ?"
            " WHERE id = ?",
            (status, dumps(results), message, to_us(ctx.now), row_id),
        )
        return
    await ctx.tx.execute(
        "INSERT INTO intake_events (event_id, integration_id, received_us, action, target, payload, status, outcome,"
        " error, attempts, processed_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
        (item.event_id, item.integration.id, to_us(ctx.now), item.action, item.target, _payload_text(item), status,
         dumps(results), message, to_us(ctx.now)),
    )


async def _process(ctx: Context, item: Received, row_id: int | None = None) -> Outcome:
    """Act on a payload inside a savepoint, then log it with the outcome or the error (a new
    row, or the logged row ``row_id`` a replay runs again). If the logging itself fails, the
    savepoint undoes the payload whole and the error is raised."""
    tx = ctx.tx
    await tx.execute("SAVEPOINT intake_event")
    try:
        results, error = await _acted(ctx, item)
        status = "failed" if error else "processed"
        message = f"{error.code}: {error.message}" if error else None
        await _write_log(ctx, item, row_id, status, results, message)
        incident = next((r["incidentArn"] for r in results if r.get("incidentArn")), None)
        await audit.record(
            tx, when=ctx.now, operation="IntakePayload", principal=ctx.principal, origin="intake",
            params={"integrationId": item.integration.id, "eventId": item.event_id, "action": item.action,
                    "alerts": [r.get("alert") for r in results if r.get("alert")][:20]},
            result=error.code if error else "OK", error_message=error.message if error else None,
            resource_arn=incident or item.integration.arn, source_ip=item.source_ip,
        )
    except Exception:
        ctx.discard_events()
        await tx.execute("ROLLBACK TO intake_event")
        await tx.execute("RELEASE intake_event")
        raise
    await tx.execute("RELEASE intake_event")
    return Outcome(item.event_id, status, results, message)


def _received(ctx: Context, integration: Integration) -> None:
    """The integration received payloads (the cockpit refreshes its log)."""
    ctx.emit(INTEGRATION_CHANGED, integration.arn, integrationId=integration.id, change="received")


def _payload_text(item: Received) -> str:
    """The payload as the log keeps it: the body as it came, when it is the payload."""
    return item.body if item.body is not None else json.dumps(item.payload, separators=(",", ":"))


async def _one_of_batch(core: Core, tx: Tx, item: Received) -> Outcome | Exception:
    """One payload of a batch: its outcome, or the error that undid it (the others stay)."""
    try:
        return await _process(_acting(core, tx, item), item)
    except Exception as exc:
        log.exception("logging intake event %s failed", item.event_id)
        return exc


Waiting = tuple[Received, asyncio.Future[Outcome]]


def _size(item: Received) -> int:
    """How many alerts a payload holds, for the batch's bound (one, if not normalized yet)."""
    return len(item.alerts) if item.alerts is not None else 1


class _Batches:
    """The payloads waiting to be acted on, and the one task acting on them, batch by batch
    (it holds the core only while it runs: the table of batches keeps no core alive)."""

    def __init__(self) -> None:
        self.waiting: list[Waiting] = []
        self.task: asyncio.Task[None] | None = None

    async def receive(self, core: Core, item: Received) -> Outcome:
        done: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self.waiting.append((item, done))
        if self.task is None:
            self.task = asyncio.ensure_future(self._run(core))
        return await done

    async def _run(self, core: Core) -> None:
        try:
            while self.waiting:
                await self._batch(core)
        finally:
            self.task = None

    def _take(self) -> list[Waiting]:
        """The next batch: the first payload waiting, and those after it while the batch holds
        at most BATCH_MAX payloads and BATCH_ALERTS alerts (the first may hold more alone)."""
        if not self.waiting:
            return []
        count, alerts = 1, _size(self.waiting[0][0])
        for item, _ in self.waiting[1:BATCH_MAX]:
            alerts += _size(item)
            if alerts > BATCH_ALERTS:
                break
            count += 1
        taken, self.waiting = self.waiting[:count], self.waiting[count:]
        return taken

    async def _batch(self, core: Core) -> None:
        batch: list[Waiting] = []
        try:
            async with core.db.transaction() as tx:
                # taken once the turn is ours: what queued while the last batch committed joins
                batch = [(item, done) for item, done in self._take() if not done.cancelled()]  # unanswered: not acted on
                outcomes = [await _one_of_batch(core, tx, item) for item, _ in batch]
                system = Context(core, tx, core.system_principal, "intake")
                for integration in {item.integration.id: item.integration for item, _ in batch}.values():
                    _received(system, integration)
        except BaseException as exc:
            if not batch:  # the transaction never began: fail what waits rather than retry forever
                batch, self.waiting = self.waiting, []
            error = exc if isinstance(exc, Exception) else InternalServerException(
                "the core stopped before the payload was committed; send it again")
            for _, done in batch:
                if not done.done():
                    done.set_exception(error)
            if not isinstance(exc, Exception):
                raise
            return
        for (_, done), outcome in zip(batch, outcomes, strict=True):
            if done.done():
                continue
            if isinstance(outcome, Exception):
                done.set_exception(outcome)
            else:
                done.set_result(outcome)


_batches: WeakKeyDictionary[Core, _Batches] = WeakKeyDictionary()


async def receive(core: Core, item: Received) -> Outcome:
    """Log an accepted payload and act on it; returns once both are committed."""
    batches = _batches.get(core)
    if batches is None:
        batches = _batches[core] = _Batches()
    return await batches.receive(core, item)


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
    outcome = await _process(_acting(ctx.core, ctx.tx, item), item, row["id"])
    _received(ctx, integration)
    ctx.resource_arn = integration.arn
    out: dict[str, Any] = {"eventId": outcome.event_id, "status": outcome.status, "outcome": outcome.results}
    if outcome.error:
        out["error"] = outcome.error
    return out
