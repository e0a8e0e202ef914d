"""`cockpit call --endpoint URL` runs the operation on a running `cockpit serve`; without a
server, `cockpit call` says that the pages it queued wait for a core process."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import yaml

from core import open_core
from tests.support.serve import ROOT, ServeProcess, create_keys_async, free_port


def cockpit(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**{k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}, **(env or {})}
    return subprocess.run([sys.executable, "-m", "cockpit.cli", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env=environment, stdin=subprocess.DEVNULL)


async def test_call_through_a_running_server(tmp_path):
    data_dir = tmp_path / "ws"
    keys = await create_keys_async(data_dir, roles=("admin", "readonly"))
    async with ServeProcess(data_dir, keys["readonly"]).running() as server:
        admin = {"COCKPIT_ACCESS_KEY_ID": keys["admin"].access_key_id, "COCKPIT_SECRET_ACCESS_KEY": keys["admin"].secret}
        made = await asyncio.to_thread(cockpit, "call", "--endpoint", server.url, "CreateReplicationSet",
                                       '{"regions": {"us-east-1": {}}}', env=admin)
        assert made.returncode == 0, made.stderr
        assert json.loads(made.stdout)["arn"].startswith("arn:aws:ssm-incidents::")
        listed = await asyncio.to_thread(cockpit, "call", "--endpoint", server.url, "ListReplicationSets", env=admin)
        assert json.loads(listed.stdout)["replicationSetArns"] == [json.loads(made.stdout)["arn"]]
        readonly = {"COCKPIT_ACCESS_KEY_ID": keys["readonly"].access_key_id,
                    "COCKPIT_SECRET_ACCESS_KEY": keys["readonly"].secret}
        denied = await asyncio.to_thread(cockpit, "call", "--endpoint", server.url, "CreateResponsePlan",
                                         '{"name": "x", "incidentTemplate": {"title": "t", "impact": 3}}', env=readonly)
        assert denied.returncode == 1 and denied.stderr.startswith("AccessDeniedException: ")
        anonymous = await asyncio.to_thread(cockpit, "call", "--endpoint", server.url, "ListReplicationSets")
        assert anonymous.returncode == 2 and "COCKPIT_ACCESS_KEY_ID" in anonymous.stderr


async def test_without_a_server_queued_pages_are_said_to_wait_for_a_core(tmp_path):
    data_dir = tmp_path / "ws"
    data_dir.mkdir()
    # an SMTP server that is not there: whether or not this short-lived process gets to try,
    # the activation code is still unsent when it exits
    unreachable = {"email": {"host": "127.0.0.1", "port": free_port(), "security": "none",
                             "from_address": "pager@cockpit.test", "timeout_seconds": 2}}
    (data_dir / "config.yaml").write_text(yaml.safe_dump({"paging": unreachable}))
    async with open_core(data_dir) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {"local": {}}})
        contact = (await client.call("CreateContact", {"Alias": "ann", "Type": "PERSONAL", "Plan": {"Stages": []}}))["ContactArn"]
    quiet = await asyncio.to_thread(cockpit, "--data-dir", str(data_dir), "call", "ListContacts")
    assert quiet.returncode == 0 and "wait for a core process" not in quiet.stderr
    queued = await asyncio.to_thread(cockpit, "--data-dir", str(data_dir), "call", "CreateContactChannel", json.dumps({
        "ContactId": contact, "Name": "mail", "Type": "EMAIL", "DeliveryAddress": {"SimpleAddress": "ann@example.com"}}))
    assert queued.returncode == 0, queued.stderr
    assert "cockpit: 1 message (pages, activation codes) is queued in " in queued.stderr, queued.stderr
    assert "waits for a core process to send it: " in queued.stderr and "cockpit serve" in queued.stderr
