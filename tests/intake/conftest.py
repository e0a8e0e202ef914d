"""A core (FakeClock, real SQLite) served over HTTP on 127.0.0.1, with a response plan, and a
local SNS stand-in whose certificate host the core allows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from core import open_core
from core.runtime import Core
from tests.intake.sns_signer import FakeSNS
from tests.support.http_server import LocalHTTPServer
from tests.support.served import Served, served_core

PLAN = {"name": "api-outage", "displayName": "API outage",
        "incidentTemplate": {"title": "API is down", "impact": 3, "summary": "from the plan"}}


@dataclass
class Intake:
    core: Core
    served: Served
    sns: FakeSNS
    plan: str
    http: httpx.AsyncClient

    async def integration(self, name: str, kind: str, **extra: Any) -> dict[str, Any]:
        request = {"name": name, "type": kind, "responsePlanArn": self.plan, **extra}
        if "routing" in extra:
            request.pop("responsePlanArn")
        return await self.core.client().call("CreateIntegration", request)

    async def post(self, made: dict[str, Any], body: Any, *, content_type: str = "application/json",
                   query_token: bool = False) -> httpx.Response:
        import json

        headers = {"content-type": content_type}
        url = made["path"]
        if query_token:
            url += f"?token={made['token']}"
        else:
            headers["authorization"] = f"Bearer {made['token']}"
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return await self.http.post(url, content=content, headers=headers)

    async def incidents(self) -> list[dict[str, Any]]:
        listed = await self.core.client().call("ListIncidentRecords", {})
        return listed["incidentRecordSummaries"]

    async def record(self, arn: str) -> dict[str, Any]:
        return (await self.core.client().call("GetIncidentRecord", {"arn": arn}))["incidentRecord"]

    async def timeline(self, arn: str) -> list[dict[str, Any]]:
        return (await self.core.client().call("ListTimelineEvents", {"incidentRecordArn": arn}))["eventSummaries"]


@pytest.fixture
async def intake(data_dir, clock) -> AsyncIterator[Intake]:
    sns = FakeSNS()
    async with LocalHTTPServer(sns.app) as sns_server:
        sns.url = sns_server.url
        config = {"intake": {"sns_cert_hosts": ["127.0.0.1"], "wrong_tokens_per_minute": 5}}
        async with open_core(data_dir, clock=clock, config=config) as core, served_core(core) as served:
            plan = (await core.client().call("CreateResponsePlan", PLAN))["arn"]
            async with httpx.AsyncClient(base_url=served.url, timeout=30) as http:
                yield Intake(core, served, sns, plan, http)
