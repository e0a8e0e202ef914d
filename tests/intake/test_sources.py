"""Each source's published format, posted over HTTP to a served core: what incidents start,
join and resolve, with their trigger details, timelines and related items."""

from __future__ import annotations

import json

from tests.intake import payloads
from tests.intake.sns_signer import ALARM_ARN, TOPIC


async def _events(intake, arn):
    out = []
    for summary in await intake.timeline(arn):
        event = await intake.core.client().call(
            "GetTimelineEvent", {"incidentRecordArn": arn, "eventId": summary["eventId"]})
        out.append(event["event"])
    return out


async def test_alertmanager_firing_starts_one_incident_per_group_and_resolved_resolves(intake):
    made = await intake.integration("prometheus", "alertmanager", resolveOnRecovery=True)
    first = await intake.post(made, payloads.alertmanager(alerts=2))
    assert first.status_code == 202, first.text
    assert first.json()["outcome"][0]["action"] == "started"
    again = await intake.post(made, payloads.alertmanager(alerts=3, offset=2))
    assert again.json()["outcome"][0]["action"] == "joined"
    other = await intake.post(made, payloads.alertmanager(group="DiskFull"))
    assert other.json()["outcome"][0]["action"] == "started"
    incidents = await intake.incidents()
    assert len(incidents) == 2
    arn = first.json()["outcome"][0]["incidentArn"]
    record = await intake.record(arn)
    assert record["title"] == "HighLatency: p99 latency above 1s"
    assert record["impact"] == 3  # the plan's
    assert record["incidentRecordSource"] == {
        "createdBy": made["integration"]["integrationArn"], "source": "alertmanager",
        "resourceArn": made["integration"]["integrationArn"],
    }
    related = (await intake.core.client().call("ListRelatedItems", {"incidentRecordArn": arn}))["relatedItems"]
    assert [item["identifier"]["value"]["url"] for item in related] == [
        "http://prometheus.example:9090/graph?g0.expr=latency_HighLatency"]
    created = [e for e in await _events(intake, arn) if e["eventType"] == "SSM Incident Record Created"][0]
    data = json.loads(created["eventData"])
    assert data["trigger"]["integration"] == "prometheus" and data["trigger"]["alert"] == "HighLatency"
    assert json.loads(data["trigger"]["rawData"])["groupKey"].endswith('{alertname="HighLatency"}')

    resolved = await intake.post(made, payloads.alertmanager("resolved"))
    assert resolved.json()["outcome"][0]["action"] == "resolved"
    assert (await intake.record(arn))["status"] == "RESOLVED"
    texts = [e["eventData"] for e in await _events(intake, arn)]
    assert any('"recovered":true' in t and '"integration":"prometheus"' in t for t in texts)


async def test_alertmanager_by_fingerprint_and_resolved_without_resolving(intake):
    made = await intake.integration("per-alert", "alertmanager", dedupeBy="fingerprint")
    answer = await intake.post(made, payloads.alertmanager(alerts=3))
    assert [o["action"] for o in answer.json()["outcome"]] == ["started"] * 3
    arn = answer.json()["outcome"][0]["incidentArn"]
    back = await intake.post(made, payloads.alertmanager("resolved", alerts=1))
    assert back.json()["outcome"] == [{"alert": "HighLatency", "action": "recovered", "incidentArn": arn}]
    assert (await intake.record(arn))["status"] == "OPEN"


async def test_grafana_links_generator_dashboard_and_panel(intake):
    made = await intake.integration("grafana", "grafana")
    answer = await intake.post(made, payloads.grafana())
    assert answer.status_code == 202, answer.text
    arn = answer.json()["outcome"][0]["incidentArn"]
    record = await intake.record(arn)
    assert record["title"] == "[FIRING:1] DiskFull (db-1)"
    assert record["summary"].startswith("**Firing**")
    related = (await intake.core.client().call("ListRelatedItems", {"incidentRecordArn": arn}))["relatedItems"]
    assert {(i["title"], i["identifier"]["value"]["url"]) for i in related} == {
        ("Alert source", "https://grafana.example/alerting/grafana/abc/view"),
        ("Dashboard", "https://grafana.example/d/disk"),
        ("Panel", "https://grafana.example/d/disk?viewPanel=2"),
    }


