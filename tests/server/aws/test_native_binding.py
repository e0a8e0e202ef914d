"""The native binding, POST /v1/{Operation}: the operation's dict in, Client.call's dict out
(timestamps as ISO 8601), errors as {"__type", "message", "fields"} with the matching status."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest


@pytest.fixture
def native(site, replication_set):
    with httpx.Client(base_url=site.url, headers=site.keys["admin"].bearer) as http:
        yield http


def test_an_operation_round_trip(native):
    plan = native.post("/v1/CreateResponsePlan", json={"name": "native", "incidentTemplate": {"title": "Native", "impact": 4}})
    assert plan.status_code == 200, plan.text
    started = native.post("/v1/StartIncident", json={"responsePlanArn": plan.json()["arn"], "title": "from curl"})
    record = native.post("/v1/GetIncidentRecord", json={"arn": started.json()["incidentRecordArn"]}).json()["incidentRecord"]
    assert record["title"] == "from curl" and record["impact"] == 4
    assert datetime.fromisoformat(record["creationTime"]).utcoffset().total_seconds() == 0
    assert native.post("/v1/ssm-incidents:ListTagsForResource", json={"resourceArn": plan.json()["arn"]}).json() == {"tags": {}}
    assert "x-amzn-RequestId" in started.headers


def test_a_validation_error_names_the_fields(native):
    response = native.post("/v1/StartIncident", json={"responsePlanArn": "arn:aws:ssm-incidents::1:response-plan/x", "impact": 9})
    assert response.status_code == 400 and response.headers["x-amzn-ErrorType"] == "ValidationException"
    body = response.json()
    assert body["__type"] == "ValidationException" and "impact" in body["message"]
    assert {"name": "impact", "message": "value 9 must be at most 5"} in body["fields"]


def test_not_found_unknown_and_malformed(native):
    missing = native.post("/v1/GetResponsePlan", json={"arn": "arn:aws:ssm-incidents::123456789012:response-plan/none"})
    assert missing.status_code == 404 and missing.json()["__type"] == "ResourceNotFoundException"
    unknown = native.post("/v1/LaunchRocket", json={})
    assert unknown.status_code == 400 and "unknown operation 'LaunchRocket'" in unknown.json()["message"]
    for body in (b"{not json", b"[1, 2]", b"\xff\xfe"):
        bad = native.post("/v1/ListResponsePlans", content=body)
        assert bad.status_code == 400 and bad.json()["__type"] == "SerializationException", body
    wrong_method = native.get("/v1/ListResponsePlans")
    assert wrong_method.status_code == 405 and wrong_method.json()["__type"]
    nowhere = native.post("/nowhere", json={})
    assert nowhere.status_code == 404 and nowhere.json()["__type"] == "UnknownOperationException"
    target = native.post("/", json={}, headers={"X-Amz-Target": "SSMContacts.LaunchRocket"})
    assert target.status_code == 400 and target.json()["__type"] == "UnknownOperationException"


def test_calls_are_audited_with_who_and_from_where(native, site):
    native.post("/v1/ListResponsePlans", json={})
    events = native.post("/v1/LookupAuditEvents", json={"operation": "ListResponsePlans"}).json()["events"]
    latest = events[0]
    assert latest["principal"].endswith(":user/admin")
    assert latest["origin"] == "native"
    assert latest["accessKeyId"] == site.keys["admin"].access_key_id and latest["sourceIp"] == "127.0.0.1"
    site.client("ssm-contacts", role="readonly").list_contacts()
    via_aws = native.post("/v1/LookupAuditEvents", json={"operation": "ListContacts"}).json()["events"][0]
    assert via_aws["origin"] == "aws" and via_aws["accessKeyId"] == site.keys["readonly"].access_key_id
    assert via_aws["principal"].endswith(":user/readonly") and via_aws["sourceIp"] == "127.0.0.1"
