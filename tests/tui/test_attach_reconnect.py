"""The cockpit under Pilot, attached to a live `cockpit serve` subprocess on 127.0.0.1: the
server is killed, a change is made while it is down, the server restarts on the same port,
and the cockpit shows "reconnecting", recovers, and has lost no event."""

from __future__ import annotations

import asyncio
import signal
from contextlib import asynccontextmanager
from datetime import timedelta

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.remote.attach import remote_opener
from cockpit.remote.credentials import Credentials
from core import open_core
from core.client.remote import CoreUnreachableException
from core.clock import SystemClock
from core.model import events as ev
from core.store import event_log
from tests.support.serve import ServeProcess, create_keys_async
from tests.tui.events import EventWatch
from tests.tui.helpers import press_binding, settle
from widgets.breadcrumbs import Breadcrumbs
from widgets.incident_tile import IncidentTile


async def _prepare(data_dir) -> str:
    async with open_core(data_dir) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        return (await client.call("CreateResponsePlan", {
            "name": "api", "incidentTemplate": {"title": "API is down", "impact": 3}}))["arn"]


async def _start_while_down(data_dir, plan: str, title: str) -> str:
    async with open_core(data_dir) as core:  # the data directory is free: the server is dead
        out = await core.client().call("StartIncident", {"responsePlanArn": plan, "title": title})
    return out["incidentRecordArn"]


@asynccontextmanager
async def _serving(data_dir, key, port=None):
    server = ServeProcess(data_dir, key, port=port)
    await asyncio.to_thread(server.start)
    try:
        yield server
    finally:
        await asyncio.to_thread(server.stop, signal.SIGKILL)


def _tiles(app) -> dict[str, str]:
    return {t.arn: t.incident_title for t in app.screen.query(IncidentTile)}


async def test_kill_restart_shows_reconnecting_and_loses_no_event(data_dir, settings) -> None:
    plan = await _prepare(data_dir)
    keys = await create_keys_async(data_dir)
    admin = keys["admin"]
    async with _serving(data_dir, admin) as first:
        creds = Credentials(first.url, admin.access_key_id, admin.secret)
        app = build_app(remote_opener(creds), settings, clock=SystemClock())
        async with app.run_test(size=(80, 24)) as pilot:  # a laptop terminal over SSH
            watch = EventWatch(app)
            await settle(pilot)
            header = app.screen.query_one(Breadcrumbs)
            assert header.status == "" and not header.has_class("-disconnected")
            before = (await app.client.call("StartIncident", {"responsePlanArn": plan, "title": "Before"}))
            await watch.until(lambda e: e.resource_arn == before["incidentRecordArn"])
            await settle(pilot)
            assert _tiles(app) == {before["incidentRecordArn"]: "Before"}

            await asyncio.to_thread(first.stop, signal.SIGKILL)
            await watch.until(lambda e: e.type == ev.CONNECTION_LOST)
            await settle(pilot)
            header = app.screen.query_one(Breadcrumbs)
            assert "reconnecting" in header.status and header.has_class("-disconnected")
            assert "reconnecting" in str(header.render())
            try:
                await app.client.call("ListIncidentRecords", {})
            except CoreUnreachableException as err:
                assert "was not sent" in err.message  # refused at once, never dropped silently
            else:
                raise AssertionError("a call while disconnected must fail")

            missed = await _start_while_down(data_dir, plan, "While you were away")
            async with _serving(data_dir, admin, port=first.port):
                await watch.until(lambda e: e.type == ev.CONNECTION_RESTORED)
                await watch.until(lambda e: e.resource_arn == missed and e.type == ev.INCIDENT_STARTED)
                await settle(pilot)
                header = app.screen.query_one(Breadcrumbs)
                assert header.status == "" and not header.has_class("-disconnected")
                shown = _tiles(app)
                assert shown[missed] == "While you were away"
                assert shown[before["incidentRecordArn"]] == "Before"
                after = await app.client.call("StartIncident", {"responsePlanArn": plan, "title": "After"})
                await watch.until(lambda e: e.resource_arn == after["incidentRecordArn"])
                records = (await app.client.call("ListIncidentRecords", {}))["incidentRecordSummaries"]
                started = [e.resource_arn for e in watch.seen if e.type == ev.INCIDENT_STARTED]
                assert sorted(started) == sorted(r["arn"] for r in records)  # every one, once
                seqs = [e.seq for e in watch.seen if e.type not in (ev.CONNECTION_LOST, ev.CONNECTION_RESTORED)]
                assert seqs == sorted(set(seqs))  # in order, none twice


async def _change_while_down_beyond_retention(data_dir, plan: str, renamed: str) -> str:
    """While the server is down: start an incident and rename another, then forget those
    events as a core a month later does (older than the log keeps): no replay can bring them."""
    async with open_core(data_dir) as core:
        client = core.client()
        missed = (await client.call("StartIncident", {"responsePlanArn": plan, "title": "While you were away"}))
        await client.call("UpdateIncidentRecord", {"arn": renamed, "title": "Before, renamed"})
        await event_log.prune(core.db, core.clock.now() + event_log.RETENTION + timedelta(days=1))
    return missed["incidentRecordArn"]


async def test_after_a_reconnect_the_screens_read_their_data_again(data_dir, settings) -> None:
    """Changes whose events are gone still show after the reconnect, without r: the screen on
    top reloads at once, the list under it when it is shown again."""
    plan = await _prepare(data_dir)
    admin = (await create_keys_async(data_dir, roles=("admin",)))["admin"]
    async with _serving(data_dir, admin) as first:
        creds = Credentials(first.url, admin.access_key_id, admin.secret)
        app = build_app(remote_opener(creds), settings, clock=SystemClock())
        async with app.run_test(size=(80, 24)) as pilot:
            watch = EventWatch(app)
            await settle(pilot)
            before = (await app.client.call("StartIncident", {"responsePlanArn": plan, "title": "Before"}))
            before_arn = before["incidentRecordArn"]
            await watch.until(lambda e: e.resource_arn == before_arn)
            await app.push_screen(IncidentDetailScreen(before_arn))
            await settle(pilot)
            detail = app.screen
            assert detail.record["title"] == "Before"

            await asyncio.to_thread(first.stop, signal.SIGKILL)
            await watch.until(lambda e: e.type == ev.CONNECTION_LOST)
            missed = await _change_while_down_beyond_retention(data_dir, plan, before_arn)
            async with _serving(data_dir, admin, port=first.port):
                await watch.until(lambda e: e.type == ev.CONNECTION_RESTORED)
                await settle(pilot)
                assert not [e for e in watch.seen if e.resource_arn == missed]  # no event brought it
                assert app.screen is detail and detail.record["title"] == "Before, renamed"
                await press_binding(pilot, "back")
                assert _tiles(app) == {before_arn: "Before, renamed", missed: "While you were away"}
