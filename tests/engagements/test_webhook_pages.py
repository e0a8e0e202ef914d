"""Every page can be copied, signed, to webhook URLs (a chat bridge): once per page."""

from __future__ import annotations

import json
import re

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from core import open_core
from core.paging.webhook import verify_signature
from tests.support.contacts import personal_contact
from tests.support.http_server import LocalHTTPServer

SECRET = "a-webhook-secret-of-32-characters"


async def test_each_page_is_posted_once_signed_to_the_page_urls(data_dir, clock):
    received: list[dict] = []

    async def hook(request: Request) -> JSONResponse:
        body = await request.body()
        ok = verify_signature(
            SECRET, request.headers.get("X-Cockpit-Timestamp"), body,
            request.headers.get("X-Cockpit-Signature"), clock.now(),
        )
        if not ok:
            return JSONResponse({"error": "bad signature"}, status_code=401)
        received.append(json.loads(body))
        return JSONResponse({"ok": True})

    app = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    async with LocalHTTPServer(app) as server:
        config = {"paging": {"webhook": {"secret": SECRET, "page_urls": [server.url + "/hook"]}}}
        async with open_core(data_dir, clock=clock, config=config) as core:
            client = core.client()
            await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
            dana, _ = await personal_contact(
                client, "dana", [("EMAIL", "dana@example.com"), ("SMS", "+14155550100")], stage_minutes=[5, 0]
            )
            await client.call("StartEngagement", {"ContactId": dana, "Sender": "ops", "Subject": "disk full", "Content": "db-1"})
            await clock.advance(minutes=10)
            webhook_rows = (await client.call("ListOutboxMessages", {"channelType": "WEBHOOK"}))["messages"]
            [email] = (await client.call("ListOutboxMessages", {"channelType": "EMAIL", "maxResults": 1}))["messages"]
    assert len(received) == 1, received
    assert received[0]["type"] == "page" and received[0]["subject"] == "disk full"
    assert received[0]["pageArn"]
    # the copy goes to a chat room, not to the paged person: it never carries the accept code
    code = re.search(r"Accept code: (\d{6})", email["body"]).group(1)
    assert "acceptCode" not in received[0] and code not in json.dumps(received[0])
    assert [r["status"] for r in webhook_rows] == ["sent"]
