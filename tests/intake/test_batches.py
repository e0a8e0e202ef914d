"""Payloads arriving together are acted on together (core.ops.intake): one transaction for the
batch, each payload with its own outcome; a payload whose logging fails is undone alone; the
cockpit hears "received" once per integration per batch; a sender that gave up before its
batch began is not acted on."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import pytest

from core.intake.normalize import normalize
from core.model.events import INTEGRATION_CHANGED
from core.ops.intake import BATCH_ALERTS, BATCH_MAX, Received, receive
from core.ops.integrations import Integration, find_integration
from tests.intake.conftest import PLAN

MAPPING = {"title": "/title", "dedupe": "/key"}


async def _integration(core, name: str, plan: str) -> Integration:
    made = await core.client().call("CreateIntegration", {"name": name, "type": "generic", "responsePlanArn": plan,
                                                           "mapping": MAPPING})
    found = await find_integration(core, made["integration"]["integrationId"])
    assert found is not None
    return found


def _item(core, integration: Integration, key: str, **extra: Any) -> Received:
    payload = {"title": f"alert {key}", "key": key}
    return Received(integration, "alert", payload, normalize("generic", integration.options, payload, core.clock.now()),
                    **extra)


async def _rows(core, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    async with core.db.transaction() as tx:
        return await tx.fetchall(sql, params)


async def _received_events(core) -> list[str]:
    rows = await _rows(core, "SELECT detail FROM event_log WHERE type = ? AND detail LIKE '%\"received\"%'",
                       (INTEGRATION_CHANGED,))
    return [r["detail"] for r in rows]


async def test_payloads_arriving_together_share_a_batch_each_with_its_outcome(core, ready):
    plan = ready[1]
    scripts = await _integration(core, "scripts", plan)
    gone = (await core.client().call("CreateResponsePlan", {**PLAN, "name": "gone"}))["arn"]
    broken = await _integration(core, "broken", gone)
    await core.client().call("DeleteResponsePlan", {"arn": gone})
    before = len(await _received_events(core))

    keys = ["a", "b", "a", "c", "b", "a"]
    items = [_item(core, scripts, key) for key in keys]
    items.insert(3, _item(core, broken, "z"))  # its plan is gone: it fails, the others do not
    outcomes = await asyncio.gather(*(receive(core, item) for item in items))

    actions = [(o.status, o.results[0]["action"] if o.results else o.error.split(":")[0]) for o in outcomes]
    assert actions == [("processed", "started"), ("processed", "started"), ("processed", "joined"),
                       ("failed", "ResourceNotFoundException"), ("processed", "started"),
                       ("processed", "joined"), ("processed", "joined")]
    incidents = await _rows(core, "SELECT dedupe_string FROM incidents ORDER BY id")
    assert [r["dedupe_string"] for r in incidents] == ["a", "b", "c"]
    logged = await _rows(core, "SELECT event_id, status FROM intake_events ORDER BY id")
    assert [(r["event_id"], r["status"]) for r in logged] == [(o.event_id, o.status) for o in outcomes]
    # one batch: one "received" per integration, not one per payload
    assert len(await _received_events(core)) - before == 2


async def test_a_batch_holds_at_most_batch_max_and_the_rest_follow(core, ready):
    scripts = await _integration(core, "scripts", ready[1])
    before = len(await _received_events(core))
    items = [_item(core, scripts, f"k{i % 5}") for i in range(BATCH_MAX + 6)]
    async with asyncio.timeout(60):  # a payload left behind would wait forever: fail instead
        outcomes = await asyncio.gather(*(receive(core, item) for item in items))
    assert {o.status for o in outcomes} == {"processed"}
    assert [o.event_id for o in outcomes] == [i.event_id for i in items]
    assert len(await _received_events(core)) - before == 2  # 64, then the 6 queued behind them


async def test_a_batch_takes_on_at_most_batch_alerts_alerts_unless_one_payload_holds_more(core, ready):
    scripts = await _integration(core, "scripts", ready[1])
    before = len(await _received_events(core))
    sizes = [BATCH_ALERTS + 100, 300, 1, 1, 300]  # batches: [600], [300, 1, 1], [300]
    items = []
    for n, size in enumerate(sizes):
        item = _item(core, scripts, f"storm-{n}")
        item.alerts = item.alerts * size  # one payload of many alerts, each joining the first's incident
        items.append(item)
    async with asyncio.timeout(60):  # a payload never taken would wait forever: fail instead
        outcomes = await asyncio.gather(*(receive(core, item) for item in items))
    assert [(o.status, len(o.results)) for o in outcomes] == [("processed", size) for size in sizes]
    assert len(await _received_events(core)) - before == 3


async def test_a_payload_whose_logging_fails_is_undone_alone(core, ready):
    plan = ready[1]
    scripts = await _integration(core, "scripts", plan)
    first = _item(core, scripts, "first")
    clash = _item(core, scripts, "clash", event_id=first.event_id)  # the log's event ids are unique
    last = _item(core, scripts, "last")
    results = await asyncio.gather(*(receive(core, item) for item in (first, clash, last)), return_exceptions=True)

    assert isinstance(results[1], sqlite3.IntegrityError)
    assert [r.status for r in (results[0], results[2])] == ["processed", "processed"]
    incidents = await _rows(core, "SELECT dedupe_string FROM incidents ORDER BY id")
    assert [r["dedupe_string"] for r in incidents] == ["first", "last"]  # the clash's incident is undone
    logged = await _rows(core, "SELECT event_id FROM intake_events ORDER BY id")
    assert [r["event_id"] for r in logged] == [first.event_id, last.event_id]
    audited = await _rows(core, "SELECT params FROM audit WHERE operation = 'IntakePayload'")
    assert len(audited) == 2


async def test_a_sender_that_gave_up_before_its_batch_began_is_not_acted_on(core, ready):
    plan = ready[1]
    scripts = await _integration(core, "scripts", plan)
    async with core.db.transaction():  # the writer's turn is held: the batch waits for it
        gave_up = asyncio.ensure_future(receive(core, _item(core, scripts, "gave-up")))
        kept = asyncio.ensure_future(receive(core, _item(core, scripts, "kept")))
        await asyncio.sleep(0)  # one loop turn: both are queued and the batch waits for the turn
        gave_up.cancel()
    assert (await kept).status == "processed"
    with pytest.raises(asyncio.CancelledError):
        await gave_up
    incidents = await _rows(core, "SELECT dedupe_string FROM incidents")
    assert [r["dedupe_string"] for r in incidents] == ["kept"]
