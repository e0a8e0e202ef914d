"""Deny by default over HTTP: every route of the server app refuses a caller without a key;
roles hold on the native binding as on the AWS one; a body over 1 MiB is refused with 413;
the logs are JSON and never carry a secret."""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.routing import Mount, Route

from core import open_core
from core.server.app import build_server_app
from core.server.framing import MAX_BODY

ARN = "arn:aws:ssm-incidents::123456789012:response-plan/x"
PUBLIC_PREFIXES = ("/callbacks/twilio/", "/ack/", "/intake/", "/v2/alerts", "/v2/heartbeats/")


async def _served_routes(tmp_path) -> tuple[list[tuple[str, str]], list[str]]:
    """(method, concrete path) for every authenticated route, and the public routes' paths."""
    async with open_core(tmp_path / "routes") as core:
        app = build_server_app(core)
    mount = next(r for r in app.routes if isinstance(r, Mount))
    private = []
    for route in mount.routes:
        assert isinstance(route, Route)
        path = re.sub(r"\{[^}]+\}", lambda m: ARN if "path" in m.group(0) else "X", route.path)
        private.extend((method, path) for method in sorted(route.methods or {"GET"}) if method != "HEAD")
    public = [r.path for r in app.routes if not isinstance(r, Mount)]
    return private, public


async def test_every_authenticated_route_refuses_a_caller_without_a_key(site, tmp_path):
    private, public = await _served_routes(tmp_path)
    assert len(private) > 30 and ("GET", "/healthz") in private and ("GET", "/metrics") in private
    # the only routes outside Authenticate, each checking a credential of its own: Twilio's
    # signature, an email link's single-use token, an intake integration's token
    assert all(p.startswith(PUBLIC_PREFIXES) for p in public), public
    async with httpx.AsyncClient(base_url=site.url) as http:
        for method, path in [*private, ("GET", "/no/such/route"), ("POST", "/v1/StartIncident")]:
            response = await http.request(method, path, content=b"{}", headers={"X-Amz-Target": "SSMContacts.ListContacts"})
            assert response.status_code == 403, (method, path, response.text)
            assert response.json()["__type"] == "MissingAuthenticationTokenException", (method, path)
            bad_key = await http.request(method, path, content=b"{}", headers={"Authorization": "Bearer CKIANOSUCHKEY0000000:x"})
            assert bad_key.status_code == 403 and bad_key.json()["__type"] == "UnrecognizedClientException", (method, path)


def test_a_right_key_id_with_a_wrong_bearer_secret_is_refused(site):
    key = site.keys["admin"]
    response = httpx.post(f"{site.url}/v1/ListReplicationSets", json={},
                          headers={"Authorization": f"Bearer {key.access_key_id}:{key.secret}x"})
    assert response.status_code == 403 and response.json()["__type"] == "UnrecognizedClientException"


def test_roles_hold_on_the_native_binding(site, incidents, replication_set):
    plan = incidents.create_response_plan(name="native-roles", incidentTemplate={"title": "t", "impact": 3})["arn"]
    readonly = httpx.post(f"{site.url}/v1/StartIncident", json={"responsePlanArn": plan}, headers=site.keys["readonly"].bearer)
    assert readonly.status_code == 403 and readonly.json()["__type"] == "AccessDeniedException"
    responder = httpx.post(f"{site.url}/v1/DeleteResponsePlan", json={"arn": plan}, headers=site.keys["responder"].bearer)
    assert responder.status_code == 403 and responder.json()["__type"] == "AccessDeniedException"
    assert incidents.get_response_plan(arn=plan)["name"] == "native-roles"
    started = httpx.post(f"{site.url}/v1/StartIncident", json={"responsePlanArn": plan}, headers=site.keys["responder"].bearer)
    assert started.status_code == 200 and started.json()["incidentRecordArn"]


@pytest.mark.parametrize("path", ["/v1/StartIncident", "/startIncident", "/"])
def test_a_body_over_1_mib_is_refused_with_413(site, path):
    big = b'{"title": "' + b"x" * MAX_BODY + b'"}'
    response = httpx.post(f"{site.url}{path}", content=big, headers=site.keys["admin"].bearer)
    assert response.status_code == 413 and response.json()["__type"] == "RequestEntityTooLargeException"

    def chunks():  # no Content-Length: the limit holds on what arrives
        for i in range(0, len(big), 64 * 1024):
            yield big[i:i + 64 * 1024]

    streamed = httpx.post(f"{site.url}{path}", content=chunks(), headers=site.keys["admin"].bearer)
    assert streamed.status_code == 413


def test_the_logs_are_json_and_never_carry_a_secret(site):
    httpx.post(f"{site.url}/v1/ListReplicationSets", json={}, headers=site.keys["admin"].bearer)
    # the access line is written after the answer is sent: wait for it, do not race the stderr reader
    site.server.wait_for_log(lambda r: r.get("operation") == "ListReplicationSets")
    logs = site.server.logs
    assert logs and not [r for r in logs if "unparsed" in r], "every log line is one JSON object"
    text = "\n".join(site.server.lines)
    for key in site.keys.values():
        assert key.secret not in text
    access = [r for r in logs if r["logger"] == "cockpit.server.access"]
    assert any(r.get("operation") == "ListReplicationSets" and r["principal"] == "admin" for r in access)
    assert all("?" not in r["route"] for r in access)  # templates, never raw paths or queries
