"""Bad input, for every type: a clear 4xx naming what is wrong, no incident, nothing written
but the audit trail, and a count in /metrics. Repeated wrong tokens are rate limited."""

from __future__ import annotations

import json
import re

import pytest

from tests.intake import payloads
from tests.support.core_state import snapshot

MAPPING = {"title": "/alert/name"}
GOOD = {
    "alertmanager": lambda intake: payloads.alertmanager(),
    "grafana": lambda intake: payloads.grafana(),
    "eventbridge": lambda intake: payloads.security_hub_finding(),
    "generic": lambda intake: {"alert": {"name": "x"}},
    "opsgenie": lambda intake: payloads.opsgenie_from_alertmanager(),
    "cloudwatch-sns": lambda intake: intake.sns.alarm("ALARM"),
}
MISMATCH = {
    "alertmanager": ({"version": "4", "status": "firing", "alerts": []}, "the payload has no 'groupKey'"),
    "grafana": ({**payloads.grafana(), "status": "weird"}, "'status' must be 'firing' or 'resolved'"),
    "eventbridge": ({"id": "1", "source": "x", "time": "2026-03-02T09:00:00Z", "detail": {}},
                    "the payload has no 'detail-type'"),
    "generic": ({"alert": {"title": "x"}}, "the payload has no title at '/alert/name' (mapping.title)"),
    "opsgenie": ({"priority": "P1"}, "the payload has no 'message'"),
    "cloudwatch-sns": ({"Type": "Notification", "Message": "{}"}, "the SNS Notification has no 'MessageId' string"),
}


def _cases(kind):
    content_type = "text/plain" if kind == "cloudwatch-sns" else "application/json"
    return [
        ("malformed JSON", b'{"alerts": [', content_type, {}, 400, "InvalidPayloadException", "not valid JSON"),
        ("wrong content type", b"<xml/>", "application/xml", {}, 415, "UnsupportedMediaTypeException",
         "Content-Type 'application/xml' is not accepted"),
        ("too large", b'{"a": "' + b"x" * (256 * 1024) + b'"}', content_type, {}, 413,
         "RequestEntityTooLargeException", "at most 262144 (256 KiB)"),
        ("unknown integration", None, content_type, {"path": "/intake/nosuchintegration"}, 404,
         "ResourceNotFoundException", "no integration 'nosuchintegration'"),
        ("wrong token", None, content_type, {"token": "not-the-token"}, 401, "InvalidTokenException",
         "the token is not integration"),
        ("no token", None, content_type, {"token": ""}, 401, "InvalidTokenException", "has no integration token"),
        ("not its format", json.dumps(MISMATCH[kind][0]).encode(), content_type, {}, 400, "InvalidPayloadException",
         MISMATCH[kind][1]),
    ]


@pytest.mark.parametrize("kind", list(GOOD))
async def test_bad_input_is_refused_clearly_and_changes_nothing(intake, clock, kind):
    extra = {"mapping": MAPPING} if kind == "generic" else {}
    made = await intake.integration(f"src-{kind}", kind, **extra)
    before = await snapshot(intake.core)
    refusals = "SELECT COUNT(*) FROM audit WHERE operation = 'IntakePayload' AND result != 'OK'"
    audited = await intake.core.db.conn.execute_fetchall(refusals)
    for name, body, content_type, override, status, code, words in _cases(kind):
        path = override.get("path", made["path"])
        token = override.get("token", made["token"])
        content = body if body is not None else json.dumps(GOOD[kind](intake)).encode()
        headers = {"content-type": content_type}
        if token:
            headers["authorization"] = f"Bearer {token}"
        answer = await intake.http.post(path, content=content, headers=headers)
        assert answer.status_code == status, (name, answer.text)
        assert answer.json()["__type"] == code, name
        assert words in answer.json()["message"], (name, answer.json()["message"])
        await clock.advance(seconds=61)  # the wrong tokens above must not throttle the next case
    assert await snapshot(intake.core) == before
    assert await intake.incidents() == []
    after = await intake.core.db.conn.execute_fetchall(refusals)
    assert after[0][0] - audited[0][0] == len(_cases(kind))
    rows = await intake.core.db.conn.execute_fetchall(
        "SELECT result, params FROM audit WHERE operation = 'IntakePayload' ORDER BY id")
    assert all(made["token"] not in r[1] for r in rows)  # never the token
    key_id, secret = intake.served.keys["rita"]
    metrics = (await intake.http.get("/metrics", headers={"authorization": f"Bearer {key_id}:{secret}"})).text
    assert f'cockpit_intake_payloads_total{{outcome="InvalidPayloadException",type="{kind}"}} 2.0' in metrics
    assert 'cockpit_intake_payloads_total{outcome="ResourceNotFoundException",type="unknown"} 1.0' in metrics

    good = await intake.post(made, GOOD[kind](intake), content_type=content_type_of(kind))
    assert good.status_code == 202, good.text


