"""RemoteClient against a real server on 127.0.0.1: the same answers and errors as
LocalClient, and an event stream that survives being refused (a disabled user) without losing
what happened meanwhile."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from core.client.remote import CoreUnreachableException
from core.errors import ConflictException, ResourceNotFoundException, ValidationException
from core.model import events as ev
from core.store import event_log

WAIT_S = 20.0  # a bound on waiting for an event, not a delay


async def test_answers_and_errors_match_the_local_client(served):
    local, remote = served.core.client(), served.remote("admin")
    try:
        plan = await local.call("CreateResponsePlan", {"name": "p", "incidentTemplate": {"title": "t", "impact": 3}})
        arn = (await remote.call("StartIncident", {"responsePlanArn": plan["arn"]}))["incidentRecordArn"]
        assert await remote.call("GetIncidentRecord", {"arn": arn}) == await local.call("GetIncidentRecord", {"arn": arn})
        users = (await remote.call("ListUsers", {}))["users"]
        assert isinstance(users[0]["createTime"], datetime) and users[0]["createTime"].tzinfo is not None
        for params, kind in (
            ({"arn": arn + "x"}, ResourceNotFoundException),
            ({"arn": "not an arn"}, ValidationException),
        ):
            with pytest.raises(kind) as from_local:
                await local.call("GetIncidentRecord", params)
            with pytest.raises(kind) as from_remote:
                await remote.call("GetIncidentRecord", params)
            assert from_remote.value.message == from_local.value.message
            assert getattr(from_remote.value, "fields", None) == getattr(from_local.value, "fields", None)
        with pytest.raises(ConflictException):
            await remote.call("CreateUser", {"userName": "admin", "role": "admin"})
    finally:
        await remote.aclose()


async def test_a_refused_stream_reconnects_and_replays(served, clock):
    admin = served.core.client()
    plan = await admin.call("CreateResponsePlan", {"name": "p", "incidentTemplate": {"title": "t", "impact": 3}})
    ann = served.remote("ann")
    ann.last_event_id = await event_log.last_id(served.core.db)  # resume from here, connected or not
    stream = ann.events()
    try:
        first = await admin.call("StartIncident", {"responsePlanArn": plan["arn"], "title": "one"})
        async with asyncio.timeout(WAIT_S):
            event = await anext(stream)
        assert event.resource_arn == first["incidentRecordArn"]

        await admin.call("UpdateUser", {"userName": "ann", "enabled": False})
        served.core.bus.close()  # the server ends open streams (as on restart); ann must reconnect
        async with asyncio.timeout(WAIT_S):
            lost = await anext(stream)  # the rest of "one", then the stream ends; the reconnect is refused
            while lost.type != ev.CONNECTION_LOST:
                assert lost.resource_arn == first["incidentRecordArn"]
                lost = await anext(stream)
        assert not ann.connected
        with pytest.raises(CoreUnreachableException, match="was not sent"):
            await ann.call("ListIncidentRecords", {})

        missed = await admin.call("StartIncident", {"responsePlanArn": plan["arn"], "title": "two"})
        await admin.call("UpdateUser", {"userName": "ann", "enabled": True})
        waiting = asyncio.ensure_future(anext(stream))
        while not waiting.done():  # the backoff sleeps on the fake clock: move it on
            await clock.advance(seconds=1)
            await asyncio.sleep(0)
        assert waiting.result().type == ev.CONNECTION_RESTORED and ann.connected
        async with asyncio.timeout(WAIT_S):
            replayed = await anext(stream)
            while not (replayed.type == ev.INCIDENT_STARTED and replayed.resource_arn == missed["incidentRecordArn"]):
                replayed = await anext(stream)
        assert replayed.seq > event.seq
    finally:
        await stream.aclose()
        await ann.aclose()
