"""The Opsgenie-compatible Alert API, driven with what Alertmanager's opsgenie_configs sends:
create, dedupe by alias, acknowledge, close, get, and the request status."""

from __future__ import annotations

from tests.intake import payloads


def _genie(made):
    return {"authorization": f"GenieKey {made['token']}", "content-type": "application/json"}


async def test_alertmanager_opsgenie_flow(intake):
    made = await intake.integration("opsgenie-move", "opsgenie", resolveOnRecovery=True)
    body = payloads.opsgenie_from_alertmanager()
    created = await intake.http.post("/v2/alerts", json=body, headers=_genie(made))
    assert created.status_code == 202, created.text
    answer = created.json()
    assert answer["result"] == "Request will be processed" and isinstance(answer["took"], float)
    status = await intake.http.get(f"/v2/alerts/requests/{answer['requestId']}", headers=_genie(made))
    data = status.json()["data"]
    assert (data["success"], data["action"], data["status"], data["alias"]) == (True, "Create", "Created alert",
                                                                                 body["alias"])
    alert_id = data["alertId"]

    again = await intake.http.post("/v2/alerts", json=body, headers=_genie(made))
    assert again.status_code == 202
    incidents = await intake.incidents()
    assert len(incidents) == 1
    record = await intake.record(incidents[0]["arn"])
    assert record["title"] == "[FIRING:1] HighLatency api (page)"
    assert record["impact"] == 2  # P2
    assert record["dedupeString"] == body["alias"]
    assert "Entity: api" in record["summary"] and "Tags: api, latency" in record["summary"]

    got = await intake.http.get(f"/v2/alerts/{body['alias']}?identifierType=alias", headers=_genie(made))
    assert got.status_code == 200
    alert = got.json()["data"]
    assert (alert["id"], alert["count"], alert["status"], alert["acknowledged"]) == (alert_id, 2, "open", False)
    by_tiny = await intake.http.get(f"/v2/alerts/{alert['tinyId']}?identifierType=tiny", headers=_genie(made))
    assert by_tiny.json()["data"]["id"] == alert_id

    ack = await intake.http.post(f"/v2/alerts/{alert_id}/acknowledge", json={"user": "ann", "note": "on it"},
                                 headers=_genie(made))
    assert ack.status_code == 202
    assert (await intake.http.get(f"/v2/alerts/{alert_id}", headers=_genie(made))).json()["data"]["acknowledged"]

    close = await intake.http.post(f"/v2/alerts/{body['alias']}/close?identifierType=alias",
                                   json={"source": "Alertmanager"}, headers=_genie(made))
    assert close.status_code == 202
    done = await intake.http.get(f"/v2/alerts/requests/{close.json()['requestId']}", headers=_genie(made))
    assert done.json()["data"]["status"] == "Closed"
    assert (await intake.record(incidents[0]["arn"]))["status"] == "RESOLVED"
    timeline = [e["eventType"] for e in await intake.timeline(incidents[0]["arn"])]
    assert timeline.count("SSM Incident Trigger") >= 3  # joined, acknowledged, closed

    # a new alert with the closed alias is a new alert, and a new incident
    reopened = await intake.http.post("/v2/alerts", json=body, headers=_genie(made))
    status = await intake.http.get(f"/v2/alerts/requests/{reopened.json()['requestId']}", headers=_genie(made))
    assert status.json()["data"]["alertId"] != alert_id
    assert len(await intake.incidents()) == 2


async def test_opsgenie_errors_in_opsgenie_shapes(intake):
    made = await intake.integration("opsgenie-move", "opsgenie")
    bad_key = await intake.http.post("/v2/alerts", json={"message": "x"},
                                     headers={"authorization": "GenieKey nope", "content-type": "application/json"})
    assert bad_key.status_code == 401
    assert "Could not authenticate" in bad_key.json()["message"] and "requestId" in bad_key.json()
    bad = await intake.http.post("/v2/alerts", json={"message": "x", "priority": "P9"}, headers=_genie(made))
    assert bad.status_code == 400 and "P1, P2, P3, P4, P5" in bad.json()["message"]
    missing = await intake.http.get("/v2/alerts/nope?identifierType=alias", headers=_genie(made))
    assert missing.status_code == 404 and missing.json()["message"] == "Alert does not exist"
    wrong_type = await intake.http.get("/v2/alerts/x?identifierType=name", headers=_genie(made))
    assert wrong_type.status_code == 400 and "identifierType must be id, alias or tiny" in wrong_type.json()["message"]
    # closing an alert that does not exist is accepted, and its request status says why it failed
    close = await intake.http.post("/v2/alerts/ghost/close?identifierType=alias", json={}, headers=_genie(made))
    assert close.status_code == 202
    status = await intake.http.get(f"/v2/alerts/requests/{close.json()['requestId']}", headers=_genie(made))
    assert status.json()["data"]["success"] is False
    assert "no alert with alias 'ghost'" in status.json()["data"]["status"]
    assert await intake.incidents() == []


async def test_a_rotated_token_stops_working_at_once(intake):
    made = await intake.integration("opsgenie-move", "opsgenie")
    body = payloads.opsgenie_from_alertmanager()
    assert (await intake.http.post("/v2/alerts", json=body, headers=_genie(made))).status_code == 202
    assert (await intake.post(made, body)).status_code == 202  # the same token on /intake/{id}
    rotated = await intake.core.client().call(
        "RotateIntegrationToken", {"integrationId": made["integration"]["integrationId"]})
    assert rotated["token"] != made["token"] and rotated["path"] == made["path"]
    assert (await intake.http.post("/v2/alerts", json=body, headers=_genie(made))).status_code == 401
    assert (await intake.post(made, body)).status_code == 401
    new = {**made, "token": rotated["token"]}
    assert (await intake.http.post("/v2/alerts", json=body, headers=_genie(new))).status_code == 202
    await intake.core.client().call("DeleteIntegration", {"integrationId": made["integration"]["integrationId"]})
    gone = await intake.post(new, body)
    assert gone.status_code == 404 and "no integration" in gone.json()["message"]


async def test_grafanas_opsgenie_contact_point(intake):
    made = await intake.integration("grafana-opsgenie", "opsgenie", resolveOnRecovery=True)
    body = payloads.opsgenie_from_grafana()
    created = await intake.http.post("/v2/alerts", json=body, headers=_genie(made))
    assert created.status_code == 202, created.text
    (incident,) = await intake.incidents()
    record = await intake.record(incident["arn"])
    assert (record["title"], record["impact"]) == ("[FIRING:1] DiskFull (db-1)", 1)
    assert "Tags: alertname:DiskFull, host:db-1" in record["summary"]
    closed = await intake.http.post(f"/v2/alerts/{body['alias']}/close?identifierType=alias",
                                    json={"source": "Grafana"}, headers=_genie(made))
    assert closed.status_code == 202
    assert (await intake.record(incident["arn"]))["status"] == "RESOLVED"