def content_type_of(kind):
    return "text/plain; charset=UTF-8" if kind == "cloudwatch-sns" else "application/json"


async def test_repeated_wrong_tokens_from_one_address_are_throttled_for_a_minute(intake, clock):
    made = await intake.integration("prometheus", "alertmanager")
    wrong = {**made, "token": "guess"}
    for _ in range(5):
        assert (await intake.post(wrong, payloads.alertmanager())).status_code == 401
    throttled = await intake.post(made, payloads.alertmanager())  # even the right token, from that address
    assert throttled.status_code == 429
    assert throttled.json()["__type"] == "ThrottlingException"
    assert "too many wrong intake tokens" in throttled.json()["message"]
    assert await intake.incidents() == []
    await clock.advance(seconds=59)
    assert (await intake.post(made, payloads.alertmanager())).status_code == 429
    await clock.advance(seconds=2)
    assert (await intake.post(made, payloads.alertmanager())).status_code == 202


async def test_a_mapping_is_checked_on_save_naming_the_pointer(intake):
    from core.errors import ValidationException

    client = intake.core.client()
    for mapping, member, words in [
        ({}, "mapping.title", "mapping.title (a JSON Pointer"),
        ({"title": "alert/name"}, "mapping.title", "'alert/name' must start with '/'"),
        ({"title": "/a", "impact": "/sev~2"}, "mapping.impact", "'/sev~2' has a '~'"),
        ({"title": "/a", "resolve": {"pointer": "/s"}}, "mapping.resolve", "mapping.resolve is"),
        ({"title": "/a", "colour": "/c"}, "mapping", "unknown members: colour"),
    ]:
        with pytest.raises(ValidationException, match=re.escape(words)) as raised:
            await client.call("CreateIntegration", {"name": "g", "type": "generic", "responsePlanArn": intake.plan,
                                                    "mapping": mapping})
        assert raised.value.fields[0]["name"] == member
    with pytest.raises(ValidationException, match=r"routing.rules\[0\].pattern: detail.n: numeric"):
        await client.call("CreateIntegration", {"name": "e", "type": "eventbridge", "routing": {
            "rules": [{"pattern": {"detail": {"n": [{"numeric": ["<", 1, ">", 5]}]}}, "responsePlanArn": intake.plan}],
            "defaultResponsePlanArn": intake.plan}})
    assert (await client.call("ListIntegrations", {}))["integrations"] == []


async def test_integrations_list_in_pages_by_name(intake):
    client = intake.core.client()
    for name in ("c", "a", "b"):
        await intake.integration(name, "grafana")
    first = await client.call("ListIntegrations", {"maxResults": 2})
    assert [i["name"] for i in first["integrations"]] == ["a", "b"]
    rest = await client.call("ListIntegrations", {"maxResults": 2, "nextToken": first["nextToken"]})
    assert [i["name"] for i in rest["integrations"]] == ["c"] and "nextToken" not in rest
