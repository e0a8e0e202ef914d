"""`cockpit attach URL` as a person runs it over SSH: in an 80x24 pseudo-terminal, against a
`cockpit serve` subprocess; it shows the workspace, and ends cleanly (status 0) when the
terminal hangs up. Wrong credentials are one clear line, not a broken screen."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess

import pytest

from core import open_core
from tests.support.serve import ServeProcess, create_keys
from tests.support.terminal import Terminal, cockpit


async def _prepare(data_dir) -> None:
    async with open_core(data_dir) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        plan = await client.call("CreateResponsePlan", {"name": "api", "incidentTemplate": {"title": "API down", "impact": 2}})
        await client.call("StartIncident", {"responsePlanArn": plan["arn"], "title": "Checkout is failing"})


@pytest.fixture
def serving(tmp_path):
    data_dir = tmp_path / "ws"
    asyncio.run(_prepare(data_dir))
    keys = create_keys(data_dir, roles=("responder",))
    with ServeProcess(data_dir, keys["responder"]) as server:
        yield server, keys["responder"]


def _env(tmp_path, key_id: str, secret: str) -> dict[str, str]:
    return {"COCKPIT_ACCESS_KEY_ID": key_id, "COCKPIT_SECRET_ACCESS_KEY": secret,
            "COCKPIT_UI_CONFIG_FILE": str(tmp_path / "absent-ui.toml")}


def test_attach_at_80x24_and_hang_up_cleanly(serving, tmp_path):
    server, key = serving
    with Terminal(cockpit("attach", server.url), env=_env(tmp_path, key.access_key_id, key.secret)) as term:
        term.wait_for(lambda shown: "Checkout is failing" in shown, timeout=60)
        assert "Incidents" in term.display.splitlines()[0]  # the header, at 80 columns
        os.killpg(term.process.pid, signal.SIGHUP)  # the SSH session went away
        assert term.wait_exit() == 0
    assert "Traceback" not in term.raw.decode(errors="replace")


def test_attach_with_a_wrong_secret_is_one_clear_line(serving, tmp_path):
    server, key = serving
    done = subprocess.run(cockpit("attach", server.url), env={**os.environ, **_env(tmp_path, key.access_key_id, "wrong")},
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "UnrecognizedClient" in done.stderr and "Traceback" not in done.stderr
    assert "wrong" not in done.stderr  # the secret given is never echoed
