"""Heartbeat pings over real HTTP on 127.0.0.1 (the server app under uvicorn, on the fake
clock): our /intake route and Opsgenie's /v2 route, wrong and missing tokens refused and
audited, a miss recovered by a ping."""

from __future__ import annotations

import httpx
import pytest

from core.server.app import build_server_app
from tests.heartbeats.conftest import engaged, timeline
from tests.intake.payloads import alertmanager
from tests.support.http_server import LocalHTTPServer


@pytest.fixture
async def served(paged, core):
    client, plan, dana = paged
    made = await client.call(
        "CreateHeartbeat", {"name": "billing-cron", "intervalSeconds": 300, "responsePlanArn": plan, "impact": 2}
    )
    async with LocalHTTPServer(build_server_app(core)) as server, httpx.AsyncClient(base_url=server.url) as http:
        yield client, http, made["token"], plan, dana


async def _state(client) -> dict:
    return (await client.call("GetHeartbeat", {"name": "billing-cron"}))["heartbeat"]


async def test_get_and_post_pings_with_the_token_in_a_header_or_the_query(served, clock):
    client, http, token, _, _ = served
    got = await http.get("/intake/heartbeats/billing-cron/ping", params={"token": token})
    assert got.status_code == 200, got.text
    assert got.json()["state"] == "OK"
    await clock.advance(minutes=4)
    posted = await http.post("/intake/heartbeats/billing-cron/ping", headers={"Authorization": f"Bearer {token}"})
    assert posted.status_code == 200
    assert (await _state(client))["lastPingTime"] == clock.now()


async def test_a_miss_then_an_opsgenie_ping_recovers_and_resolves(served, clock):
    client, http, token, _, dana = served
    await clock.advance(minutes=5, seconds=1)
    incident = (await _state(client))["incidentArn"]
    assert await engaged(client, incident) == [dana]
    pong = await http.get("/v2/heartbeats/billing-cron/ping", headers={"Authorization": f"GenieKey {token}"})
    assert pong.status_code == 202, pong.text
    body = pong.json()
    assert body["result"] == "PONG - Heartbeat received" and body["requestId"] and "took" in body
    record = (await client.call("GetIncidentRecord", {"arn": incident}))["incidentRecord"]
    assert record["status"] == "RESOLVED"


async def test_an_opsgenie_integrations_genie_key_pings_too(served):
    client, http, _, plan, _ = served
    made = await client.call("CreateIntegration", {"name": "og", "type": "opsgenie", "responsePlanArn": plan})
    pong = await http.post("/v2/heartbeats/billing-cron/ping", headers={"Authorization": f"GenieKey {made['token']}"})
    assert pong.status_code == 202, pong.text
    missing = await http.post("/v2/heartbeats/nope/ping", headers={"Authorization": f"GenieKey {made['token']}"})
    assert missing.status_code == 404 and "nope" in missing.json()["message"]
    generic = await client.call("CreateIntegration", {"name": "am", "type": "alertmanager", "responsePlanArn": plan})
    refused = await http.post("/v2/heartbeats/billing-cron/ping", headers={"Authorization": f"GenieKey {generic['token']}"})
    assert refused.status_code == 401


@pytest.mark.parametrize(
    ("path", "headers", "params", "words"),
    [
        ("/intake/heartbeats/billing-cron/ping", {}, {}, "no heartbeat token"),
        ("/intake/heartbeats/billing-cron/ping", {"Authorization": "Bearer wrong"}, {}, "not heartbeat 'billing-cron'"),
        ("/intake/heartbeats/billing-cron/ping", {}, {"token": "wrong"}, "not heartbeat"),
        ("/intake/heartbeats/other/ping", {}, {"token": "wrong"}, "not heartbeat 'other'"),
        ("/v2/heartbeats/billing-cron/ping", {}, {}, "GenieKey"),
        ("/v2/heartbeats/billing-cron/ping", {"Authorization": "GenieKey wrong"}, {}, "not heartbeat"),
    ],
)
async def test_wrong_or_missing_tokens_are_refused_and_audited(served, path, headers, params, words):
    client, http, token, _, _ = served
    answer = await http.post(path, headers=headers, params=params)
    assert answer.status_code == 401, answer.text
    assert words in answer.json()["message"]
    assert token not in answer.text
    assert (await _state(client))["state"] == "WAITING"  # no ping was recorded
    audit = (await client.call("LookupAuditEvents", {}))["events"]
    assert any(e.get("result") == "InvalidTokenException" for e in audit)


async def test_the_heartbeat_token_pings_only_its_own_heartbeat(served, paged):
    client, http, token, plan, _ = served
    await client.call("CreateHeartbeat", {"name": "other", "intervalSeconds": 60, "responsePlanArn": plan, "impact": 4})
    answer = await http.post("/intake/heartbeats/other/ping", params={"token": token})
    assert answer.status_code == 401
    assert (await client.call("GetHeartbeat", {"name": "other"}))["heartbeat"]["state"] == "WAITING"


async def test_alerts_posted_to_an_integration_in_a_window_are_logged_and_start_a_held_incident(served, clock):
    client, http, _, plan, dana = served
    made = await client.call("CreateIntegration", {"name": "am", "type": "alertmanager", "responsePlanArn": plan})
    await client.call("CreateMaintenanceWindow", {
        "name": "k8s-upgrade", "timeZone": "Europe/Berlin", "start": "2026-03-02T10:00", "end": "2026-03-02T11:00",
        "targets": [made["integration"]["integrationArn"]]})
    posted = await http.post(made["path"], json=alertmanager(), headers={"Authorization": f"Bearer {made['token']}"})
    assert posted.status_code == 202, posted.text
    again = await http.post(made["path"], json=alertmanager(), headers={"Authorization": f"Bearer {made['token']}"})
    assert again.status_code == 202
    events = (await client.call("ListIntakeEvents", {"integrationId": made["integration"]["integrationId"]}))
    assert len(events["intakeEvents"]) == 2
    [incident] = (await client.call("ListIncidentRecords", {}))["incidentRecordSummaries"]
    assert await engaged(client, incident["arn"]) == []
    assert any("k8s-upgrade held this incident's pages back" in t for t in await timeline(client, incident["arn"]))
    await clock.advance(hours=1)  # 11:00 in Berlin
    assert await engaged(client, incident["arn"]) == [dana]
