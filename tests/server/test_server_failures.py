"""A failure outside any operation still answers the JSON error envelope, never a traceback."""

from __future__ import annotations

import httpx

from core.server import auth
from core.server.app import build_server_app


async def test_an_unexpected_failure_is_a_json_500_without_a_traceback(core, monkeypatch, caplog):
    async def broken(core, access_key_id):
        raise RuntimeError("the key store is on fire")

    monkeypatch.setattr(auth, "resolve_access_key", broken)
    transport = httpx.ASGITransport(app=build_server_app(core), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        response = await http.post("/v1/ListReplicationSets", json={}, headers={"Authorization": "Bearer CKIAX:secret"})
    assert response.status_code == 500
    body = response.json()
    assert body["__type"] == "InternalServerException" and "see its log" in body["message"]
    assert response.headers["x-amzn-RequestId"] in body["message"]
    assert "Traceback" not in response.text and "on fire" not in response.text
    assert response.headers["x-amzn-RequestId"]
