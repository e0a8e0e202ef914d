"""`cockpit analysis create|export` and `cockpit report` with `--endpoint URL`: they run on a real
`cockpit serve` subprocess that holds the data directory (where in-process runs are refused)."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import subprocess
import sys

from core import FakeClock, open_core
from tests.analyses.scripted import scripted_incident
from tests.conftest import START
from tests.support.serve import ROOT, ServeProcess, create_keys_async

PERIOD = ["--from", "2026-03-01", "--to", "2026-04-01"]


def cockpit(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environment = {**{k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}, **env}
    return subprocess.run([sys.executable, "-m", "cockpit.cli", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env=environment, stdin=subprocess.DEVNULL)


async def test_analysis_and_report_through_a_running_server(tmp_path):
    data_dir = tmp_path / "ws"
    keys = await create_keys_async(data_dir, roles=("responder",))
    async with open_core(data_dir, clock=FakeClock(START)) as core:
        incident, _ = await scripted_incident(core.client(), core.clock)
    responder = {"COCKPIT_ACCESS_KEY_ID": keys["responder"].access_key_id,
                 "COCKPIT_SECRET_ACCESS_KEY": keys["responder"].secret}

    async def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return await asyncio.to_thread(cockpit, "--data-dir", str(data_dir), *argv, env=responder)

    async with ServeProcess(data_dir, keys["responder"]).running() as server:
        held = await run("analysis", "create", incident)  # the server holds the data directory
        assert held.returncode != 0 and held.stdout == ""

        made = await run("analysis", "create", incident, "--endpoint", server.url)
        assert made.returncode == 0, made.stderr
        analysis_id = made.stdout.strip()
        exported = await run("analysis", "export", analysis_id, "--endpoint", server.url)
        assert exported.returncode == 0, exported.stderr
        assert exported.stdout.startswith("# Analysis: API is down\n")
        assert "| Time to acknowledge | 10m 00s |" in exported.stdout

        report = await run("report", *PERIOD, "--csv", "--endpoint", server.url)
        assert report.returncode == 0, report.stderr
        [overall] = [r for r in csv.DictReader(io.StringIO(report.stdout)) if r["section"] == "overall"]
        assert overall["incidents"] == "1"
        assert (overall["timeToEngage_median"], overall["timeToAcknowledge_median"]) == ("120.0", "600.0")

        anonymous = await asyncio.to_thread(cockpit, "report", "--endpoint", server.url, env={})
        assert anonymous.returncode == 2 and "COCKPIT_ACCESS_KEY_ID" in anonymous.stderr
