"""Real posts to a `cockpit serve` subprocess: integrations made with `cockpit integration
create --json`, every type's published payload, and nothing lost when the server is killed
right after its 2xx."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import httpx
import yaml

from core import open_core
from tests.intake import payloads
from tests.intake.sns_signer import FakeSNS
from tests.support.http_server import LocalHTTPServer
from tests.support.serve import ROOT, ServeProcess, create_keys_async

TYPES = ("alertmanager", "grafana", "eventbridge", "opsgenie", "generic", "cloudwatch-sns")


def _cli(data_dir, *args):
    done = subprocess.run([sys.executable, "-m", "cockpit.cli", "--data-dir", str(data_dir), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


async def _workspace(data_dir):
    (data_dir).mkdir(parents=True, exist_ok=True)
    (data_dir / "config.yaml").write_text(yaml.safe_dump({"intake": {"sns_cert_hosts": ["127.0.0.1"]}}))
    keys = await create_keys_async(data_dir, roles=("admin",))
    async with open_core(data_dir) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        plan = await client.call("CreateResponsePlan", {"name": "api", "incidentTemplate": {"title": "API", "impact": 2}})
    return keys["admin"], plan["arn"]


def _create(data_dir, name, kind, plan, *extra):
    out = _cli(data_dir, "integration", "create", name, "--type", kind, "--response-plan", plan, "--json", *extra)
    made = json.loads(out)
    assert set(made) == {"IntegrationId", "Token", "Path"} and made["Path"] == f"/intake/{made['IntegrationId']}"
    return made


async def _native(http, key, operation, params):
    answer = await http.post(f"/v1/{operation}", json=params, headers=key.bearer)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_every_type_posted_to_a_served_core(tmp_path):
    data_dir = tmp_path / "ws"
    key, plan = await _workspace(data_dir)
    made = {kind: _create(data_dir, f"src-{kind}", kind, plan,
                          *(("--mapping", '{"title": "/alert/name"}') if kind == "generic" else ()))
            for kind in TYPES}
    listed = _cli(data_dir, "integration", "list")
    assert all(f"src-{kind}" in listed and made[kind]["Path"] in listed for kind in TYPES)
    assert all(m["Token"] not in listed for m in made.values())
    sns = FakeSNS()
    async with LocalHTTPServer(sns.app) as sns_server:
        sns.url = sns_server.url
        with ServeProcess(data_dir, key) as server:
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
                bodies = {
                    "alertmanager": payloads.alertmanager(), "grafana": payloads.grafana(),
                    "eventbridge": payloads.security_hub_finding(), "opsgenie": payloads.opsgenie_from_alertmanager(),
                    "generic": {"alert": {"name": "Backups failing"}}, "cloudwatch-sns": sns.alarm("ALARM"),
                }
                confirm = await http.post(f"{made['cloudwatch-sns']['Path']}?token={made['cloudwatch-sns']['Token']}",
                                          content=json.dumps(sns.subscription()), headers={"content-type": "text/plain"})
                assert confirm.status_code == 202 and sns.confirmed == ["abc"], confirm.text
                wrong = sns.alarm("ALARM")
                wrong["Signature"] = sns.alarm("OK")["Signature"]
                refused = await http.post(f"{made['cloudwatch-sns']['Path']}?token={made['cloudwatch-sns']['Token']}",
                                          content=json.dumps(wrong), headers={"content-type": "text/plain"})
                assert refused.status_code == 403 and refused.json()["__type"] == "InvalidSignatureException"
                for kind in TYPES:
                    if kind == "opsgenie":
                        answer = await http.post("/v2/alerts", json=bodies[kind],
                                                 headers={"authorization": f"GenieKey {made[kind]['Token']}"})
                        assert answer.status_code == 202, answer.text
                        continue
                    answer = await http.post(
                        made[kind]["Path"], content=json.dumps(bodies[kind]),
                        headers={"authorization": f"Bearer {made[kind]['Token']}",
                                 "content-type": "text/plain" if kind == "cloudwatch-sns" else "application/json"})
                    assert answer.status_code == 202, (kind, answer.text)
                    assert answer.json()["outcome"][0]["action"] == "started", (kind, answer.text)
                ok = await http.post(f"{made['cloudwatch-sns']['Path']}?token={made['cloudwatch-sns']['Token']}",
                                     content=json.dumps(sns.alarm("OK", "2")), headers={"content-type": "text/plain"})
                assert ok.json()["outcome"][0]["action"] == "recovered"
                incidents = await _native(http, key, "ListIncidentRecords", {})
                assert len(incidents["incidentRecordSummaries"]) == len(TYPES)
                sources = {s["incidentRecordSource"]["source"] for s in incidents["incidentRecordSummaries"]}
                opsgenie_source = bodies["opsgenie"]["source"][:50]  # triggerDetails.source is at most 50
                assert sources == {"alertmanager", "grafana", "aws.securityhub", opsgenie_source, "generic",
                                   "aws.cloudwatch"}


async def test_nothing_is_lost_when_the_server_dies_right_after_its_2xx(tmp_path):
    data_dir = tmp_path / "ws"
    key, plan = await _workspace(data_dir)
    made = _create(data_dir, "prometheus", "alertmanager", plan)
    server = ServeProcess(data_dir, key).start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            answer = await http.post(made["Path"], json=payloads.alertmanager(),
                                     headers={"authorization": f"Bearer {made['Token']}"})
            server.proc.send_signal(signal.SIGKILL)  # right after the 2xx: no drain, no clean stop
            assert answer.status_code == 202
            event_id = answer.json()["eventId"]
        assert server.stop() == -signal.SIGKILL
    finally:
        server.__exit__(None, None, None)
    with ServeProcess(data_dir, key) as again:
        async with httpx.AsyncClient(base_url=again.url, timeout=30) as http:
            log = await _native(http, key, "ListIntakeEvents", {})
            assert [(e["eventId"], e["status"]) for e in log["intakeEvents"]] == [(event_id, "processed")]
            arn = log["intakeEvents"][0]["outcome"][0]["incidentArn"]
            record = await _native(http, key, "GetIncidentRecord", {"arn": arn})
            assert record["incidentRecord"]["status"] == "OPEN"
            assert record["incidentRecord"]["dedupeString"] == payloads.alertmanager()["groupKey"]
