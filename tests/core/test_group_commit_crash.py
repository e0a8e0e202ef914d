"""SIGKILL a core whose concurrent callers commit in groups: every caller that got its answer
finds its incident, whole; a group the kill caught loses only its own (unanswered) members."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys

import pytest

from tests.core.test_crash import ROOT, _check, _prepare, _read_lines, _reopen_and_read

RUNS = 6
CONCURRENCY = 16


@pytest.mark.slow
def test_sigkill_mid_group_loses_only_unanswered_members(tmp_path):
    data_dir = tmp_path / "ws"
    plan = asyncio.run(_prepare(data_dir))
    rng = random.Random(int(os.environ.get("CRASH_SEED", "0")) or None)
    acknowledged: list[str] = []
    commits = 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(RUNS):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.group_crash_writer", str(data_dir), plan, str(CONCURRENCY)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        try:
            lines = _read_lines(proc, rng.randint(20, 120))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            rest = proc.stdout.read().decode().split("\n")  # written before the kill landed
            lines += [line for line in rest[:-1] if line]
            proc.stdout.close()
            proc.stderr.close()
        answered = [line for line in lines if line != "commit"]
        commits += lines.count("commit")
        acknowledged += answered
        total = _check(data_dir / "cockpit.db", acknowledged)  # answered => stored, whole; audits match
        assert total >= len(acknowledged)
        asyncio.run(_reopen_and_read(data_dir, acknowledged[-1]))
    # the callers did share commits: fewer COMMITs than answered calls plus audited refusals
    assert commits < len(acknowledged)