async def test_sns_subscription_is_confirmed_and_signed_alarm_and_ok_work(intake):
    made = await intake.integration("cloudwatch", "cloudwatch-sns", resolveOnRecovery=True)
    confirm = await intake.post(made, intake.sns.subscription(), content_type="text/plain; charset=UTF-8",
                                query_token=True)
    assert confirm.status_code == 202, confirm.text
    assert confirm.json()["outcome"][0]["action"] == "subscription-confirmed"
    assert intake.sns.confirmed == ["abc"]
    assert await intake.incidents() == []

    alarm = await intake.post(made, intake.sns.alarm("ALARM", "1"), content_type="text/plain; charset=UTF-8",
                              query_token=True)
    assert alarm.status_code == 202, alarm.text
    arn = alarm.json()["outcome"][0]["incidentArn"]
    record = await intake.record(arn)
    assert record["dedupeString"] == ALARM_ARN
    assert record["impact"] == 3 and record["incidentRecordSource"]["source"] == "aws.cloudwatch"
    again = await intake.post(made, intake.sns.alarm("ALARM", "2"), content_type="text/plain", query_token=True)
    assert again.json()["outcome"][0] == {"alert": "api-5xx", "action": "joined", "incidentArn": arn}

    ok = await intake.post(made, intake.sns.alarm("OK", "2"), content_type="text/plain", query_token=True)
    assert ok.json()["outcome"][0]["action"] == "resolved"
    assert (await intake.record(arn))["status"] == "RESOLVED"
    log = (await intake.core.client().call("ListIntakeEvents", {"integrationId": made["integration"]["integrationId"]}))
    assert [e["action"] for e in log["intakeEvents"]] == ["alert", "alert", "alert", "sns-subscription"]
    assert json.loads(log["intakeEvents"][0]["payload"])["TopicArn"] == TOPIC


async def test_a_wrong_sns_signature_is_refused(intake):
    made = await intake.integration("cloudwatch", "cloudwatch-sns")
    message = intake.sns.alarm("ALARM")
    message["Message"] = message["Message"].replace("api-5xx", "api-4xx")
    answer = await intake.post(made, message, content_type="text/plain", query_token=True)
    assert answer.status_code == 403
    assert answer.json() == {"__type": "InvalidSignatureException",
                             "message": "the SNS signature does not match the message"}
    assert await intake.incidents() == []


async def test_security_hub_finding_routes_by_pattern_with_severity_impact(intake):
    other = await intake.core.client().call("CreateResponsePlan", {
        "name": "security", "incidentTemplate": {"title": "Security", "impact": 4}})
    routing = {"rules": [{"pattern": {"source": ["aws.securityhub"],
                                      "detail": {"findings": {"Severity": {"Label": ["CRITICAL", "HIGH"]}}}},
                          "responsePlanArn": other["arn"]}],
               "defaultResponsePlanArn": intake.plan}
    made = await intake.integration("events", "eventbridge", routing=routing, resolveOnRecovery=True)
    answer = await intake.post(made, payloads.security_hub_finding("CRITICAL"))
    assert answer.status_code == 202, answer.text
    arn = answer.json()["outcome"][0]["incidentArn"]
    record = await intake.record(arn)
    assert arn.split("/")[1] == "security"
    assert record["impact"] == 1
    assert record["title"].startswith("Security Hub: EC2 instance i-0abc")
    low = await intake.post(made, {**payloads.security_hub_finding("LOW"), "id": "other"} | {
        "detail": {"findings": [{**payloads.security_hub_finding("LOW")["detail"]["findings"][0], "Id": "f2"}]}})
    assert low.json()["outcome"][0]["incidentArn"].split("/")[1] == "api-outage"  # the default
    done = await intake.post(made, payloads.security_hub_finding("CRITICAL", workflow="RESOLVED"))
    assert done.json()["outcome"][0]["action"] == "resolved"


