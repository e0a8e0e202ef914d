"""Kill a writing process with SIGKILL at random points: the database stays consistent and
every acknowledged incident survives, whole."""

from __future__ import annotations

import asyncio
import os
import random
import selectors
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core import open_core
from tests.support.core_state import setup_workspace

ROOT = Path(__file__).resolve().parents[2]
RUNS = 8
LINE_TIMEOUT_S = 60  # a hang guard only: a wedged writer fails the test instead of stalling it
CREATED = "SSM Incident Record Created"


def _read_lines(proc: subprocess.Popen, count: int) -> list[str]:
    """Read ``count`` lines from the writer's stdout (raw fd, so nothing hides in a buffer)."""
    lines: list[str] = []
    buf = b""
    fd = proc.stdout.fileno()
    sel = selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    try:
        while len(lines) < count:
            if not sel.select(timeout=LINE_TIMEOUT_S):
                raise AssertionError(f"the writer hung after {len(lines)} of {count} lines")
            chunk = os.read(fd, 65536)
            if not chunk:
                err = proc.stderr.read().decode(errors="replace")
                raise AssertionError(f"the writer exited early: {err[-2000:]}")
            buf += chunk
            *done, buf = buf.split(b"\n")
            lines.extend(d.decode() for d in done)
    finally:
        sel.close()
    return lines


def _check(db_path: Path, acknowledged: list[str]) -> int:
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        arns = {r[0] for r in conn.execute("SELECT arn FROM incidents")}
        missing = [a for a in acknowledged if a not in arns]
        assert not missing, f"{len(missing)} acknowledged incidents were lost, e.g. {missing[0]}"
        # nothing half-written: each incident has its creation event and its audit record
        orphans = conn.execute(
            "SELECT arn FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM timeline_events t"
            " WHERE t.incident_arn = i.arn AND t.event_type = ?) OR NOT EXISTS (SELECT 1 FROM"
            " audit a WHERE a.resource_arn = i.arn AND a.operation = 'StartIncident'"
            " AND a.result = 'OK')",
            (CREATED,),
        ).fetchall()
        assert orphans == []
        audited = conn.execute(
            "SELECT COUNT(*) FROM audit WHERE operation = 'StartIncident' AND result = 'OK'"
        ).fetchone()[0]
        assert audited == len(arns)
        return len(arns)
    finally:
        conn.close()


async def _prepare(data_dir: Path) -> str:
    async with open_core(data_dir) as core:
        return await setup_workspace(core)


async def _reopen_and_read(data_dir: Path, arn: str) -> None:
    """The core opens the database again (WAL recovery) and keeps working."""
    async with open_core(data_dir) as core:
        events = await core.client().call("ListTimelineEvents", {"incidentRecordArn": arn})
        assert events["eventSummaries"][0]["eventType"] == CREATED


@pytest.mark.slow
def test_sigkill_at_random_points_leaves_a_consistent_database(tmp_path):
    data_dir = tmp_path / "ws"
    plan = asyncio.run(_prepare(data_dir))
    rng = random.Random(int(os.environ.get("CRASH_SEED", "0")) or None)
    acknowledged: list[str] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(RUNS):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.crash_writer", str(data_dir), plan],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        try:
            wanted = rng.randint(1, 40)
            acknowledged += _read_lines(proc, wanted)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            # lines already written when the kill landed are acknowledged too
            rest = proc.stdout.read().decode().split("\n")
            acknowledged += [line for line in rest[:-1] if line]
            proc.stdout.close()
            proc.stderr.close()
        total = _check(data_dir / "cockpit.db", acknowledged)
        assert total >= len(acknowledged)
        asyncio.run(_reopen_and_read(data_dir, acknowledged[-1]))
    assert len(acknowledged) >= RUNS
