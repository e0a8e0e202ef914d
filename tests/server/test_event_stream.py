"""GET /v1/events over a real HTTP server: the durable log's ids, Last-Event-ID replay,
per-principal visibility, and no secret on any stream."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import httpx
import pytest
from httpx_sse import aconnect_sse

from core.engine.context import Context
from core.model import events as ev
from core.store import event_log


async def _start(client, title: str) -> str:
    return (await client.call("StartIncident", {"title": title, "impact": 3,
                                                "responsePlanArn": await _plan(client)}))["incidentRecordArn"]


async def _plan(client) -> str:
    plans = (await client.call("ListResponsePlans", {}))["responsePlanSummaries"]
    if plans:
        return plans[0]["arn"]
    plan = await client.call("CreateResponsePlan", {"name": "p", "incidentTemplate": {"title": "t", "impact": 3}})
    return plan["arn"]


async def _read_until(url, key, last_event_id, stop_title):
    """Frames of one stream (raw SSE), until an IncidentStarted for ``stop_title``."""
    headers = {"Authorization": f"Bearer {key[0]}:{key[1]}"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    frames = []
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        async with aconnect_sse(http, "GET", "/v1/events", headers=headers) as source:
            assert source.response.status_code == 200
            async for message in source.aiter_sse():
                if message.event == "ready":  # the first frame: where the stream starts
                    assert not frames
                    if last_event_id is not None:
                        assert json.loads(message.data) == {"lastEventId": last_event_id}
                    continue
                frames.append((int(message.id), message.event, json.loads(message.data), message.data))
                if message.event == ev.INCIDENT_STARTED and frames[-1][2]["detail"].get("title") == stop_title:
                    return frames
    raise AssertionError("the stream ended early")


async def test_events_are_logged_in_their_transaction_with_increasing_ids(core, ready):
    client, plan = ready
    before = await event_log.last_id(core.db)
    arn = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await client.call("UpdateIncidentRecord", {"arn": arn, "title": "changed"})
    logged = await event_log.since(core.db, before)
    types = [e.type for e in logged]
    assert types.index(ev.INCIDENT_STARTED) < types.index(ev.INCIDENT_UPDATED)
    assert [e.seq for e in logged] == sorted({e.seq for e in logged})
    assert all(e.resource_arn == arn for e in logged if e.type.startswith("Incident"))


async def test_a_rolled_back_change_logs_and_publishes_no_event(core):
    subscription = core.bus.subscribe(lambda e: e)
    before = await event_log.last_id(core.db)
    with pytest.raises(RuntimeError):
        async with core.db.transaction() as tx:
            Context(core, tx, core.admin).emit(ev.INCIDENT_UPDATED, "arn:x", title="never")
            raise RuntimeError("the change fails after emitting")
    async with core.db.transaction() as tx:
        Context(core, tx, core.admin).emit(ev.INCIDENT_UPDATED, "arn:y", title="kept")
    logged = await event_log.since(core.db, before)
    assert [e.detail["title"] for e in logged] == ["kept"]
    assert (await anext(subscription)).seq == logged[0].seq
    await subscription.aclose()


async def test_last_event_id_replays_exactly_what_was_missed(served):
    admin = served.core.client()
    first = await _start(admin, "one")
    mark = await event_log.last_id(served.core.db)
    await _start(admin, "two")
    await _start(admin, "three")
    frames = await _read_until(served.url, served.keys["admin"], mark, "three")
    titles = [f[2]["detail"].get("title") for f in frames if f[1] == ev.INCIDENT_STARTED]
    assert titles == ["two", "three"]  # not "one": it was before Last-Event-ID
    ids = [f[0] for f in frames]
    assert ids == sorted(set(ids)) and ids[0] > mark
    assert all(f[2]["resourceArn"] != first for f in frames)
    # from the very start, everything is replayed, in order
    frames = await _read_until(served.url, served.keys["admin"], 0, "three")
    assert [f[2]["detail"].get("title") for f in frames if f[1] == ev.INCIDENT_STARTED] == ["one", "two", "three"]


async def test_bad_last_event_id_and_no_credentials_are_refused(served):
    async with httpx.AsyncClient(base_url=served.url) as http:
        key_id, secret = served.keys["admin"]
        bad = await http.get("/v1/events", headers={"Authorization": f"Bearer {key_id}:{secret}", "Last-Event-ID": "x1"})
        assert bad.status_code == 400 and "Last-Event-ID" in bad.json()["message"]
        anonymous = await http.get("/v1/events")
        assert anonymous.status_code == 403
        wrong = await http.get("/v1/events", headers={"Authorization": f"Bearer {key_id}:not-the-secret"})
        assert wrong.status_code == 403


async def test_a_readonly_stream_carries_no_secret_and_only_what_it_may_read(served):
    admin = served.core.client()
    await _start(admin, "visible")
    # things that involve secrets: a new user's key, a contact channel's address, an accept code
    made = await served.add_user("newbie", "responder")
    contact = await admin.call("CreateContact", {"Alias": "ann", "Type": "PERSONAL", "Plan": {"Stages": []}})
    await admin.call("CreateContactChannel", {
        "ContactId": contact["ContactArn"], "Name": "mail", "Type": "EMAIL",
        "DeliveryAddress": {"SimpleAddress": "ann.secret.address@example.com"}})
    await _start(admin, "last")
    secrets = [made[1], "ann.secret.address@example.com", *(s for _, s in served.keys.values())]
    for who in ("rita", "admin"):
        frames = await _read_until(served.url, served.keys[who], 0, "last")
        raw = "".join(f[3] for f in frames)
        assert "visible" in raw  # the stream is not empty: the incidents are there
        for secret in secrets:
            assert secret not in raw, f"{who}'s stream carried a secret"
        user_events = [f for f in frames if f[1] == ev.USER_CHANGED]
        assert bool(user_events) == (who == "admin")  # only an admin sees users change


async def test_a_fresh_stream_starts_at_the_logs_end_not_its_beginning(served):
    await _start(served.core.client(), "old")
    end = await event_log.last_id(served.core.db)
    key_id, secret = served.keys["admin"]
    async with httpx.AsyncClient(base_url=served.url, timeout=10) as http:
        async with aconnect_sse(http, "GET", "/v1/events", headers={"Authorization": f"Bearer {key_id}:{secret}"}) as source:
            first = await anext(source.aiter_sse())
    assert first.event == "ready" and json.loads(first.data) == {"lastEventId": end}  # a reconnect resumes here


async def test_a_client_older_than_the_log_is_told_what_it_missed(served, clock):
    admin = served.core.client()
    await _start(admin, "forgotten")
    await event_log.prune(served.core.db, clock.now() + event_log.RETENTION + timedelta(days=1))
    await _start(admin, "kept")
    ann = served.remote("ann")
    ann.last_event_id = 1  # a cockpit that was away for longer than the log keeps events
    stream = ann.events()
    try:
        async with asyncio.timeout(20):
            first = await anext(stream)
            second = await anext(stream)
    finally:
        await stream.aclose()
        await ann.aclose()
    assert first.type == ev.EVENTS_MISSED and first.detail["lastEventId"] == 1
    assert first.detail["oldestEventId"] > 2
    assert second.seq >= first.detail["oldestEventId"]  # then what the log still holds


async def test_the_log_forgets_old_events_as_it_grows(core, clock, monkeypatch):
    monkeypatch.setattr(event_log, "PRUNE_EVERY", 3)
    async with core.db.transaction() as tx:
        for _ in range(2):
            await event_log.append(tx, "Old", clock.now(), None, {})
    await clock.advance(days=31)
    async with core.db.transaction() as tx:
        for _ in range(2):  # the third event reaches the mark
            await event_log.append(tx, "New", clock.now(), None, {})
    assert [e.type for e in await event_log.since(core.db, 0)] == ["New", "New"]


async def test_a_client_ahead_of_the_log_is_told_and_resumes_from_its_end(served):
    admin = served.core.client()
    await _start(admin, "before")
    end = await event_log.last_id(served.core.db)
    ann = served.remote("ann")
    ann.last_event_id = end + 1000  # seen by a database that was since restored from a replica
    stream = ann.events()
    try:
        async with asyncio.timeout(20):
            first = await anext(stream)
            arn = await _start(admin, "after")
            later = await anext(stream)
            while later.resource_arn != arn:
                later = await anext(stream)
    finally:
        await stream.aclose()
        await ann.aclose()
    assert first.type == ev.EVENTS_MISSED and first.detail["lastEventId"] == end + 1000
    assert later.seq > end  # new changes still reach it