async def test_generic_json_by_pointer(intake):
    mapping = {"title": "/alert/name", "impact": "/alert/sev", "dedupe": "/alert/id", "description": "/text",
               "resolve": {"pointer": "/state", "equals": "ok"}}
    made = await intake.integration("script", "generic", mapping=mapping, resolveOnRecovery=True)
    body = {"alert": {"name": "Backups failing", "sev": "2", "id": "backup-1"}, "text": "3 nights", "state": "bad"}
    answer = await intake.post(made, body)
    assert answer.status_code == 202, answer.text
    arn = answer.json()["outcome"][0]["incidentArn"]
    record = await intake.record(arn)
    assert (record["title"], record["impact"], record["summary"], record["dedupeString"]) == (
        "Backups failing", 2, "3 nights", "backup-1")
    done = await intake.post(made, {**body, "state": "ok"})
    assert done.json()["outcome"][0]["action"] == "resolved"


async def test_a_failure_to_start_stays_in_the_log_and_replay_runs_it_again(intake):
    made = await intake.integration("prometheus", "alertmanager")
    await intake.core.client().call("DeleteResponsePlan", {"arn": intake.plan})
    answer = await intake.post(made, payloads.alertmanager())
    assert answer.status_code == 202
    assert answer.json()["status"] == "failed"
    assert "ResourceNotFoundException" in answer.json()["error"]
    assert await intake.incidents() == []
    event_id = answer.json()["eventId"]
    log = await intake.core.client().call("ListIntakeEvents", {"status": "failed"})
    assert [e["eventId"] for e in log["intakeEvents"]] == [event_id]

    from tests.intake.conftest import PLAN
    await intake.core.client().call("CreateResponsePlan", PLAN)
    replayed = await intake.core.client().call("ReplayIntakeEvent", {"eventId": event_id})
    assert replayed["status"] == "processed" and replayed["outcome"][0]["action"] == "started"
    assert len(await intake.incidents()) == 1
    log = await intake.core.client().call("ListIntakeEvents", {})
    assert log["intakeEvents"][0]["attempts"] == 2 and "error" not in log["intakeEvents"][0]


async def test_the_log_and_the_trigger_keep_the_body_as_it_came(intake):
    made = await intake.integration("script", "generic", mapping={"title": "/title", "dedupe": "/key"})
    body = '{ "title" : "Disk full",\n  "key": "disk-1", "note": "caf\u00e9" }'.encode()
    answer = await intake.post(made, body)
    assert answer.status_code == 202, answer.text
    logged = (await intake.core.client().call("ListIntakeEvents", {}))["intakeEvents"][0]
    assert logged["payload"] == body.decode()  # not re-encoded: spacing, key order and text as sent
    arn = answer.json()["outcome"][0]["incidentArn"]
    created = [e for e in await _events(intake, arn) if e["eventType"] == "SSM Incident Record Created"][0]
    assert json.loads(created["eventData"])["trigger"]["rawData"] == body.decode()
    bom = b"\xef\xbb\xbf" + json.dumps({"title": "With a BOM", "key": "bom-1"}).encode()
    assert (await intake.post(made, bom)).status_code == 202  # kept as parsed JSON, so a replay reads it
    logged = (await intake.core.client().call("ListIntakeEvents", {}))["intakeEvents"][0]
    replayed = await intake.core.client().call("ReplayIntakeEvent", {"eventId": logged["eventId"]})
    assert json.loads(logged["payload"]) == {"title": "With a BOM", "key": "bom-1"}
    assert replayed["status"] == "processed"
